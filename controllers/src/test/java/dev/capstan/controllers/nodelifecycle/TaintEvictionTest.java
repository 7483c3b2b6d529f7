package dev.capstan.controllers.nodelifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TaintEvictionTest {
    private static final Taint UNREACHABLE = taint("node.kubernetes.io/unreachable");
    private static final Taint CUSTOM = taint("example.com/drain");

    private static Taint taint(String key) {
        return new TaintBuilder().withKey(key).withEffect("NoExecute").build();
    }

    private static Toleration exists(String key, Long seconds) {
        return new TolerationBuilder()
                .withKey(key)
                .withOperator("Exists")
                .withEffect("NoExecute")
                .withTolerationSeconds(seconds)
                .build();
    }

    /** Upstream's getMinTolerationTime and GetMatchingTolerations cases. */
    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("no taints", List.of(), List.of(), Optional.empty()),
                Arguments.of("untolerated", List.of(CUSTOM), List.of(), Optional.of(Duration.ZERO)),
                Arguments.of(
                        "tolerated forever",
                        List.of(UNREACHABLE),
                        List.of(exists("node.kubernetes.io/unreachable", null)),
                        Optional.empty()),
                Arguments.of(
                        "tolerated 30 s",
                        List.of(UNREACHABLE),
                        List.of(exists("node.kubernetes.io/unreachable", 30L)),
                        Optional.of(Duration.ofSeconds(30))),
                Arguments.of(
                        "negative seconds evict at once",
                        List.of(UNREACHABLE),
                        List.of(exists("node.kubernetes.io/unreachable", -5L)),
                        Optional.of(Duration.ZERO)),
                Arguments.of(
                        "the shortest of the used tolerations",
                        List.of(UNREACHABLE, CUSTOM),
                        List.of(exists("node.kubernetes.io/unreachable", 300L), exists("example.com/drain", 60L)),
                        Optional.of(Duration.ofSeconds(60))),
                Arguments.of(
                        "one taint untolerated evicts at once",
                        List.of(UNREACHABLE, CUSTOM),
                        List.of(exists("node.kubernetes.io/unreachable", null)),
                        Optional.of(Duration.ZERO)),
                Arguments.of(
                        "only the first matching toleration counts",
                        List.of(UNREACHABLE),
                        List.of(exists("", null), exists("node.kubernetes.io/unreachable", 10L)),
                        Optional.empty()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void evictAfter(String name, List<Taint> taints, List<Toleration> tolerations, Optional<Duration> expected) {
        assertThat(TaintEviction.evictAfter(taints, tolerations)).isEqualTo(expected);
    }

    static Stream<Arguments> defaults() {
        return Stream.of(
                Arguments.of(List.of(), 2),
                Arguments.of(List.of(exists("node.kubernetes.io/not-ready", 5L)), 2),
                Arguments.of(List.of(exists("", null)), 1),
                Arguments.of(
                        List.of(new TolerationBuilder()
                                .withKey("node.kubernetes.io/unreachable")
                                .withOperator("Exists")
                                .build()),
                        2),
                Arguments.of(
                        List.of(new TolerationBuilder()
                                .withKey("node.kubernetes.io/unreachable")
                                .withOperator("Exists")
                                .withEffect("NoSchedule")
                                .build()),
                        3));
    }

    /** DefaultTolerationSeconds adds only what the pod lacks: count of tolerations after it. */
    @ParameterizedTest
    @MethodSource("defaults")
    void defaultTolerationsAreAddedOnlyWhereMissing(List<Toleration> tolerations, int after) {
        List<Toleration> out = TaintEviction.withDefaults(tolerations, 300);
        assertThat(out).hasSize(after);
        assertThat(out.subList(tolerations.size(), out.size()))
                .allSatisfy(t -> assertThat(t.getTolerationSeconds()).isEqualTo(300L));
    }
}
