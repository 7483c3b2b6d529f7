package dev.capstan.scheduler;

import dev.capstan.scheduler.framework.WorkloadListers;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ReplicationController;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** In-memory {@link WorkloadListers} for tests: Services and ReplicaSets by namespace/name. */
public final class Workloads implements WorkloadListers {
    private final List<Service> services = new ArrayList<>();
    private final Map<String, ReplicaSet> replicaSets = new HashMap<>();

    /** A Service in "default" selecting the given labels (null for a Service without selector). */
    public Workloads service(String name, Map<String, String> selector) {
        services.add(new ServiceBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace("default")
                .endMetadata()
                .withNewSpec()
                .withSelector(selector)
                .endSpec()
                .build());
        return this;
    }

    /** A ReplicaSet in "default" whose spec.selector has the given matchLabels. */
    public Workloads replicaSet(String name, Map<String, String> matchLabels) {
        replicaSets.put(
                "default/" + name,
                new ReplicaSetBuilder()
                        .withNewMetadata()
                        .withName(name)
                        .withNamespace("default")
                        .endMetadata()
                        .withNewSpec()
                        .withSelector(new LabelSelectorBuilder()
                                .withMatchLabels(matchLabels)
                                .build())
                        .endSpec()
                        .build());
        return this;
    }

    /** The pod with a controller owner reference to the ReplicaSet. */
    public static Pod ownedBy(Pod pod, String apiVersion, String kind, String name) {
        pod.getMetadata()
                .setOwnerReferences(List.of(new OwnerReferenceBuilder()
                        .withApiVersion(apiVersion)
                        .withKind(kind)
                        .withName(name)
                        .withUid("uid-" + name)
                        .withController(true)
                        .build()));
        return pod;
    }

    @Override
    public List<Service> services(String namespace) {
        return services.stream()
                .filter(s -> s.getMetadata().getNamespace().equals(namespace))
                .toList();
    }

    @Override
    public ReplicationController replicationController(String namespace, String name) {
        return null;
    }

    @Override
    public ReplicaSet replicaSet(String namespace, String name) {
        return replicaSets.get(namespace + "/" + name);
    }

    @Override
    public StatefulSet statefulSet(String namespace, String name) {
        return null;
    }
}
