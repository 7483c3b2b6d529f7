package dev.capstan.node.pods;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capstan.client.Kinds;
import dev.capstan.node.probes.ProbeManager;
import dev.capstan.node.probes.Prober;
import dev.capstan.node.runtime.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** What the pod sync does with probe results: kills and restarts on liveness, ready and Ready from readiness. */
class KubeletProbesTest extends SyncerTestBase {
    private final AtomicBoolean healthy = new AtomicBoolean(true);
    private final ProbeManager probes = ProbeManager.manual(
            (target, spec, timeout) -> healthy.get()
                    ? Prober.Outcome.success("")
                    : Prober.Outcome.failure("HTTP probe failed with statuscode: 503"),
            events,
            clock,
            uid -> {});

    @Override
    KubeletSyncer syncer() {
        return syncer(probes, Duration.ofMinutes(1), false);
    }

    private Pod create(String name, String restartPolicy, ContainerBuilder container) {
        return api.resources(Kinds.PODS)
                .create(new PodBuilder()
                        .withNewMetadata()
                        .withName(name)
                        .withNamespace("default")
                        .endMetadata()
                        .withNewSpec()
                        .withNodeName("node-1")
                        .withRestartPolicy(restartPolicy)
                        .withTerminationGracePeriodSeconds(5L)
                        .addToContainers(
                                container.withName("app").withImage(IMAGE).build())
                        .endSpec()
                        .build());
    }

    private static ProbeBuilder httpProbe(int failureThreshold) {
        return new ProbeBuilder()
                .withNewHttpGet()
                .withPath("/healthz")
                .withNewPort(8080)
                .endHttpGet()
                .withFailureThreshold(failureThreshold);
    }

    @Test
    void aLivenessFailureKillsTheContainerAndStartsItAgain() {
        Pod pod = create(
                "live",
                "Always",
                new ContainerBuilder().withLivenessProbe(httpProbe(3).build()));
        KubeletSyncer syncer = syncer();
        String uid = pod.getMetadata().getUid();
        syncer.syncPod(pod);
        String first = syncer.inspect(uid).latest("app").id();
        healthy.set(false);
        for (int i = 0; i < 3; i++) {
            probes.probeAll();
        }
        assertThat(probes.livenessFailed(first)).isTrue();

        syncer.syncPod(current(pod));
        var rt = syncer.inspect(uid);
        assertThat(rt.latest("app").metadata().attempt()).isEqualTo(1);
        assertThat(rt.latest("app").state()).isEqualTo(ContainerState.RUNNING);
        assertThat(rt.previous("app").id()).isEqualTo(first);
        assertThat(rt.previous("app").state()).isEqualTo(ContainerState.EXITED);
        assertThat(events.strings())
                .contains("Normal Killing Container app failed liveness probe, will be restarted")
                .contains("Warning Unhealthy Liveness probe failed: HTTP probe failed with statuscode: 503");
        var status = current(pod).getStatus().getContainerStatuses().get(0);
        assertThat(status.getRestartCount()).isEqualTo(1);
        assertThat(status.getLastState().getTerminated().getExitCode()).isEqualTo(137);
        assertThat(status.getState().getRunning()).isNotNull();
    }

    @Test
    void underNeverALivenessFailureKillsWithoutARestart() {
        Pod pod = create(
                "once",
                "Never",
                new ContainerBuilder().withLivenessProbe(httpProbe(1).build()));
        KubeletSyncer syncer = syncer();
        syncer.syncPod(pod);
        healthy.set(false);
        probes.probeAll();
        syncer.syncPod(current(pod));
        assertThat(events.strings()).contains("Normal Killing Container app failed liveness probe");
        Pod now = current(pod);
        assertThat(now.getStatus().getContainerStatuses().get(0).getState().getTerminated())
                .isNotNull();
        assertThat(now.getStatus().getPhase()).isEqualTo("Failed");
    }

    @Test
    void readinessMakesTheContainerAndThePodReadyOrNot() {
        Pod pod = create(
                "ready",
                "Always",
                new ContainerBuilder().withReadinessProbe(httpProbe(1).build()));
        KubeletSyncer syncer = syncer();
        syncer.syncPod(pod);
        Pod now = current(pod);
        assertThat(now.getStatus().getContainerStatuses().get(0).getReady())
                .as("not ready before the first probe")
                .isFalse();
        assertThat(now.getStatus().getContainerStatuses().get(0).getStarted()).isTrue();
        assertThat(condition(now, "Ready").getStatus()).isEqualTo("False");
        assertThat(condition(now, "Ready").getReason()).isEqualTo("ContainersNotReady");
        assertThat(condition(now, "Ready").getMessage()).isEqualTo("containers with unready status: [app]");

        probes.probeAll();
        syncer.syncPod(current(pod));
        now = current(pod);
        assertThat(now.getStatus().getContainerStatuses().get(0).getReady()).isTrue();
        assertThat(condition(now, "Ready").getStatus()).isEqualTo("True");
        assertThat(condition(now, "ContainersReady").getStatus()).isEqualTo("True");

        healthy.set(false);
        probes.probeAll();
        syncer.syncPod(current(pod));
        now = current(pod);
        assertThat(now.getStatus().getContainerStatuses().get(0).getReady()).isFalse();
        assertThat(condition(now, "Ready").getStatus()).isEqualTo("False");
        assertThat(condition(now, "ContainersReady").getStatus()).isEqualTo("False");
        assertThat(now.getStatus().getPhase()).as("an unready pod still runs").isEqualTo("Running");
    }

    @Test
    void aContainerIsNotStartedUntilItsStartupProbeSucceeds() {
        Pod pod = create(
                "slow",
                "Always",
                new ContainerBuilder().withStartupProbe(httpProbe(30).build()));
        KubeletSyncer syncer = syncer();
        healthy.set(false);
        syncer.syncPod(pod);
        probes.probeAll();
        syncer.syncPod(current(pod));
        var status = current(pod).getStatus().getContainerStatuses().get(0);
        assertThat(status.getStarted()).isFalse();
        assertThat(status.getReady()).isFalse();
        healthy.set(true);
        probes.probeAll();
        syncer.syncPod(current(pod));
        status = current(pod).getStatus().getContainerStatuses().get(0);
        assertThat(status.getStarted()).isTrue();
        assertThat(status.getReady()).isTrue();
    }
}
