package dev.capstan.controllers.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DeploymentUtilTest {
    private static IntOrString value(String s) {
        if (s == null) {
            return null;
        }
        return s.endsWith("%") || !s.matches("-?\\d+") ? new IntOrString(s) : new IntOrString(Integer.parseInt(s));
    }

    /** Upstream's TestResolveFenceposts (string percentages), plus integer and rounding cases. */
    @ParameterizedTest(name = "surge {0}, unavailable {1}, desired {2}")
    @CsvSource(
            nullValues = "nil",
            value = {
                "0%, 0%, 0, 0, 1",
                "39%, 39%, 10, 4, 3",
                "nil, 39%, 10, 0, 3",
                "39%, nil, 10, 4, 0",
                "nil, nil, 10, 0, 1",
                "25%, 25%, 10, 3, 2",
                "25%, 25%, 1, 1, 0",
                "0, 0, 5, 0, 1",
                "2, 0, 5, 2, 0",
                "100%, 100%, 3, 3, 3",
            })
    void resolveFenceposts(String surge, String unavailable, int desired, int expectSurge, int expectUnavailable) {
        assertThat(DeploymentUtil.resolveFenceposts(value(surge), value(unavailable), desired))
                .isEqualTo(new DeploymentUtil.Fenceposts(expectSurge, expectUnavailable));
    }

    @ParameterizedTest
    @CsvSource({"oops, 39%", "55%, urg"})
    void malformedPercentagesAreErrors(String surge, String unavailable) {
        assertThatThrownBy(() -> DeploymentUtil.resolveFenceposts(value(surge), value(unavailable), 10))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void maxUnavailableIsCappedByReplicasAndZeroForRecreate() {
        Deployment d = Cluster.deployment(2, "x");
        d.getSpec().getStrategy().getRollingUpdate().setMaxUnavailable(new IntOrString(5));
        assertThat(DeploymentUtil.maxUnavailable(d)).isEqualTo(2);
        d.getSpec().getStrategy().setType("Recreate");
        assertThat(DeploymentUtil.maxUnavailable(d)).isZero();
        assertThat(DeploymentUtil.maxSurge(d)).isZero();
    }

    @Test
    void templateHashIsStableSafeAndChangesWithTemplateAndCollisionCount() {
        PodTemplateSpec template = Cluster.deployment(1, "nginx:1").getSpec().getTemplate();
        String hash = DeploymentUtil.podTemplateHash(template, null);
        assertThat(hash).matches("[bcdfghjklmnpqrstvwxz2456789]{1,10}");
        assertThat(DeploymentUtil.podTemplateHash(
                        Cluster.deployment(7, "nginx:1").getSpec().getTemplate(), null))
                .isEqualTo(hash);
        assertThat(DeploymentUtil.podTemplateHash(
                        Cluster.deployment(1, "nginx:2").getSpec().getTemplate(), null))
                .isNotEqualTo(hash);
        assertThat(DeploymentUtil.podTemplateHash(template, 1)).isNotEqualTo(hash);
        assertThat(DeploymentUtil.podTemplateHash(template, 0)).isNotEqualTo(hash);
    }

    @Test
    void safeEncodeMapsDigitsAsUpstream() {
        // '0' is 48, 48 % 27 = 21 -> '4'; '9' is 57 -> 3 -> 'f'
        assertThat(DeploymentUtil.safeEncode("09")).isEqualTo("4f");
    }

    @Test
    void equalIgnoreHashIgnoresTheHashLabelAndEmptyMaps() {
        PodTemplateSpec a = Cluster.deployment(1, "nginx:1").getSpec().getTemplate();
        PodTemplateSpec b = Cluster.deployment(1, "nginx:1").getSpec().getTemplate();
        Map<String, String> labels = new HashMap<>(b.getMetadata().getLabels());
        labels.put(DeploymentUtil.HASH_LABEL, "abc");
        b.getMetadata().setLabels(labels);
        b.getMetadata().setAnnotations(Map.of());
        assertThat(DeploymentUtil.equalIgnoreHash(a, b)).isTrue();
        b.getSpec().getContainers().getFirst().setImage("nginx:2");
        assertThat(DeploymentUtil.equalIgnoreHash(a, b)).isFalse();
    }

    private static ReplicaSet rsWithRevision(String revision) {
        ReplicaSet rs = new ReplicaSetBuilder()
                .withNewMetadata()
                .withName("r")
                .endMetadata()
                .build();
        if (revision != null) {
            rs.getMetadata().setAnnotations(new HashMap<>(Map.of(DeploymentUtil.REVISION, revision)));
        }
        return rs;
    }

    @Test
    void newReplicaSetAnnotationsCopyTheDeploymentsAndKeepRollbackHistory() {
        Deployment d = Cluster.deployment(3, "x");
        d.getMetadata()
                .setAnnotations(Map.of(
                        "kubernetes.io/change-cause",
                        "kubectl set image",
                        DeploymentUtil.LAST_APPLIED,
                        "{}",
                        DeploymentUtil.REVISION,
                        "9"));
        ReplicaSet fresh = rsWithRevision(null);
        assertThat(DeploymentUtil.setNewReplicaSetAnnotations(d, fresh, 1, false))
                .isTrue();
        assertThat(fresh.getMetadata().getAnnotations())
                .containsEntry("kubernetes.io/change-cause", "kubectl set image")
                .containsEntry(DeploymentUtil.REVISION, "1")
                .containsEntry(DeploymentUtil.DESIRED_REPLICAS, "3")
                .containsEntry(DeploymentUtil.MAX_REPLICAS, "4")
                .doesNotContainKeys(DeploymentUtil.LAST_APPLIED, DeploymentUtil.REVISION_HISTORY);

        ReplicaSet rolledBack = rsWithRevision("1");
        rolledBack.getMetadata().getAnnotations().put(DeploymentUtil.REVISION_HISTORY, "0");
        DeploymentUtil.setNewReplicaSetAnnotations(d, rolledBack, 5, true);
        assertThat(rolledBack.getMetadata().getAnnotations())
                .containsEntry(DeploymentUtil.REVISION, "5")
                .containsEntry(DeploymentUtil.REVISION_HISTORY, "0,1")
                .doesNotContainKey(DeploymentUtil.DESIRED_REPLICAS);

        ReplicaSet newer = rsWithRevision("7");
        DeploymentUtil.setNewReplicaSetAnnotations(d, newer, 5, true);
        assertThat(newer.getMetadata().getAnnotations()).containsEntry(DeploymentUtil.REVISION, "7");
    }

    @Test
    void revisionHistoryDropsTheOldestBeyondTwoThousandCharacters() {
        String history = "1" + ",1234567890".repeat(181); // 1 + 181 * 11 = 1992 characters
        String next = DeploymentUtil.appendHistory(history, "99999999");
        assertThat(next.length()).isLessThanOrEqualTo(DeploymentUtil.MAX_REVISION_HISTORY_CHARS);
        assertThat(next).endsWith(",99999999").doesNotStartWith("1,");
    }

    @Test
    void newReplicasForRollingUpdateStayWithinSurge() {
        Deployment d = Cluster.deployment(4, "x"); // surge 1
        ReplicaSet newRS =
                new ReplicaSetBuilder().withNewSpec().withReplicas(0).endSpec().build();
        ReplicaSet old =
                new ReplicaSetBuilder().withNewSpec().withReplicas(4).endSpec().build();
        assertThat(DeploymentUtil.newRSNewReplicas(d, java.util.List.of(old, newRS), newRS))
                .isEqualTo(1);
        old.getSpec().setReplicas(2);
        assertThat(DeploymentUtil.newRSNewReplicas(d, java.util.List.of(old, newRS), newRS))
                .isEqualTo(3);
        d.getSpec().getStrategy().setType("Recreate");
        assertThat(DeploymentUtil.newRSNewReplicas(d, java.util.List.of(old, newRS), newRS))
                .isEqualTo(4);
    }
}
