package dev.capstan.node.probes;

import dev.capstan.node.runtime.ContainerState;
import dev.capstan.node.runtime.ContainerStatus;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Probe;
import java.time.Duration;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * One probe of one container (upstream prober/worker.go). Each tick probes once: a new container ID starts over from
 * the type's initial result; a container that is not running fails readiness; nothing is probed during the initial
 * delay, startup probes only until the container has started and the others only after; a result counts once it was
 * seen successThreshold (failureThreshold) times in a row. A liveness failure, or any startup verdict, holds the worker
 * until a new container replaces the one it judged. Ticks never overlap: one still running makes the next one skip.
 */
final class ProbeWorker {
    private static final Logger LOG = Logger.getLogger(ProbeWorker.class);
    final String uid;
    final ProbeType type;
    final Container container;
    final Probe spec;
    final ProbeTiming timing;
    private final ProbeManager manager;
    private final AtomicBoolean busy = new AtomicBoolean();

    // Touched only by doProbe, which never runs twice at once (busy).
    private String containerId;
    private ProbeResult lastResult = ProbeResult.UNKNOWN;
    private int resultRun;
    private boolean onHold;

    volatile Future<?> ticks;
    volatile boolean stopped;

    ProbeWorker(ProbeManager manager, String uid, ProbeType type, Container container) {
        this.manager = manager;
        this.uid = uid;
        this.type = type;
        this.container = container;
        this.spec = type.of(container);
        this.timing = ProbeTiming.of(spec);
    }

    /** One scheduled tick: probes on a virtual thread of its own unless the previous probe still runs. */
    void tick() {
        if (stopped || !busy.compareAndSet(false, true)) {
            return;
        }
        Thread.ofVirtual().name("probe-" + type + "-" + container.getName()).start(() -> {
            try {
                if (!doProbe()) {
                    manager.stop(this);
                }
            } catch (RuntimeException e) {
                LOG.warnf("%s probe of %s in pod %s failed: %s", type, container.getName(), uid, e.toString());
            } finally {
                busy.set(false);
            }
        });
    }

    /** Probes once and records the result; answers whether to keep probing (upstream doProbe). */
    boolean doProbe() {
        ProbeManager.PodView view = manager.view(uid);
        if (view == null) {
            return true; // no sync has reported the pod yet
        }
        Pod pod = view.pod();
        ContainerStatus c = view.containers().get(container.getName());
        if (c == null) {
            return true; // not created yet, or removed: wait for more information
        }
        if (!c.id().equals(containerId)) {
            if (containerId != null) {
                manager.results(type).remove(containerId);
            }
            containerId = c.id();
            manager.set(this, containerId, type.initial());
            onHold = false; // a new container: probe it
        }
        if (onHold) {
            return true;
        }
        if (c.state() != ContainerState.RUNNING) {
            // Upstream fails every probe of a non-running container; a container still being created is left alone
            // here, as the pod sync may start it before this worker sees it run (and must not kill it then).
            if (c.state() != ContainerState.CREATED) {
                manager.set(this, containerId, ProbeResult.FAILURE);
            }
            // Stop for good only when the container will not be restarted.
            return c.state() != ContainerState.EXITED
                    || !"Never".equals(pod.getSpec().getRestartPolicy());
        }
        if (pod.getMetadata().getDeletionTimestamp() != null && type != ProbeType.READINESS) {
            manager.set(this, containerId, ProbeResult.SUCCESS); // a quiet shutdown: no kill while the pod stops
            return false;
        }
        if (c.startedAt() != null
                && Duration.between(c.startedAt(), manager.now()).toSeconds() < timing.initialDelaySeconds()) {
            return true;
        }
        boolean started = manager.started(uid, container.getName(), containerId);
        if (started == (type == ProbeType.STARTUP)) {
            return true; // startup probes only until started; the others only after
        }
        Prober.Outcome outcome = manager.probe(this, new Prober.Target(pod, container, containerId, view.podIp()));
        if (outcome == null) {
            return true; // the probe errored: its result is thrown away
        }
        ProbeResult result = outcome.result();
        if (result == lastResult) {
            resultRun++;
        } else {
            lastResult = result;
            resultRun = 1;
        }
        if (result == ProbeResult.FAILURE && resultRun < timing.failureThreshold()
                || result == ProbeResult.SUCCESS && resultRun < timing.successThreshold()) {
            return true; // below its threshold: the recorded result stands
        }
        manager.set(this, containerId, result);
        if (type == ProbeType.LIVENESS && result == ProbeResult.FAILURE || type == ProbeType.STARTUP) {
            // The container will be killed (or has started): wait for a new container ID.
            onHold = true;
            resultRun = 0;
        }
        return true;
    }

    String key() {
        return ProbeManager.key(uid, container.getName(), type);
    }
}
