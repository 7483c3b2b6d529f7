package dev.capstan.scheduler.framework;

import io.fabric8.kubernetes.api.model.ReplicationController;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.util.List;

/**
 * The listers upstream's helper.DefaultSelector reads (Services, ReplicationControllers, ReplicaSets, StatefulSets),
 * for PodTopologySpread's system-default constraints. The wiring implements it over informer caches; a kind it does
 * not watch answers empty/null, which only narrows the default selector. Called on the scheduling thread.
 */
public interface WorkloadListers {
    /** No listers: no pod gets a default spreading selector, so default spreading is off. */
    WorkloadListers NONE = new WorkloadListers() {
        @Override
        public List<Service> services(String namespace) {
            return List.of();
        }

        @Override
        public ReplicationController replicationController(String namespace, String name) {
            return null;
        }

        @Override
        public ReplicaSet replicaSet(String namespace, String name) {
            return null;
        }

        @Override
        public StatefulSet statefulSet(String namespace, String name) {
            return null;
        }
    };

    /** The Services of the namespace. */
    List<Service> services(String namespace);

    /** The ReplicationController, or null when unknown. */
    ReplicationController replicationController(String namespace, String name);

    /** The ReplicaSet, or null when unknown. */
    ReplicaSet replicaSet(String namespace, String name);

    /** The StatefulSet, or null when unknown. */
    StatefulSet statefulSet(String namespace, String name);
}
