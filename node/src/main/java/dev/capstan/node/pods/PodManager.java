package dev.capstan.node.pods;

import dev.capstan.client.ApiClient;
import dev.capstan.client.events.EventRecorder;
import dev.capstan.client.informer.ResourceEventHandler;
import dev.capstan.client.informer.SharedInformer;
import dev.capstan.node.probes.ActionProber;
import dev.capstan.node.probes.ProbeManager;
import dev.capstan.node.runtime.ContainerRuntime;
import dev.capstan.node.runtime.ContainerStatus;
import dev.capstan.node.runtime.PodSandbox;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * The pods of this node: feeds the pod workers from an informer of the pods bound here, wakes them on runtime changes
 * (the PLEG), and at start removes the sandboxes and volumes of pods that no longer exist. Sandboxes of pods that still exist are
 * adopted as they are: a restarted agent does not restart running containers.
 */
public final class PodManager implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(PodManager.class);

    private final ContainerRuntime runtime;
    private final ProbeManager probes;
    private final PodVolumes volumes;
    private final KubeletSyncer syncer;
    private final PodWorkers workers;
    private final Pleg pleg;

    /** @param events where the pods' events go (upstream's kubelet event source, on this node) */
    public PodManager(
            ContainerRuntime runtime,
            ApiClient api,
            NodeContext node,
            PodVolumes volumes,
            EventRecorder events,
            Clock clock) {
        this.runtime = runtime;
        this.volumes = volumes;
        // A changed probe result syncs the pod again: its status, or a kill.
        this.probes = new ProbeManager(new ActionProber(runtime), events, clock, this::wake);
        this.syncer = new KubeletSyncer(runtime, api, node, probes, volumes, events, clock);
        this.workers = new PodWorkers(syncer);
        this.pleg = new Pleg(runtime, Duration.ofSeconds(1), workers::wake);
    }

    private void wake(String uid) {
        workers.wake(uid);
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
                if (differsSemantically(oldPod, newPod)) {
                    workers.update(newPod);
                } else {
                    workers.refresh(newPod);
                }
            }

            @Override
            public void onDelete(Pod pod) {
                workers.remove(pod);
            }
        });
    }

    /**
     * Upstream's podsDifferSemantically (kubelet config): what a sync acts on changed: the spec, labels, annotations
     * (downward API files), or the deletion. A status-only change (the agent's own status writes, mostly) does not.
     */
    static boolean differsSemantically(Pod before, Pod after) {
        var b = before.getMetadata();
        var a = after.getMetadata();
        return !Objects.equals(before.getSpec(), after.getSpec())
                || !Objects.equals(b.getLabels(), a.getLabels())
                || !Objects.equals(b.getAnnotations(), a.getAnnotations())
                || !Objects.equals(b.getDeletionTimestamp(), a.getDeletionTimestamp())
                || !Objects.equals(b.getDeletionGracePeriodSeconds(), a.getDeletionGracePeriodSeconds());
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
                SandboxRemoval.remove(runtime, sandbox, Duration.ZERO);
            }
        }
        volumes.tearDownAllBut(known);
        pleg.start();
    }

    /** The container's attempts in the runtime, the newest first (what a log request reads). */
    public List<ContainerStatus> attempts(String uid, String container) {
        return syncer.inspect(uid).containers().getOrDefault(container, List.of());
    }

    /** The ID of the pod's ready sandbox, if it has one (what exec and port-forward enter). */
    public Optional<String> sandboxId(String uid) {
        var sandbox = syncer.inspect(uid).sandbox();
        return sandbox == null ? Optional.empty() : Optional.of(sandbox.id());
    }

    public PodWorkers workers() {
        return workers;
    }

    /**
     * Stops and removes every sandbox, container and volume (the node is being taken down, not restarted), all pods
     * at once.
     */
    public void removeAllPods(Duration grace) {
        SandboxRemoval.removeAll(runtime, runtime.listPodSandboxes(Map.of()), grace);
        volumes.tearDownAllBut(Set.of());
    }

    @Override
    public void close() {
        pleg.close();
        probes.close();
        workers.close();
    }
}
