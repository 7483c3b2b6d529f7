package dev.capstan.node.pods;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capstan.client.Kinds;
import dev.capstan.node.runtime.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KubeletSyncerTest extends SyncerTestBase {
    @Test
    void initContainersRunOneByOneInOrderThenTheContainers() {
        Pod pod = create(pod("web", "Always")
                .editSpec()
                .addToInitContainers(new ContainerBuilder()
                        .withName("init-a")
                        .withImage(IMAGE)
                        .build())
                .addToInitContainers(new ContainerBuilder()
                        .withName("init-b")
                        .withImage(IMAGE)
                        .build())
                .addToContainers(
                        new ContainerBuilder().withName("app").withImage(IMAGE).build())
                .endSpec());
        KubeletSyncer syncer = syncer();

        syncer.syncPod(pod);
        assertThat(latest(syncer, pod, "init-a").state()).isEqualTo(ContainerState.RUNNING);
        assertThat(latest(syncer, pod, "init-b")).isNull();
        // the kubelet's events about the first init container, as kubectl describe pod lists them
        assertThat(events.strings())
                .containsExactly(
                        "Normal Pulled Container image \"" + IMAGE + "\" already present on machine",
                        "Normal Created Created container init-a",
                        "Normal Started Started container init-a");
        pod = current(pod);
        assertThat(pod.getStatus().getPhase()).isEqualTo("Pending");
        assertThat(condition(pod, "Initialized").getMessage())
                .isEqualTo("containers with incomplete status: [init-a init-b]");
        assertThat(pod.getStatus()
                        .getContainerStatuses()
                        .get(0)
                        .getState()
                        .getWaiting()
                        .getReason())
                .isEqualTo("PodInitializing");

        runtime.exit(latest(syncer, pod, "init-a").id(), 0);
        syncer.syncPod(pod);
        assertThat(latest(syncer, pod, "init-b").state()).isEqualTo(ContainerState.RUNNING);
        assertThat(latest(syncer, pod, "app")).isNull();

        runtime.exit(latest(syncer, pod, "init-b").id(), 0);
        syncer.syncPod(current(pod));
        pod = current(pod);
        assertThat(latest(syncer, pod, "app").state()).isEqualTo(ContainerState.RUNNING);
        assertThat(pod.getStatus().getPhase()).isEqualTo("Running");
        assertThat(pod.getStatus().getPodIP()).startsWith("10.244.0.");
        assertThat(pod.getStatus().getHostIP()).isEqualTo("192.0.2.10");
        assertThat(pod.getStatus().getQosClass()).isEqualTo("BestEffort");
        assertThat(condition(pod, "Ready").getStatus()).isEqualTo("True");
        assertThat(condition(pod, "PodReadyToStartContainers").getStatus()).isEqualTo("True");
        var init = pod.getStatus().getInitContainerStatuses().get(0);
        assertThat(init.getState().getTerminated().getReason()).isEqualTo("Completed");
        assertThat(init.getReady()).isTrue();
        var app = pod.getStatus().getContainerStatuses().get(0);
        assertThat(app.getReady()).isTrue();
        assertThat(app.getStarted()).isTrue();
        assertThat(app.getContainerID()).startsWith("containerd://");
        assertThat(app.getImageID()).startsWith("sha256:");
    }

    @Test
    void aCrashingContainerRestartsWithTheCrashLoopBackOff() {
        Pod pod = create(pod("crash", "Always")
                .editSpec()
                .addToContainers(
                        new ContainerBuilder().withName("app").withImage(IMAGE).build())
                .endSpec());
        KubeletSyncer syncer = syncer();
        syncer.syncPod(pod);
        runtime.exit(latest(syncer, pod, "app").id(), 1);

        assertThat(syncer.syncPod(current(pod)))
                .as("the first restart is immediate")
                .isNull();
        assertThat(latest(syncer, pod, "app").metadata().attempt()).isEqualTo(1);
        runtime.exit(latest(syncer, pod, "app").id(), 1);

        assertThat(syncer.syncPod(current(pod))).isEqualTo(Duration.ofSeconds(10));
        pod = current(pod);
        var status = pod.getStatus().getContainerStatuses().get(0);
        assertThat(status.getState().getWaiting().getReason()).isEqualTo("CrashLoopBackOff");
        assertThat(status.getState().getWaiting().getMessage())
                .isEqualTo("back-off 10s restarting failed container=app pod=crash_default("
                        + pod.getMetadata().getUid() + ")");
        assertThat(status.getLastState().getTerminated().getExitCode()).isEqualTo(1);
        assertThat(status.getRestartCount()).isEqualTo(1);
        assertThat(pod.getStatus().getPhase()).isEqualTo("Running");
        assertThat(condition(pod, "Ready").getStatus()).isEqualTo("False");

        clock.advance(Duration.ofSeconds(10));
        assertThat(syncer.syncPod(current(pod))).isNull();
        assertThat(latest(syncer, pod, "app").metadata().attempt()).isEqualTo(2);
        assertThat(syncer.inspect(pod.getMetadata().getUid()).containers().get("app"))
                .as("the exited attempt before stays as lastState, older ones go")
                .hasSize(2);
        runtime.exit(latest(syncer, pod, "app").id(), 1);
        assertThat(syncer.syncPod(current(pod))).isEqualTo(Duration.ofSeconds(20));
        assertThat(current(pod)
                        .getStatus()
                        .getContainerStatuses()
                        .get(0)
                        .getState()
                        .getWaiting()
                        .getMessage())
                .startsWith("back-off 20s restarting failed container=app");
    }

    @Test
    void neverRestartsAndFails() {
        Pod pod = create(pod("once", "Never")
                .editSpec()
                .addToContainers(
                        new ContainerBuilder().withName("app").withImage(IMAGE).build())
                .endSpec());
        KubeletSyncer syncer = syncer();
        syncer.syncPod(pod);
        runtime.exit(latest(syncer, pod, "app").id(), 2);
        syncer.syncPod(current(pod));
        pod = current(pod);
        assertThat(latest(syncer, pod, "app").metadata().attempt()).isZero();
        assertThat(pod.getStatus().getPhase()).isEqualTo("Failed");
        assertThat(pod.getStatus()
                        .getContainerStatuses()
                        .get(0)
                        .getState()
                        .getTerminated()
                        .getReason())
                .isEqualTo("Error");
    }

    @Test
    void aMissingImageIsErrImagePullThenImagePullBackOff() {
        Pod pod = create(pod("missing", "Always")
                .editSpec()
                .addToContainers(new ContainerBuilder()
                        .withName("app")
                        .withImage("example.com/none:1")
                        .build())
                .endSpec());
        KubeletSyncer syncer = syncer();
        syncer.syncPod(pod);
        var waiting = current(pod)
                .getStatus()
                .getContainerStatuses()
                .get(0)
                .getState()
                .getWaiting();
        assertThat(waiting.getReason()).isEqualTo("ErrImagePull");
        // kubelet's words: the runtime's error as Go's gRPC prints it, not the agent's call and socket
        assertThat(waiting.getMessage())
                .isEqualTo("rpc error: code = Unknown desc = failed to pull and unpack image \"example.com/none:1\":"
                        + " no registry reachable");
        assertThat(runtime.calls()).contains("PullImage example.com/none:1");
        assertThat(events.strings()).hasSize(3);
        assertThat(events.strings().get(0)).isEqualTo("Normal Pulling Pulling image \"example.com/none:1\"");
        assertThat(events.strings().get(1))
                .isEqualTo(
                        "Warning Failed Failed to pull image \"example.com/none:1\": rpc error: code = Unknown desc ="
                                + " failed to pull and unpack image \"example.com/none:1\": no registry reachable");
        assertThat(events.strings().get(2)).isEqualTo("Warning Failed Error: ErrImagePull");
        events.clear();

        clock.advance(Duration.ofSeconds(1));
        syncer.syncPod(current(pod));
        waiting = current(pod)
                .getStatus()
                .getContainerStatuses()
                .get(0)
                .getState()
                .getWaiting();
        assertThat(waiting.getReason()).isEqualTo("ImagePullBackOff");
        assertThat(waiting.getMessage()).isEqualTo("Back-off pulling image \"example.com/none:1\"");
        assertThat(events.strings())
                .containsExactly(
                        "Normal BackOff Back-off pulling image \"example.com/none:1\"",
                        "Warning Failed Error: ImagePullBackOff");
        assertThat(current(pod).getStatus().getPhase()).isEqualTo("Pending");
    }

    @Test
    void statusIsWrittenOnlyWhenItChanges() {
        Pod pod = create(pod("quiet", "Always")
                .editSpec()
                .addToContainers(
                        new ContainerBuilder().withName("app").withImage(IMAGE).build())
                .endSpec());
        KubeletSyncer syncer = syncer();
        syncer.syncPod(pod);
        syncer.syncPod(current(pod));
        api.clearActions();
        clock.advance(Duration.ofMinutes(1));
        syncer.syncPod(current(pod));
        assertThat(api.actions()).isEmpty();
    }

    @Test
    void aDeletedPodStopsIsRemovedAndIsDeletedForGood() {
        Pod pod = create(pod("gone", "Always")
                .editSpec()
                .addToContainers(
                        new ContainerBuilder().withName("app").withImage(IMAGE).build())
                .endSpec());
        KubeletSyncer syncer = syncer();
        syncer.syncPod(pod);
        Pod deleting = new PodBuilder(current(pod))
                .editMetadata()
                .withDeletionTimestamp("2026-01-01T00:00:30Z")
                .withDeletionGracePeriodSeconds(30L)
                .endMetadata()
                .build();
        syncer.syncTerminatingPod(deleting, 30);
        assertThat(syncer.inspect(pod.getMetadata().getUid()).sandbox())
                .as("the sandbox is stopped")
                .isNull();
        assertThat(runtime.listContainers(null, Map.of())).allMatch(c -> c.state() == ContainerState.EXITED);
        syncer.syncTerminatedPod(deleting);
        assertThat(runtime.listContainers(null, Map.of())).isEmpty();
        assertThat(runtime.listPodSandboxes(Map.of())).isEmpty();
        assertThat(api.resources(Kinds.PODS).get("default", "gone")).isEmpty();
    }

    @Test
    void goDurations() {
        assertThat(KubeletSyncer.goDuration(Duration.ofSeconds(10))).isEqualTo("10s");
        assertThat(KubeletSyncer.goDuration(Duration.ofSeconds(80))).isEqualTo("1m20s");
        assertThat(KubeletSyncer.goDuration(Duration.ofMinutes(5))).isEqualTo("5m0s");
    }
}
