package dev.capstan.controllers.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Upstream's sync_test.go TestScale table (the cases that need no injected write failure). */
class ProportionalScalingTest {
    private static final String NEW = "2016-05-20T02:00:00Z";
    private static final String OLD = "2016-05-20T01:00:00Z";
    private static final String OLDER = "2016-05-20T00:00:00Z";

    /** Upstream's newDeployment: maxSurge and maxUnavailable 0 unless given. */
    private static Deployment deployment(int replicas, int maxSurge, int maxUnavailable) {
        Deployment d = Cluster.deployment(replicas, "nginx:1");
        d.getSpec().getStrategy().getRollingUpdate().setMaxSurge(new IntOrString(maxSurge));
        d.getSpec().getStrategy().getRollingUpdate().setMaxUnavailable(new IntOrString(maxUnavailable));
        return d;
    }

    private static ReplicaSet rs(String name, int replicas, String created) {
        return new ReplicaSetBuilder()
                .withNewMetadata()
                .withName(name)
                .withUid(name)
                .withCreationTimestamp(created)
                .endMetadata()
                .withNewSpec()
                .withReplicas(replicas)
                .endSpec()
                .withNewStatus()
                .endStatus()
                .build();
    }

    /** name, deployment (replicas, surge), old deployment (replicas, surge), new RS, old RSs, expected sizes. */
    static Stream<Arguments> scale() {
        return Stream.of(
                Arguments.of(
                        "normal scaling event: 10 -> 12",
                        12,
                        0,
                        10,
                        0,
                        rs("foo-v1", 10, NEW),
                        List.of(),
                        Map.of("foo-v1", 12)),
                Arguments.of(
                        "normal scaling event: 10 -> 5",
                        5,
                        0,
                        10,
                        0,
                        rs("foo-v1", 10, NEW),
                        List.of(),
                        Map.of("foo-v1", 5)),
                Arguments.of(
                        "proportional scaling: 5 -> 10",
                        10,
                        0,
                        5,
                        0,
                        rs("foo-v2", 2, NEW),
                        List.of(rs("foo-v1", 3, OLD)),
                        Map.of("foo-v2", 4, "foo-v1", 6)),
                Arguments.of(
                        "proportional scaling: 5 -> 3",
                        3,
                        0,
                        5,
                        0,
                        rs("foo-v2", 2, NEW),
                        List.of(rs("foo-v1", 3, OLD)),
                        Map.of("foo-v2", 1, "foo-v1", 2)),
                Arguments.of(
                        "proportional scaling: 9 -> 4",
                        4,
                        0,
                        9,
                        0,
                        rs("foo-v2", 8, NEW),
                        List.of(rs("foo-v1", 1, OLD)),
                        Map.of("foo-v2", 4, "foo-v1", 0)),
                Arguments.of(
                        "proportional scaling: 7 -> 10",
                        10,
                        0,
                        7,
                        0,
                        rs("foo-v3", 2, NEW),
                        List.of(rs("foo-v2", 3, OLD), rs("foo-v1", 2, OLDER)),
                        Map.of("foo-v3", 3, "foo-v2", 4, "foo-v1", 3)),
                Arguments.of(
                        "proportional scaling: 13 -> 8",
                        8,
                        0,
                        13,
                        0,
                        rs("foo-v3", 2, NEW),
                        List.of(rs("foo-v2", 8, OLD), rs("foo-v1", 3, OLDER)),
                        Map.of("foo-v3", 1, "foo-v2", 5, "foo-v1", 2)),
                Arguments.of(
                        "leftover distribution: 3 -> 4",
                        4,
                        0,
                        3,
                        0,
                        rs("foo-v3", 1, NEW),
                        List.of(rs("foo-v2", 1, OLD), rs("foo-v1", 1, OLDER)),
                        Map.of("foo-v3", 2, "foo-v2", 1, "foo-v1", 1)),
                Arguments.of(
                        "leftover distribution: 3 -> 2",
                        2,
                        0,
                        3,
                        0,
                        rs("foo-v3", 1, NEW),
                        List.of(rs("foo-v2", 1, OLD), rs("foo-v1", 1, OLDER)),
                        Map.of("foo-v3", 1, "foo-v2", 1, "foo-v1", 0)),
                Arguments.of(
                        "proportional scaling (no new rs): 4 -> 5",
                        5,
                        0,
                        4,
                        0,
                        null,
                        List.of(rs("foo-v2", 2, OLD), rs("foo-v1", 2, OLDER)),
                        Map.of("foo-v2", 3, "foo-v1", 2)),
                Arguments.of(
                        "proportional scaling: 6 -> 0",
                        0,
                        0,
                        6,
                        0,
                        rs("foo-v3", 3, NEW),
                        List.of(rs("foo-v2", 2, OLD), rs("foo-v1", 1, OLDER)),
                        Map.of("foo-v3", 0, "foo-v2", 0, "foo-v1", 0)),
                Arguments.of(
                        "proportional scaling: 0 -> 6",
                        6,
                        0,
                        6,
                        0,
                        rs("foo-v3", 0, NEW),
                        List.of(rs("foo-v2", 0, OLD), rs("foo-v1", 0, OLDER)),
                        Map.of("foo-v3", 6, "foo-v2", 0, "foo-v1", 0)),
                Arguments.of(
                        "deployment with surge pods",
                        20,
                        2,
                        10,
                        2,
                        rs("foo-v2", 6, NEW),
                        List.of(rs("foo-v1", 6, OLD)),
                        Map.of("foo-v2", 11, "foo-v1", 11)),
                Arguments.of(
                        "change both surge and size",
                        50,
                        6,
                        10,
                        3,
                        rs("foo-v2", 5, NEW),
                        List.of(rs("foo-v1", 8, OLD)),
                        Map.of("foo-v2", 22, "foo-v1", 34)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void scale(
            String name,
            int replicas,
            int surge,
            int oldReplicas,
            int oldSurge,
            ReplicaSet newRS,
            List<ReplicaSet> oldRSs,
            Map<String, Integer> expected) {
        Deployment d = deployment(replicas, surge, 0);
        List<ReplicaSet> all = new ArrayList<>(oldRSs);
        if (newRS != null) {
            all.add(newRS);
        }
        all.forEach(rs -> DeploymentUtil.setReplicasAnnotations(rs, oldReplicas, oldReplicas + oldSurge));
        Map<String, Integer> sizes = new HashMap<>();
        all.forEach(rs -> sizes.put(rs.getMetadata().getName(), rs.getSpec().getReplicas()));
        ProportionalScaling.plan(d, newRS, oldRSs)
                .forEach(t -> sizes.put(t.rs().getMetadata().getName(), t.size()));
        assertThat(sizes).isEqualTo(expected);
    }

    @org.junit.jupiter.api.Test
    void saturatedButBrokenNewReplicaSetLeavesOldPodsAlone() {
        Deployment d = deployment(2, 1, 1);
        ReplicaSet newRS = rs("foo-v2", 2, NEW);
        ReplicaSet old = rs("foo-v1", 1, OLD);
        List.of(newRS, old).forEach(rs -> DeploymentUtil.setReplicasAnnotations(rs, 2, 3));
        assertThat(ProportionalScaling.plan(d, newRS, List.of(old)))
                .allSatisfy(t -> assertThat(t.size()).isEqualTo(t.rs().getSpec().getReplicas()));
    }

    @org.junit.jupiter.api.Test
    void changeBothSizeAndTemplateWithoutANewReplicaSet() {
        Deployment d = deployment(14, 0, 0);
        ReplicaSet v2 = rs("foo-v2", 7, NEW);
        ReplicaSet v1 = rs("foo-v1", 3, OLD);
        List.of(v2, v1).forEach(rs -> DeploymentUtil.setReplicasAnnotations(rs, 10, 10));
        Map<String, Integer> sizes = new HashMap<>();
        ProportionalScaling.plan(d, null, List.of(v2, v1))
                .forEach(t -> sizes.put(t.rs().getMetadata().getName(), t.size()));
        assertThat(sizes).isEqualTo(Map.of("foo-v2", 10, "foo-v1", 4));
    }
}
