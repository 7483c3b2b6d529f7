package dev.capstan.node.pods;

import dev.capstan.client.Kinds;
import dev.capstan.client.events.FakeEventRecorder;
import dev.capstan.client.fake.FakeApiClient;
import dev.capstan.node.probes.ProbeManager;
import dev.capstan.node.runtime.ContainerStatus;
import dev.capstan.node.runtime.FakeClock;
import dev.capstan.node.runtime.FakeContainerRuntime;
import dev.capstan.node.volumes.FakeMounter;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the pod sync's tests share: a {@link KubeletSyncer} for node "node-1" on fakes of the runtime (with the
 * busybox image), the API, events and mounts, with its state in a temporary directory; and the pods they make.
 */
abstract class SyncerTestBase {
    static final String IMAGE = "localhost/capstan/busybox:1";

    final FakeClock clock = new FakeClock();
    final FakeContainerRuntime runtime = new FakeContainerRuntime(clock).addImage(IMAGE);
    final FakeApiClient api = new FakeApiClient(clock);
    final FakeEventRecorder events = new FakeEventRecorder();
    final FakeMounter mounter = new FakeMounter();

    @TempDir
    Path state;

    /**
     * @param resync how often pods with ConfigMap or Secret files sync again
     * @param allowPrivileged whether the node lets containers run privileged
     */
    KubeletSyncer syncer(ProbeManager probes, Duration resync, boolean allowPrivileged) {
        var node = new NodeContext(
                "node-1",
                "192.0.2.10",
                NodeContext.allocatable(2000, 4L << 30),
                state,
                List.of(),
                "cluster.local",
                () -> true,
                allowPrivileged);
        var volumes = new PodVolumes(api, state.resolve("kubelet/pods"), node.allocatable(), mounter, clock, resync);
        return new KubeletSyncer(runtime, api, node, probes, volumes, events, clock);
    }

    /** A syncer whose probes never run, resyncing every minute, on a node without privileged containers. */
    KubeletSyncer syncer() {
        return syncer(ProbeManager.manual((t, p, d) -> null, events, clock, uid -> {}), Duration.ofMinutes(1), false);
    }

    Pod create(PodBuilder builder) {
        return api.resources(Kinds.PODS).create(builder.build());
    }

    Pod current(Pod pod) {
        return api.resources(Kinds.PODS)
                .get(pod.getMetadata().getNamespace(), pod.getMetadata().getName())
                .orElseThrow();
    }

    ContainerStatus latest(KubeletSyncer syncer, Pod pod, String name) {
        return syncer.inspect(pod.getMetadata().getUid()).latest(name);
    }

    /** A pod in "default" bound to node-1. */
    static PodBuilder pod(String name, String restartPolicy) {
        return new PodBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace("default")
                .endMetadata()
                .withNewSpec()
                .withNodeName("node-1")
                .withRestartPolicy(restartPolicy)
                .endSpec();
    }

    static PodCondition condition(Pod pod, String type) {
        return pod.getStatus().getConditions().stream()
                .filter(c -> type.equals(c.getType()))
                .findFirst()
                .orElseThrow();
    }
}
