package dev.capstan.scheduler.core;

import dev.capstan.client.informer.Indexer;
import dev.capstan.scheduler.framework.WorkloadListers;
import io.fabric8.kubernetes.api.model.ReplicationController;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.util.List;

/**
 * {@link WorkloadListers} over informer caches, for {@link Scheduler.Builder#workloadListers}. A null cache stands for
 * a kind the process does not watch (its owners then add nothing to the default selector).
 */
public record WorkloadCaches(
        Indexer<Service> serviceCache,
        Indexer<ReplicaSet> replicaSetCache,
        Indexer<StatefulSet> statefulSetCache,
        Indexer<ReplicationController> replicationControllerCache)
        implements WorkloadListers {

    @Override
    public List<Service> services(String namespace) {
        return serviceCache == null ? List.of() : serviceCache.inNamespace(namespace);
    }

    @Override
    public ReplicationController replicationController(String namespace, String name) {
        return replicationControllerCache == null
                ? null
                : replicationControllerCache.get(namespace, name).orElse(null);
    }

    @Override
    public ReplicaSet replicaSet(String namespace, String name) {
        return replicaSetCache == null
                ? null
                : replicaSetCache.get(namespace, name).orElse(null);
    }

    @Override
    public StatefulSet statefulSet(String namespace, String name) {
        return statefulSetCache == null
                ? null
                : statefulSetCache.get(namespace, name).orElse(null);
    }
}
