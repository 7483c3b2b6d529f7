package dev.capstan.controllers.replicaset;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Pairs after upstream's TestSortingActivePodsWithRanks: the first pod of each pair is deleted first. */
class PodRankingTest {
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

    private static PodBuilder pod(String uid) {
        return new PodBuilder()
                .withNewMetadata()
                .withName(uid)
                .withUid(uid)
                .withCreationTimestamp(NOW.minus(Duration.ofDays(1)).toString())
                .endMetadata()
                .withNewSpec()
                .endSpec()
                .withNewStatus()
                .endStatus();
    }

    private static Pod unscheduled() {
        return pod("unscheduled")
                .withNewStatus()
                .withPhase("Pending")
                .endStatus()
                .build();
    }

    private static Pod on(String node, String phase, String uid) {
        return pod(uid).editSpec()
                .withNodeName(node)
                .endSpec()
                .withNewStatus()
                .withPhase(phase)
                .endStatus()
                .build();
    }

    private static Pod ready(String node, Duration since, int restarts, String uid) {
        return pod(uid).editSpec()
                .withNodeName(node)
                .endSpec()
                .withNewStatus()
                .withPhase("Running")
                .addNewCondition()
                .withType("Ready")
                .withStatus("True")
                .withLastTransitionTime(NOW.minus(since).toString())
                .endCondition()
                .addNewContainerStatus()
                .withName("c")
                .withRestartCount(restarts)
                .endContainerStatus()
                .endStatus()
                .build();
    }

    private static Pod withCost(Pod pod, int cost) {
        pod.getMetadata().setAnnotations(Map.of(PodRanking.DELETION_COST, Integer.toString(cost)));
        return pod;
    }

    private static Pod createdAgo(Pod pod, Duration ago) {
        pod.getMetadata().setCreationTimestamp(NOW.minus(ago).toString());
        return pod;
    }

    static Stream<Arguments> firstIsDeletedFirst() {
        return Stream.of(
                Arguments.of("unassigned < assigned", unscheduled(), on("n1", "Pending", "b"), 0, 0),
                Arguments.of("Pending < Unknown", on("n1", "Pending", "a"), on("n1", "Unknown", "b"), 0, 0),
                Arguments.of("Unknown < Running", on("n1", "Unknown", "a"), on("n1", "Running", "b"), 0, 0),
                Arguments.of(
                        "not ready < ready", on("n1", "Running", "a"), ready("n1", Duration.ofHours(1), 0, "b"), 0, 0),
                Arguments.of(
                        "lower deletion cost first",
                        withCost(ready("n1", Duration.ofHours(1), 0, "a"), -10),
                        withCost(ready("n1", Duration.ofHours(1), 0, "b"), 10),
                        0,
                        0),
                Arguments.of(
                        "more co-located related pods first",
                        ready("n1", Duration.ofHours(1), 0, "a"),
                        ready("n2", Duration.ofHours(1), 0, "b"),
                        3,
                        1),
                Arguments.of(
                        "ready for a shorter time first",
                        ready("n1", Duration.ofMinutes(1), 0, "a"),
                        ready("n1", Duration.ofHours(5), 0, "b"),
                        0,
                        0),
                Arguments.of(
                        "more restarts first",
                        ready("n1", Duration.ofHours(1), 5, "a"),
                        ready("n1", Duration.ofHours(1), 1, "b"),
                        0,
                        0),
                Arguments.of(
                        "newer first",
                        createdAgo(on("n1", "Running", "a"), Duration.ofMinutes(1)),
                        createdAgo(on("n1", "Running", "b"), Duration.ofHours(3)),
                        0,
                        0),
                Arguments.of(
                        "same log2 age bucket: lower uid first",
                        createdAgo(on("n1", "Running", "a"), Duration.ofSeconds(1000)),
                        createdAgo(on("n1", "Running", "b"), Duration.ofSeconds(1001)),
                        0,
                        0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void firstIsDeletedFirst(String name, Pod first, Pod second, int rankFirst, int rankSecond) {
        assertThat(PodRanking.compare(first, rankFirst, second, rankSecond, NOW))
                .isNegative();
        assertThat(PodRanking.compare(second, rankSecond, first, rankFirst, NOW))
                .isPositive();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("firstIsDeletedFirst")
    void podsToDeleteTakesTheLowestRanked(String name, Pod first, Pod second, int rankFirst, int rankSecond) {
        if (rankFirst != rankSecond) {
            return; // ranks come from related pods there, covered below
        }
        assertThat(PodRanking.podsToDelete(List.of(second, first), List.of(), 1, NOW))
                .containsExactly(first);
    }

    @org.junit.jupiter.api.Test
    void ranksCountActiveRelatedPodsPerNode() {
        Pod crowded = ready("n1", Duration.ofHours(1), 0, "b");
        Pod alone = ready("n2", Duration.ofHours(1), 0, "a");
        List<Pod> related = List.of(crowded, on("n1", "Running", "x"), on("n1", "Failed", "y"), alone);
        assertThat(PodRanking.podsToDelete(List.of(alone, crowded), related, 1, NOW))
                .containsExactly(crowded);
    }

    @org.junit.jupiter.api.Test
    void logRankIsFloorOfLog2Nanoseconds() {
        assertThat(PodRanking.logRank(NOW.minusNanos(1024), NOW)).isEqualTo(10);
        assertThat(PodRanking.logRank(NOW.minusNanos(1023), NOW)).isEqualTo(9);
        assertThat(PodRanking.logRank(NOW, NOW)).isEqualTo(-1);
    }
}
