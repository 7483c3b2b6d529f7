package dev.capstan.node.pods;

import dev.capstan.client.ApiClient;
import dev.capstan.client.informer.ResourceEventHandler;
import dev.capstan.client.informer.SharedInformer;
import dev.capstan.node.runtime.ContainerRuntime;
import dev.capstan.node.runtime.PodSandbox;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * The pods of this node: feeds the pod workers from an informer of the pods bound here, wakes them on runtime changes
 * (the PLEG), and at start removes the sandboxes of pods that no longer exist. Sandboxes of pods that still exist are
 * adopted as they are: a restarted agent does not restart running containers.
 */
public final class PodManager implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(PodManager.class);

    private final ContainerRuntime runtime;
    private final KubeletSyncer syncer;
    private final PodWorkers workers;
    private final Pleg pleg;

    public PodManager(ContainerRuntime runtime, ApiClient api, NodeContext node, Clock clock) {
        this.runtime = runtime;
        this.syncer = new KubeletSyncer(runtime, api, node, clock);
        this.workers = new PodWorkers(syncer);
        this.pleg = new Pleg(runtime, Duration.ofSeconds(1), workers::wake);
    }

    /** Registers with the informer of this node's pods; call before the informer starts. */
    public void watch(SharedInformer<Pod> pods) {
        pods.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Pod pod) {
                workers.update(pod);
            }

            @Override
            public void onUpdate(Pod oldPod, Pod newPod) {
                workers.update(newPod);
            }

            @Override
            public void onDelete(Pod pod) {
                workers.remove(pod);
            }
        });
    }

    /** Once the informer has synced: removes orphaned sandboxes and starts the PLEG. */
    public void start(SharedInformer<Pod> pods) {
        Set<String> known = new HashSet<>();
        pods.cache().list().forEach(p -> known.add(p.getMetadata().getUid()));
        for (PodSandbox sandbox : runtime.listPodSandboxes(Map.of())) {
            String uid = sandbox.labels().getOrDefault(ContainerSpecs.POD_UID, "");
            if (!known.contains(uid)) {
                LOG.infof(
                        "removing the sandbox %s of pod %s/%s, which is no longer bound here",
                        sandbox.id(),
                        sandbox.metadata().namespace(),
                        sandbox.metadata().name());
                removeSandbox(sandbox);
            }
        }
        pleg.start();
    }

    public PodWorkers workers() {
        return workers;
    }

    /** Stops and removes every sandbox and container (the node is being taken down, not restarted). */
    public void removeAllPods(Duration grace) {
        for (PodSandbox sandbox : runtime.listPodSandboxes(Map.of())) {
            for (var c : runtime.listContainers(sandbox.id(), Map.of())) {
                runtime.stopContainer(c.id(), grace);
            }
            removeSandbox(sandbox);
        }
    }

    private void removeSandbox(PodSandbox sandbox) {
        for (var c : runtime.listContainers(sandbox.id(), Map.of())) {
            runtime.stopContainer(c.id(), Duration.ZERO);
            runtime.removeContainer(c.id());
        }
        runtime.stopPodSandbox(sandbox.id());
        runtime.removePodSandbox(sandbox.id());
    }

    @Override
    public void close() {
        pleg.close();
        workers.close();
    }
}
