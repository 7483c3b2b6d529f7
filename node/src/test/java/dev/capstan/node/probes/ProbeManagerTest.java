package dev.capstan.node.probes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capstan.client.events.FakeEventRecorder;
import dev.capstan.node.runtime.ContainerMetadata;
import dev.capstan.node.runtime.ContainerState;
import dev.capstan.node.runtime.ContainerStatus;
import dev.capstan.node.runtime.FakeClock;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The probe workers' state machine on a fake prober and clock, tick by tick (upstream worker_test.go's cases). */
class ProbeManagerTest {
    private final FakeClock clock = new FakeClock();
    private final FakeEventRecorder events = new FakeEventRecorder();
    private final List<String> woken = new ArrayList<>();
    /** Scripted outcomes per probe type; an empty script answers success. */
    private final Map<ProbeType, Deque<Prober.Outcome>> script = Map.of(
            ProbeType.LIVENESS, new ArrayDeque<>(),
            ProbeType.READINESS, new ArrayDeque<>(),
            ProbeType.STARTUP, new ArrayDeque<>());

    private final List<String> probed = new ArrayList<>();
    private final ProbeManager probes = ProbeManager.manual(
            (target, spec, timeout) -> {
                ProbeType type = spec == target.container().getLivenessProbe()
                        ? ProbeType.LIVENESS
                        : spec == target.container().getReadinessProbe() ? ProbeType.READINESS : ProbeType.STARTUP;
                probed.add(type + " " + target.containerId());
                Prober.Outcome next = script.get(type).poll();
                if (next == null) {
                    return Prober.Outcome.success("");
                }
                if (next.output().equals("error")) {
                    throw new Prober.ProbeException("port \"web\" not found");
                }
                return next;
            },
            events,
            clock,
            woken::add);

    private static Probe probe(int failureThreshold) {
        return new ProbeBuilder()
                .withNewExec()
                .withCommand("true")
                .endExec()
                .withFailureThreshold(failureThreshold)
                .build();
    }

    private static Pod pod(Container c, String restartPolicy) {
        return new PodBuilder()
                .withNewMetadata()
                .withName("p")
                .withNamespace("default")
                .withUid("uid-1")
                .endMetadata()
                .withNewSpec()
                .withRestartPolicy(restartPolicy)
                .addToContainers(c)
                .endSpec()
                .build();
    }

    private ContainerStatus container(String id, ContainerState state) {
        return new ContainerStatus(
                id,
                new ContainerMetadata("app", 0),
                state,
                new ContainerStatus.Times(clock.instant(), clock.instant(), null),
                0,
                "",
                "",
                "img",
                "sha256:1",
                "",
                Map.of(),
                Map.of());
    }

    private void see(Pod pod, ContainerStatus c) {
        probes.update(pod, "10.244.0.2", Map.of("app", c));
    }

    private static Prober.Outcome fail() {
        return Prober.Outcome.failure("HTTP probe failed with statuscode: 500");
    }

    @Test
    void defaultsAreUpstreams() {
        assertThat(ProbeTiming.of(new Probe())).isEqualTo(new ProbeTiming(0, 10, 1, 1, 3));
    }

    @Test
    void readinessStartsFalseTurnsTrueOnSuccessAndFalseAfterTheFailureThreshold() {
        Container app = new ContainerBuilder()
                .withName("app")
                .withReadinessProbe(probe(3))
                .build();
        Pod pod = pod(app, "Always");
        see(pod, container("c1", ContainerState.RUNNING));
        probes.probeAll();
        assertThat(probes.ready("uid-1", "app", "c1")).isTrue();
        assertThat(woken).isNotEmpty();

        script.get(ProbeType.READINESS).addAll(List.of(fail(), fail()));
        probes.probeAll();
        probes.probeAll();
        assertThat(probes.ready("uid-1", "app", "c1"))
                .as("two failures are below the threshold of 3")
                .isTrue();
        script.get(ProbeType.READINESS).add(fail());
        probes.probeAll();
        assertThat(probes.ready("uid-1", "app", "c1")).isFalse();
        assertThat(events.strings())
                .contains("Warning Unhealthy Readiness probe failed: HTTP probe failed with statuscode: 500");
    }

    @Test
    void aContainerWithoutReadinessProbeIsReadyAndAnUnprobedOneIsNot() {
        Container app = new ContainerBuilder()
                .withName("app")
                .withReadinessProbe(probe(3))
                .build();
        see(pod(app, "Always"), container("c1", ContainerState.RUNNING));
        assertThat(probes.ready("uid-1", "app", "c1")).isFalse();
        assertThat(probes.ready("uid-1", "other", "c2")).isTrue();
        assertThat(probes.started("uid-1", "app", "c1")).isTrue();
    }

    @Test
    void livenessFailsAfterTheThresholdThenHoldsUntilANewContainer() {
        Container app = new ContainerBuilder()
                .withName("app")
                .withLivenessProbe(probe(2))
                .build();
        Pod pod = pod(app, "Always");
        see(pod, container("c1", ContainerState.RUNNING));
        script.get(ProbeType.LIVENESS).addAll(List.of(fail(), fail(), fail()));
        probes.probeAll();
        assertThat(probes.livenessFailed("c1")).isFalse();
        probes.probeAll();
        assertThat(probes.livenessFailed("c1")).isTrue();
        probes.probeAll();
        assertThat(probed).as("on hold after the verdict").hasSize(2);

        see(pod, container("c2", ContainerState.RUNNING));
        probes.probeAll();
        assertThat(probed).hasSize(3).last().isEqualTo("Liveness c2");
        assertThat(probes.livenessFailed("c2"))
                .as("a new container starts as alive")
                .isFalse();
    }

    @Test
    void theStartupProbeGatesTheOthersAndStopsOnceStarted() {
        Container app = new ContainerBuilder()
                .withName("app")
                .withStartupProbe(probe(3))
                .withLivenessProbe(probe(3))
                .withReadinessProbe(probe(3))
                .build();
        see(pod(app, "Always"), container("c1", ContainerState.RUNNING));
        script.get(ProbeType.STARTUP).add(fail());
        probes.probeAll();
        assertThat(probed).containsExactly("Startup c1");
        assertThat(probes.started("uid-1", "app", "c1")).isFalse();

        probes.probeAll(); // startup succeeds; the others were skipped in this round or probe now
        assertThat(probes.started("uid-1", "app", "c1")).isTrue();
        probed.clear();
        probes.probeAll();
        assertThat(probed).containsExactlyInAnyOrder("Liveness c1", "Readiness c1");
        assertThat(probes.ready("uid-1", "app", "c1")).isTrue();
    }

    @Test
    void aStartupFailureAtTheThresholdKills() {
        Container app = new ContainerBuilder()
                .withName("app")
                .withStartupProbe(probe(1))
                .build();
        see(pod(app, "Always"), container("c1", ContainerState.RUNNING));
        script.get(ProbeType.STARTUP).add(fail());
        probes.probeAll();
        assertThat(probes.startupFailed("c1")).isTrue();
        assertThat(probes.started("uid-1", "app", "c1")).isFalse();
    }

    @Test
    void nothingIsProbedDuringTheInitialDelay() {
        Probe delayed = new ProbeBuilder(probe(3)).withInitialDelaySeconds(5).build();
        Container app = new ContainerBuilder()
                .withName("app")
                .withLivenessProbe(delayed)
                .build();
        see(pod(app, "Always"), container("c1", ContainerState.RUNNING));
        clock.advance(Duration.ofSeconds(4));
        probes.probeAll();
        assertThat(probed).isEmpty();
        clock.advance(Duration.ofSeconds(1));
        probes.probeAll();
        assertThat(probed).containsExactly("Liveness c1");
    }

    @Test
    void successThresholdCountsSuccessesInARow() {
        Probe twice = new ProbeBuilder(probe(3)).withSuccessThreshold(2).build();
        Container app =
                new ContainerBuilder().withName("app").withReadinessProbe(twice).build();
        see(pod(app, "Always"), container("c1", ContainerState.RUNNING));
        probes.probeAll();
        assertThat(probes.ready("uid-1", "app", "c1")).isFalse();
        probes.probeAll();
        assertThat(probes.ready("uid-1", "app", "c1")).isTrue();
    }

    @Test
    void anExitedContainerIsUnreadyAndUnderNeverTheWorkerStops() {
        Container app = new ContainerBuilder()
                .withName("app")
                .withReadinessProbe(probe(3))
                .build();
        Pod pod = pod(app, "Never");
        see(pod, container("c1", ContainerState.RUNNING));
        probes.probeAll();
        assertThat(probes.ready("uid-1", "app", "c1")).isTrue();
        see(pod, container("c1", ContainerState.EXITED));
        probes.probeAll();
        assertThat(probes.ready("uid-1", "app", "c1")).isFalse();
        assertThat(probes.size()).isZero();
    }

    @Test
    void aDeletedPodsLivenessIsSuccessAndStops() {
        Container app = new ContainerBuilder()
                .withName("app")
                .withLivenessProbe(probe(1))
                .build();
        Pod pod = new PodBuilder(pod(app, "Always"))
                .editMetadata()
                .withDeletionTimestamp("2026-01-01T00:00:00Z")
                .endMetadata()
                .build();
        see(pod, container("c1", ContainerState.RUNNING));
        script.get(ProbeType.LIVENESS).add(fail());
        probes.probeAll();
        assertThat(probes.livenessFailed("c1")).isFalse();
        assertThat(probed).isEmpty();
        assertThat(probes.size()).isZero();
    }

    @Test
    void anErroredProbeIsThrownAwayAfterThreeTries() {
        Container app = new ContainerBuilder()
                .withName("app")
                .withLivenessProbe(probe(1))
                .build();
        see(pod(app, "Always"), container("c1", ContainerState.RUNNING));
        script.get(ProbeType.LIVENESS)
                .addAll(List.of(
                        Prober.Outcome.failure("error"),
                        Prober.Outcome.failure("error"),
                        Prober.Outcome.failure("error")));
        probes.probeAll();
        assertThat(probed).hasSize(3);
        assertThat(probes.livenessFailed("c1")).isFalse();
        assertThat(events.strings())
                .containsExactly(
                        "Warning Unhealthy Liveness probe errored and resulted in Unknown state: port \"web\" not found");
    }

    @Test
    void removingThePodStopsItsWorkersAndForgetsItsResults() {
        Container app = new ContainerBuilder()
                .withName("app")
                .withLivenessProbe(probe(1))
                .withReadinessProbe(probe(1))
                .build();
        see(pod(app, "Always"), container("c1", ContainerState.RUNNING));
        script.get(ProbeType.LIVENESS).add(fail());
        probes.probeAll();
        assertThat(probes.size()).isEqualTo(2);
        probes.stopLivenessAndStartup("uid-1");
        assertThat(probes.size()).isEqualTo(1);
        probes.removePod("uid-1");
        assertThat(probes.size()).isZero();
        assertThat(probes.livenessFailed("c1")).isFalse();
    }
}
