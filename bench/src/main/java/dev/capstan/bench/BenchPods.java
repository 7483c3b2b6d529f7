package dev.capstan.bench;

import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;

/**
 * The pods of the scheduling benchmark, in the shape of upstream's scheduler_perf workloads: small requests; for
 * anti-affinity, groups of 10 pods that must not share a node; for spread, every pod of the namespace spread over
 * zones with maxSkew 1 (DoNotSchedule).
 */
final class BenchPods {
    static final int GROUP = 10;

    private BenchPods() {}

    static Pod pod(String namespace, String scenario, int index) {
        String group = "g" + index / GROUP;
        PodSpec spec = spec();
        switch (scenario) {
            case "anti-affinity" ->
                spec.setAffinity(new io.fabric8.kubernetes.api.model.AffinityBuilder()
                        .withNewPodAntiAffinity()
                        .addNewRequiredDuringSchedulingIgnoredDuringExecution()
                        .withTopologyKey("kubernetes.io/hostname")
                        .withLabelSelector(new LabelSelectorBuilder()
                                .addToMatchLabels("group", group)
                                .build())
                        .endRequiredDuringSchedulingIgnoredDuringExecution()
                        .endPodAntiAffinity()
                        .build());
            case "zone-spread" ->
                spec.setTopologySpreadConstraints(
                        java.util.List.of(new io.fabric8.kubernetes.api.model.TopologySpreadConstraintBuilder()
                                .withMaxSkew(1)
                                .withTopologyKey("topology.kubernetes.io/zone")
                                .withWhenUnsatisfiable("DoNotSchedule")
                                .withLabelSelector(new LabelSelectorBuilder()
                                        .addToMatchLabels("app", "spread")
                                        .build())
                                .build()));
            default -> {}
        }
        return new PodBuilder()
                .withNewMetadata()
                .withNamespace(namespace)
                .withName(String.format("pod-%05d", index))
                .addToLabels("group", group)
                .addToLabels("app", scenario.equals("zone-spread") ? "spread" : scenario)
                .endMetadata()
                .withSpec(spec)
                .build();
    }

    /** A Deployment {@code default/NAME} of {@code replicas} pods from {@code template}, selected by its app label. */
    static Deployment deployment(String name, int replicas, PodTemplateSpec template) {
        return new DeploymentBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace("default")
                .endMetadata()
                .withNewSpec()
                .withReplicas(replicas)
                .withNewSelector()
                .addToMatchLabels("app", template.getMetadata().getLabels().get("app"))
                .endSelector()
                .withTemplate(template)
                .endSpec()
                .build();
    }

    /**
     * A pod that only sleeps, in the node's local busybox image (real containers); a short grace period because
     * sleep as PID 1 ignores SIGTERM.
     */
    static PodSpec localSleeper() {
        return new PodSpecBuilder()
                .withTerminationGracePeriodSeconds(1L)
                .addNewContainer()
                .withName("c")
                .withImage("localhost/capstan/busybox:1")
                .withCommand("sleep", "3600")
                .endContainer()
                .build();
    }

    static PodTemplateSpec template(String app) {
        return new PodTemplateSpecBuilder()
                .withNewMetadata()
                .addToLabels("app", app)
                .endMetadata()
                .withSpec(spec())
                .build();
    }

    private static PodSpec spec() {
        return new PodSpecBuilder()
                .addNewContainer()
                .withName("c")
                .withImage("busybox:1.36")
                .withNewResources()
                .addToRequests("cpu", new Quantity("10m"))
                .addToRequests("memory", new Quantity("16Mi"))
                .endResources()
                .endContainer()
                .build();
    }
}
