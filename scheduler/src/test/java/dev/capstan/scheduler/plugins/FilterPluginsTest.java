package dev.capstan.scheduler.plugins;

import static dev.capstan.scheduler.Fixtures.node;
import static dev.capstan.scheduler.Fixtures.pod;
import static org.assertj.core.api.Assertions.assertThat;

import dev.capstan.scheduler.Frameworks;
import dev.capstan.scheduler.framework.NodeInfo;
import dev.capstan.scheduler.framework.PodInfo;
import dev.capstan.scheduler.framework.Status;
import dev.capstan.scheduler.plugins.nodeaffinity.NodeAffinity;
import dev.capstan.scheduler.plugins.nodename.NodeName;
import dev.capstan.scheduler.plugins.nodeports.NodePorts;
import dev.capstan.scheduler.plugins.noderesources.NodeResourcesFit;
import dev.capstan.scheduler.plugins.nodeunschedulable.NodeUnschedulable;
import dev.capstan.scheduler.plugins.tainttoleration.TaintToleration;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirementBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The filters' verdicts and upstream's exact reasons and codes, one table row per case. */
class FilterPluginsTest {

    static Stream<Arguments> cases() {
        Node plain = node("n1").build();
        return Stream.of(
                // NodeUnschedulable
                row(
                        NodeUnschedulable.NAME,
                        pod("p").build(),
                        node("n1").unschedulable().build(),
                        List.of(),
                        Status.unresolvable("node(s) were unschedulable")),
                row(
                        NodeUnschedulable.NAME,
                        pod("p").toleration("node.kubernetes.io/unschedulable", "Exists", null, "NoSchedule")
                                .build(),
                        node("n1").unschedulable().build(),
                        List.of(),
                        Status.SUCCESS),
                row(NodeUnschedulable.NAME, pod("p").build(), plain, List.of(), Status.SUCCESS),
                // NodeName
                row(
                        NodeName.NAME,
                        pod("p").nodeName("n2").build(),
                        plain,
                        List.of(),
                        Status.unresolvable("node(s) didn't match the requested node name")),
                row(NodeName.NAME, pod("p").nodeName("n1").build(), plain, List.of(), Status.SUCCESS),
                // TaintToleration
                row(
                        TaintToleration.NAME,
                        pod("p").build(),
                        node("n1")
                                .taint("node.kubernetes.io/unreachable", null, "NoExecute")
                                .build(),
                        List.of(),
                        Status.unresolvable("node(s) had untolerated taint {node.kubernetes.io/unreachable: }")),
                row(
                        TaintToleration.NAME,
                        pod("p").build(),
                        node("n1").taint("dedicated", "gpu", "NoSchedule").build(),
                        List.of(),
                        Status.unresolvable("node(s) had untolerated taint {dedicated: gpu}")),
                row(
                        TaintToleration.NAME,
                        pod("p").toleration("dedicated", "Equal", "gpu", "NoSchedule")
                                .build(),
                        node("n1").taint("dedicated", "gpu", "NoSchedule").build(),
                        List.of(),
                        Status.SUCCESS),
                row(
                        TaintToleration.NAME,
                        pod("p").toleration("dedicated", "Equal", "cpu", "").build(),
                        node("n1").taint("dedicated", "gpu", "NoSchedule").build(),
                        List.of(),
                        Status.unresolvable("node(s) had untolerated taint {dedicated: gpu}")),
                row(
                        TaintToleration.NAME,
                        pod("p").build(),
                        node("n1").taint("soft", "x", "PreferNoSchedule").build(),
                        List.of(),
                        Status.SUCCESS),
                // NodeAffinity
                row(
                        NodeAffinity.NAME,
                        pod("p").nodeSelector("disk", "ssd").build(),
                        plain,
                        List.of(),
                        Status.unresolvable("node(s) didn't match Pod's node affinity/selector")),
                row(
                        NodeAffinity.NAME,
                        pod("p").nodeSelector("disk", "ssd").build(),
                        node("n1").label("disk", "ssd").build(),
                        List.of(),
                        Status.SUCCESS),
                row(
                        NodeAffinity.NAME,
                        requiredNodeAffinity("cores", "Gt", "8"),
                        node("n1").label("cores", "16").build(),
                        List.of(),
                        Status.SUCCESS),
                row(
                        NodeAffinity.NAME,
                        requiredNodeAffinity("cores", "Gt", "8"),
                        node("n1").label("cores", "4").build(),
                        List.of(),
                        Status.unresolvable("node(s) didn't match Pod's node affinity/selector")),
                row(
                        NodeAffinity.NAME,
                        requiredNodeAffinity("disk", "DoesNotExist"),
                        node("n1").label("disk", "x").build(),
                        List.of(),
                        Status.unresolvable("node(s) didn't match Pod's node affinity/selector")),
                row(
                        NodeAffinity.NAME,
                        requiredNodeAffinity("zone", "NotIn", "a", "b"),
                        node("n1").zone("c").build(),
                        List.of(),
                        Status.SUCCESS),
                // NodePorts
                row(
                        NodePorts.NAME,
                        pod("p").hostPort(8080, "TCP", "").build(),
                        plain,
                        List.of(pod("q").hostPort(8080, "TCP", "")
                                .nodeName("n1")
                                .build()),
                        Status.unschedulable("node(s) didn't have free ports for the requested pod ports")),
                row(
                        NodePorts.NAME,
                        pod("p").hostPort(8080, "UDP", "").build(),
                        plain,
                        List.of(pod("q").hostPort(8080, "TCP", "")
                                .nodeName("n1")
                                .build()),
                        Status.SUCCESS),
                row(
                        NodePorts.NAME,
                        pod("p").hostPort(8080, "TCP", "10.0.0.1").build(),
                        plain,
                        List.of(pod("q").hostPort(8080, "TCP", "10.0.0.2")
                                .nodeName("n1")
                                .build()),
                        Status.SUCCESS),
                row(
                        NodePorts.NAME,
                        pod("p").hostPort(8080, "TCP", "10.0.0.1").build(),
                        plain,
                        List.of(pod("q").hostPort(8080, "TCP", "0.0.0.0")
                                .nodeName("n1")
                                .build()),
                        Status.unschedulable("node(s) didn't have free ports for the requested pod ports")),
                row(
                        NodePorts.NAME,
                        pod("p").hostPort(8080, "TCP", "").build(),
                        plain,
                        List.of(pod("q").hostPort(8080, "TCP", "10.0.0.2")
                                .nodeName("n1")
                                .build()),
                        Status.unschedulable("node(s) didn't have free ports for the requested pod ports")),
                // NodeResourcesFit
                row(
                        NodeResourcesFit.NAME,
                        pod("p").cpu("3").build(),
                        plain,
                        List.of(pod("q").cpu("2").nodeName("n1").build()),
                        Status.unschedulable("Insufficient cpu")),
                row(
                        NodeResourcesFit.NAME,
                        pod("p").cpu("5").memory("9Gi").build(),
                        plain,
                        List.of(),
                        // beyond the whole node, still resolvable in v1.32 (unresolvable from v1.34)
                        Status.unschedulable("Insufficient cpu", "Insufficient memory")),
                row(
                        NodeResourcesFit.NAME,
                        pod("p").cpu("2").build(),
                        plain,
                        List.of(pod("q").cpu("2").nodeName("n1").build()),
                        Status.SUCCESS),
                row(
                        NodeResourcesFit.NAME,
                        pod("p").build(),
                        node("n1").pods(1).build(),
                        List.of(pod("q").nodeName("n1").build()),
                        Status.unschedulable("Too many pods")),
                row(
                        NodeResourcesFit.NAME,
                        pod("p").request("example.com/gpu", "1").build(),
                        plain,
                        List.of(),
                        Status.unschedulable("Insufficient example.com/gpu")),
                row(
                        NodeResourcesFit.NAME,
                        pod("p").request("example.com/gpu", "1").build(),
                        node("n1").allocatable("example.com/gpu", "2").build(),
                        List.of(pod("q").request("example.com/gpu", "1")
                                .nodeName("n1")
                                .build()),
                        Status.SUCCESS));
    }

    private static Arguments row(String plugin, Pod pod, Node node, List<Pod> existing, Status expected) {
        return Arguments.of(plugin, pod, node, existing, expected);
    }

    private static Pod requiredNodeAffinity(String key, String op, String... values) {
        Pod p = pod("p").build();
        p.getSpec()
                .setAffinity(new io.fabric8.kubernetes.api.model.AffinityBuilder()
                        .withNewNodeAffinity()
                        .withNewRequiredDuringSchedulingIgnoredDuringExecution()
                        .addNewNodeSelectorTerm()
                        .withMatchExpressions(new NodeSelectorRequirementBuilder()
                                .withKey(key)
                                .withOperator(op)
                                .withValues(values)
                                .build())
                        .endNodeSelectorTerm()
                        .endRequiredDuringSchedulingIgnoredDuringExecution()
                        .endNodeAffinity()
                        .build());
        return p;
    }

    @ParameterizedTest(name = "{0} #{index}")
    @MethodSource("cases")
    void filter(String plugin, Pod pod, Node node, List<Pod> existing, Status expected) {
        NodeInfo info = NodeInfo.of(node, existing.stream().map(PodInfo::of).toArray(PodInfo[]::new));
        Status s = Frameworks.filter(Frameworks.only(plugin, List.of(info)), PodInfo.of(pod), info);
        if (expected.isSuccess()) {
            assertThat(s.isSuccess() || s.isSkip()).as(s.toString()).isTrue();
        } else {
            assertThat(s.code()).isEqualTo(expected.code());
            assertThat(s.reasons()).isEqualTo(expected.reasons());
            assertThat(s.plugin()).isEqualTo(plugin);
        }
    }
}
