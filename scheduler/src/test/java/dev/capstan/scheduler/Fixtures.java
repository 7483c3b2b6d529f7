package dev.capstan.scheduler;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodAffinityTerm;
import io.fabric8.kubernetes.api.model.PodAffinityTermBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraintBuilder;
import java.util.Map;
import java.util.TreeMap;

/** Builders for the nodes and pods of the scheduler tests. */
public final class Fixtures {
    private Fixtures() {}

    public static NodeSpec node(String name) {
        return new NodeSpec(name);
    }

    public static PodSpec pod(String name) {
        return new PodSpec(name);
    }

    public static final class NodeSpec {
        private final NodeBuilder b = new NodeBuilder();
        private final Map<String, String> labels = new TreeMap<>();
        private final Map<String, Quantity> allocatable = new TreeMap<>();

        NodeSpec(String name) {
            b.withNewMetadata()
                    .withName(name)
                    .endMetadata()
                    .withNewSpec()
                    .endSpec()
                    .withNewStatus()
                    .endStatus();
            labels.put("kubernetes.io/hostname", name);
            allocatable.put("cpu", new Quantity("4"));
            allocatable.put("memory", new Quantity("8Gi"));
            allocatable.put("pods", new Quantity("110"));
        }

        public NodeSpec cpu(String q) {
            allocatable.put("cpu", new Quantity(q));
            return this;
        }

        public NodeSpec memory(String q) {
            allocatable.put("memory", new Quantity(q));
            return this;
        }

        public NodeSpec pods(int n) {
            allocatable.put("pods", new Quantity(Integer.toString(n)));
            return this;
        }

        public NodeSpec allocatable(String name, String q) {
            allocatable.put(name, new Quantity(q));
            return this;
        }

        public NodeSpec label(String k, String v) {
            labels.put(k, v);
            return this;
        }

        public NodeSpec zone(String zone) {
            return label("topology.kubernetes.io/zone", zone);
        }

        public NodeSpec taint(String key, String value, String effect) {
            b.editSpec()
                    .addToTaints(new TaintBuilder()
                            .withKey(key)
                            .withValue(value)
                            .withEffect(effect)
                            .build())
                    .endSpec();
            return this;
        }

        public NodeSpec unschedulable() {
            b.editSpec().withUnschedulable(true).endSpec();
            return this;
        }

        public NodeSpec image(long size, String... names) {
            b.editStatus()
                    .addNewImage()
                    .withNames(names)
                    .withSizeBytes(size)
                    .endImage()
                    .endStatus();
            return this;
        }

        public Node build() {
            return b.editMetadata()
                    .withLabels(labels)
                    .endMetadata()
                    .editStatus()
                    .withAllocatable(allocatable)
                    .withCapacity(allocatable)
                    .endStatus()
                    .build();
        }
    }

    public static final class PodSpec {
        private final PodBuilder b = new PodBuilder();
        private final Map<String, String> labels = new TreeMap<>();
        private final Map<String, Quantity> requests = new TreeMap<>();

        PodSpec(String name) {
            b.withNewMetadata()
                    .withName(name)
                    .withNamespace("default")
                    .withUid("uid-" + name)
                    .endMetadata()
                    .withNewSpec()
                    .endSpec()
                    .withNewStatus()
                    .withPhase("Pending")
                    .endStatus();
        }

        public PodSpec namespace(String ns) {
            b.editMetadata().withNamespace(ns).endMetadata();
            return this;
        }

        public PodSpec cpu(String q) {
            requests.put("cpu", new Quantity(q));
            return this;
        }

        public PodSpec memory(String q) {
            requests.put("memory", new Quantity(q));
            return this;
        }

        public PodSpec request(String name, String q) {
            requests.put(name, new Quantity(q));
            return this;
        }

        public PodSpec label(String k, String v) {
            labels.put(k, v);
            return this;
        }

        public PodSpec priority(int p) {
            b.editSpec().withPriority(p).endSpec();
            return this;
        }

        public PodSpec nodeName(String n) {
            b.editSpec().withNodeName(n).endSpec();
            return this;
        }

        public PodSpec nodeSelector(String k, String v) {
            b.editSpec().addToNodeSelector(k, v).endSpec();
            return this;
        }

        public PodSpec schedulerName(String n) {
            b.editSpec().withSchedulerName(n).endSpec();
            return this;
        }

        public PodSpec startTime(String t) {
            b.editStatus().withStartTime(t).endStatus();
            return this;
        }

        public PodSpec nominatedNodeName(String n) {
            b.editStatus().withNominatedNodeName(n).endStatus();
            return this;
        }

        public PodSpec preemptionPolicy(String p) {
            b.editSpec().withPreemptionPolicy(p).endSpec();
            return this;
        }

        public PodSpec toleration(String key, String operator, String value, String effect) {
            b.editSpec()
                    .addToTolerations(new TolerationBuilder()
                            .withKey(key)
                            .withOperator(operator)
                            .withValue(value)
                            .withEffect(effect)
                            .build())
                    .endSpec();
            return this;
        }

        public PodSpec hostPort(int port, String protocol, String hostIp) {
            b.editSpec()
                    .addToContainers(new ContainerBuilder()
                            .withName("p" + port)
                            .withImage("pause")
                            .withPorts(new ContainerPortBuilder()
                                    .withContainerPort(port)
                                    .withHostPort(port)
                                    .withProtocol(protocol)
                                    .withHostIP(hostIp)
                                    .build())
                            .build())
                    .endSpec();
            return this;
        }

        public PodSpec image(String image) {
            b.editSpec()
                    .addToContainers(new ContainerBuilder()
                            .withName("c-" + image.replaceAll("[^a-z0-9]", ""))
                            .withImage(image)
                            .build())
                    .endSpec();
            return this;
        }

        /** Required anti-affinity to pods with label k=v by topologyKey. */
        public PodSpec antiAffinity(String topologyKey, String k, String v) {
            b.editSpec()
                    .editOrNewAffinity()
                    .editOrNewPodAntiAffinity()
                    .addToRequiredDuringSchedulingIgnoredDuringExecution(term(topologyKey, k, v))
                    .endPodAntiAffinity()
                    .endAffinity()
                    .endSpec();
            return this;
        }

        /** Required affinity to pods with label k=v by topologyKey. */
        public PodSpec affinity(String topologyKey, String k, String v) {
            b.editSpec()
                    .editOrNewAffinity()
                    .editOrNewPodAffinity()
                    .addToRequiredDuringSchedulingIgnoredDuringExecution(term(topologyKey, k, v))
                    .endPodAffinity()
                    .endAffinity()
                    .endSpec();
            return this;
        }

        public PodSpec preferredAffinity(int weight, String topologyKey, String k, String v) {
            b.editSpec()
                    .editOrNewAffinity()
                    .editOrNewPodAffinity()
                    .addNewPreferredDuringSchedulingIgnoredDuringExecution()
                    .withWeight(weight)
                    .withPodAffinityTerm(term(topologyKey, k, v))
                    .endPreferredDuringSchedulingIgnoredDuringExecution()
                    .endPodAffinity()
                    .endAffinity()
                    .endSpec();
            return this;
        }

        public PodSpec spread(int maxSkew, String topologyKey, String when, String k, String v) {
            b.editSpec()
                    .addToTopologySpreadConstraints(new TopologySpreadConstraintBuilder()
                            .withMaxSkew(maxSkew)
                            .withTopologyKey(topologyKey)
                            .withWhenUnsatisfiable(when)
                            .withLabelSelector(new LabelSelectorBuilder()
                                    .addToMatchLabels(k, v)
                                    .build())
                            .build())
                    .endSpec();
            return this;
        }

        private static PodAffinityTerm term(String topologyKey, String k, String v) {
            return new PodAffinityTermBuilder()
                    .withTopologyKey(topologyKey)
                    .withLabelSelector(
                            new LabelSelectorBuilder().addToMatchLabels(k, v).build())
                    .build();
        }

        public Pod build() {
            Pod p = b.editMetadata().withLabels(labels).endMetadata().build();
            if (p.getSpec().getContainers() == null
                    || p.getSpec().getContainers().isEmpty()) {
                p.getSpec().setContainers(new java.util.ArrayList<>());
                p.getSpec()
                        .getContainers()
                        .add(new ContainerBuilder()
                                .withName("c")
                                .withImage("pause")
                                .build());
            }
            p.getSpec()
                    .getContainers()
                    .get(0)
                    .setResources(new io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder()
                            .withRequests(requests)
                            .build());
            return p;
        }
    }
}
