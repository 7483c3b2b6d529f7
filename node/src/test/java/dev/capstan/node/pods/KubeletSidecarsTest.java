package dev.capstan.node.pods;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capstan.node.probes.ProbeManager;
import dev.capstan.node.runtime.ContainerState;
import dev.capstan.node.runtime.ContainerStatus;
import dev.capstan.node.runtime.ExecResult;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Sidecars (restartable init containers), preStop hooks and security contexts in the pod sync. */
class KubeletSidecarsTest extends SyncerTestBase {
    private final List<List<String>> execs = new CopyOnWriteArrayList<>();

    private KubeletSyncer syncer(boolean allowPrivileged) {
        runtime.onExec(command -> {
            execs.add(command);
            return new ExecResult(0, new byte[0], new byte[0]);
        });
        return syncer(
                ProbeManager.manual((t, p, d) -> null, events, clock, uid -> {}),
                Duration.ofMinutes(1),
                allowPrivileged);
    }

    private static Container container(String name) {
        return new ContainerBuilder().withName(name).withImage(IMAGE).build();
    }

    private static Container sidecar(String name) {
        return new ContainerBuilder(container(name)).withRestartPolicy("Always").build();
    }

    @Test
    void aSidecarStartsBeforeTheNextInitContainerAndRunsBesideTheContainers() {
        Pod pod = create(pod("side", "Never")
                .editSpec()
                .addToInitContainers(sidecar("proxy"), container("setup"))
                .addToContainers(container("app"))
                .endSpec());
        KubeletSyncer syncer = syncer(false);

        syncer.syncPod(pod);
        assertThat(latest(syncer, pod, "proxy").state()).isEqualTo(ContainerState.RUNNING);
        assertThat(latest(syncer, pod, "setup")).isNull();
        syncer.syncPod(pod);
        assertThat(latest(syncer, pod, "setup").state()).isEqualTo(ContainerState.RUNNING);
        runtime.exit(latest(syncer, pod, "setup").id(), 0);
        syncer.syncPod(pod);
        assertThat(latest(syncer, pod, "app").state()).isEqualTo(ContainerState.RUNNING);
        assertThat(latest(syncer, pod, "proxy").state()).isEqualTo(ContainerState.RUNNING);
        Pod running = current(pod);
        assertThat(running.getStatus().getPhase()).isEqualTo("Running");
        assertThat(running.getStatus().getConditions())
                .anyMatch(
                        c -> c.getType().equals("Initialized") && c.getStatus().equals("True"))
                .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"));
        var proxy = running.getStatus().getInitContainerStatuses().get(0);
        assertThat(proxy.getState().getRunning()).isNotNull();
        assertThat(proxy.getStarted()).isTrue();
        assertThat(proxy.getReady()).isTrue();

        // A sidecar that exits is restarted even under restartPolicy Never.
        String first = latest(syncer, pod, "proxy").id();
        runtime.exit(first, 0);
        syncer.syncPod(pod);
        ContainerStatus again = latest(syncer, pod, "proxy");
        assertThat(again.id()).isNotEqualTo(first);
        assertThat(again.state()).isEqualTo(ContainerState.RUNNING);

        // Once the pod's container is done for good, its sidecar is stopped and the pod succeeds.
        runtime.exit(latest(syncer, pod, "app").id(), 0);
        syncer.syncPod(pod);
        syncer.syncPod(current(pod));
        assertThat(latest(syncer, pod, "proxy").state()).isEqualTo(ContainerState.EXITED);
        assertThat(current(pod).getStatus().getPhase()).isEqualTo("Succeeded");
    }

    @Test
    void terminationStopsTheContainersBeforeTheSidecarAndRunsPreStopHooksFirst() {
        Container app = new ContainerBuilder(container("app"))
                .withNewLifecycle()
                .withNewPreStop()
                .withNewExec()
                .withCommand("sh", "-c", "echo bye")
                .endExec()
                .endPreStop()
                .endLifecycle()
                .build();
        Pod pod = create(pod("term", "Always")
                .editSpec()
                .addToInitContainers(sidecar("proxy"))
                .addToContainers(app)
                .endSpec());
        KubeletSyncer syncer = syncer(false);
        syncer.syncPod(pod);
        syncer.syncPod(pod);
        String appId = latest(syncer, pod, "app").id();
        String proxyId = latest(syncer, pod, "proxy").id();

        syncer.syncTerminatingPod(current(pod), 30);

        assertThat(execs).containsExactly(List.of("sh", "-c", "echo bye"));
        List<String> calls = runtime.calls();
        int hook = calls.indexOf("ExecSync " + appId);
        int stopApp = calls.indexOf("StopContainer " + appId);
        int stopProxy = calls.indexOf("StopContainer " + proxyId);
        assertThat(hook)
                .as("the preStop hook runs before the stop")
                .isGreaterThanOrEqualTo(0)
                .isLessThan(stopApp);
        assertThat(stopApp).as("the sidecar stops last").isLessThan(stopProxy);
    }

    @Test
    void securityContextsReachTheRuntimeAndRunAsNonRootIsChecked() {
        Container strict = new ContainerBuilder(container("strict"))
                .withNewSecurityContext()
                .withRunAsUser(1000L)
                .withReadOnlyRootFilesystem(true)
                .withNewCapabilities()
                .withAdd("NET_ADMIN")
                .withDrop("ALL")
                .endCapabilities()
                .endSecurityContext()
                .build();
        Pod pod = create(pod("sec", "Always")
                .editSpec()
                .withNewSecurityContext()
                .withRunAsGroup(2000L)
                .withRunAsNonRoot(true)
                .endSecurityContext()
                .addToContainers(strict, container("rooted"))
                .endSpec());
        KubeletSyncer syncer = syncer(false);
        syncer.syncPod(pod);

        var security = runtime.config(latest(syncer, pod, "strict").id()).security();
        assertThat(security.runAsUser()).isEqualTo(1000L);
        assertThat(security.runAsGroup())
                .as("the pod's, where the container sets none")
                .isEqualTo(2000L);
        assertThat(security.readOnlyRootFilesystem()).isTrue();
        assertThat(security.addCapabilities()).containsExactly("NET_ADMIN");
        assertThat(security.dropCapabilities()).containsExactly("ALL");
        // The busybox image names no user, so it runs as root: refused under the pod's runAsNonRoot.
        assertThat(latest(syncer, pod, "rooted")).isNull();
        var waiting = current(pod)
                .getStatus()
                .getContainerStatuses()
                .get(1)
                .getState()
                .getWaiting();
        assertThat(waiting.getReason()).isEqualTo("CreateContainerConfigError");
        assertThat(waiting.getMessage())
                .isEqualTo("container has runAsNonRoot and image will run as root (pod: \"sec_default("
                        + pod.getMetadata().getUid() + ")\", container: rooted)");
    }

    @Test
    void privilegedContainersWaitUnlessTheNodeAllowsThem() {
        Container privileged = new ContainerBuilder(container("priv"))
                .withNewSecurityContext()
                .withPrivileged(true)
                .endSecurityContext()
                .build();
        Pod pod = create(
                pod("priv", "Always").editSpec().addToContainers(privileged).endSpec());
        syncer(false).syncPod(pod);
        var waiting = current(pod)
                .getStatus()
                .getContainerStatuses()
                .get(0)
                .getState()
                .getWaiting();
        assertThat(waiting.getReason()).isEqualTo("CreateContainerConfigError");
        assertThat(waiting.getMessage()).contains("asks to run privileged", "capstan.node.allow-privileged");

        KubeletSyncer allowing = syncer(true);
        allowing.syncPod(current(pod));
        assertThat(runtime.config(latest(allowing, pod, "priv").id()).security().privileged())
                .isTrue();
    }
}
