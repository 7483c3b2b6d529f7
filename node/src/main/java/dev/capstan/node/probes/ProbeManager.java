package dev.capstan.node.probes;

import dev.capstan.client.events.EventRecorder;
import dev.capstan.model.pod.Sidecars;
import dev.capstan.node.runtime.ContainerStatus;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * The node's probes (upstream prober_manager.go): a worker per probe of each container, all ticking on one scheduler
 * thread that hands each probe to a virtual thread, so a slow probe holds up nobody. Results are kept per container ID
 * and type; a changed result wakes the pod's worker, whose sync reads them: liveness and startup failures kill the
 * container, readiness and startup make the status's ready and started. Pod syncs feed the workers what the runtime has
 * of the pod ({@link #update}); a pod's workers stop with the pod.
 */
public final class ProbeManager implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ProbeManager.class);
    /** Upstream's maxProbeRetries: an action that errors is tried this many times in a row. */
    private static final int MAX_TRIES = 3;

    /** What the last sync saw of a pod: the pod, its IP and the newest container of each name. */
    record PodView(Pod pod, String podIp, Map<String, ContainerStatus> containers) {}

    private final Prober prober;
    private final EventRecorder events;
    private final Clock clock;
    private final Consumer<String> onChange;
    /** Null in tests, which tick the workers themselves. */
    private final ScheduledExecutorService scheduler;

    private final Map<String, ProbeWorker> workers = new ConcurrentHashMap<>();
    private final Map<String, PodView> views = new ConcurrentHashMap<>();
    private final Map<ProbeType, Map<String, ProbeResult>> results = new EnumMap<>(ProbeType.class);

    /**
     * @param onChange called with a pod's UID whenever one of its probe results changes
     */
    public ProbeManager(Prober prober, EventRecorder events, Clock clock, Consumer<String> onChange) {
        this(
                prober,
                events,
                clock,
                onChange,
                Executors.newSingleThreadScheduledExecutor(
                        r -> Thread.ofPlatform().daemon().name("probes").unstarted(r)));
    }

    /** A manager without a scheduler, whose workers tick only through {@link #probeAll()}: for tests. */
    public static ProbeManager manual(Prober prober, EventRecorder events, Clock clock, Consumer<String> onChange) {
        return new ProbeManager(prober, events, clock, onChange, null);
    }

    private ProbeManager(
            Prober prober,
            EventRecorder events,
            Clock clock,
            Consumer<String> onChange,
            ScheduledExecutorService scheduler) {
        this.prober = prober;
        this.events = events;
        this.clock = clock;
        this.onChange = onChange;
        this.scheduler = scheduler;
        for (ProbeType type : ProbeType.values()) {
            results.put(type, new ConcurrentHashMap<>());
        }
    }

    /**
     * What a sync saw of the pod: starts a worker for each probe of its containers the first time (upstream AddPod; a
     * worker that stopped stays stopped) and gives every worker the pod's current view.
     */
    public void update(Pod pod, String podIp, Map<String, ContainerStatus> containers) {
        String uid = pod.getMetadata().getUid();
        views.put(uid, new PodView(pod, podIp, Map.copyOf(containers)));
        List<Container> probed = new java.util.ArrayList<>(list(pod.getSpec().getContainers()));
        list(pod.getSpec().getInitContainers()).stream()
                .filter(Sidecars::isSidecar)
                .forEach(probed::add);
        for (Container c : probed) {
            for (ProbeType type : ProbeType.values()) {
                if (type.of(c) != null) {
                    workers.computeIfAbsent(key(uid, c.getName(), type), k -> start(uid, type, c));
                }
            }
        }
    }

    private ProbeWorker start(String uid, ProbeType type, Container c) {
        ProbeWorker w = new ProbeWorker(this, uid, type, c);
        if (scheduler != null) {
            // The first probe at once, then one per period (upstream's ticker after the first doProbe).
            w.ticks =
                    scheduler.scheduleAtFixedRate(w::tick, 0, w.timing.period().toMillis(), TimeUnit.MILLISECONDS);
        }
        return w;
    }

    /** The pod is terminating: its liveness and startup probes stop (upstream StopLivenessAndStartup). */
    public void stopLivenessAndStartup(String uid) {
        workers.values().stream()
                .filter(w -> w.uid.equals(uid) && w.type != ProbeType.READINESS)
                .forEach(this::stop);
    }

    /** The pod is gone: every worker of it stops and its results are forgotten. */
    public void removePod(String uid) {
        workers.values().removeIf(w -> {
            if (!w.uid.equals(uid)) {
                return false;
            }
            stop(w);
            return true;
        });
        PodView view = views.remove(uid);
        if (view != null) {
            for (ContainerStatus c : view.containers().values()) {
                results.values().forEach(r -> r.remove(c.id()));
            }
        }
    }

    /** Whether the container failed its liveness probe and must be killed. */
    public boolean livenessFailed(String containerId) {
        return results.get(ProbeType.LIVENESS).get(containerId) == ProbeResult.FAILURE;
    }

    /** Whether the container failed its startup probe and must be killed. */
    public boolean startupFailed(String containerId) {
        return results.get(ProbeType.STARTUP).get(containerId) == ProbeResult.FAILURE;
    }

    /** Upstream's started: the startup probe succeeded, or the container has none (callers check it runs). */
    public boolean started(String uid, String container, String containerId) {
        if (!workers.containsKey(key(uid, container, ProbeType.STARTUP))) {
            return true;
        }
        return results.get(ProbeType.STARTUP).get(containerId) == ProbeResult.SUCCESS;
    }

    /**
     * Upstream's ready for a started, running container: its readiness probe succeeded, or it has none. A probe that
     * has not yet succeeded is run now rather than at its next tick, as upstream's UpdatePodStatus triggers it.
     */
    public boolean ready(String uid, String container, String containerId) {
        if (results.get(ProbeType.READINESS).get(containerId) == ProbeResult.SUCCESS) {
            return true;
        }
        ProbeWorker w = workers.get(key(uid, container, ProbeType.READINESS));
        if (w == null) {
            return true;
        }
        if (scheduler != null && !w.stopped) {
            scheduler.execute(w::tick);
        }
        return false;
    }

    // For the workers

    PodView view(String uid) {
        return views.get(uid);
    }

    Map<String, ProbeResult> results(ProbeType type) {
        return results.get(type);
    }

    Instant now() {
        return clock.instant();
    }

    /** Records a result; a change wakes the pod. */
    void set(ProbeWorker w, String containerId, ProbeResult result) {
        if (w.stopped) {
            return; // the last tick of a stopped worker (its pod is going): nothing to record
        }
        if (results.get(w.type).put(containerId, result) != result) {
            onChange.accept(w.uid);
        }
    }

    /**
     * Runs the worker's probe, retrying an action that errors (upstream prober.probe): the outcome, or null when it
     * errored every time. Failures, warnings and errors are recorded as the container's events, as upstream does.
     */
    Prober.Outcome probe(ProbeWorker w, Prober.Target target) {
        Pod pod = target.pod();
        String name = target.container().getName();
        RuntimeException error = null;
        for (int i = 0; i < MAX_TRIES; i++) {
            try {
                Prober.Outcome outcome = prober.probe(target, w.spec, w.timing.timeout());
                if (outcome.warning()) {
                    events.event(
                            pod, EventRecorder.WARNING, "ProbeWarning", w.type + " probe warning: " + outcome.output());
                } else if (outcome.result() != ProbeResult.SUCCESS) {
                    events.event(
                            pod, EventRecorder.WARNING, "Unhealthy", w.type + " probe failed: " + outcome.output());
                    LOG.debugf("%s probe of %s in %s failed: %s", w.type, name, w.uid, outcome.output());
                }
                return outcome;
            } catch (RuntimeException e) {
                error = e;
            }
        }
        events.event(
                pod,
                EventRecorder.WARNING,
                "Unhealthy",
                w.type + " probe errored and resulted in Unknown state: " + error.getMessage());
        return null;
    }

    /** The worker stops ticking (it stays registered, so the pod's next sync does not start it again). */
    void stop(ProbeWorker w) {
        w.stopped = true;
        var ticks = w.ticks;
        if (ticks != null) {
            ticks.cancel(false);
        }
    }

    /** Ticks every worker once, synchronously: tests drive the workers with it instead of the scheduler. */
    public void probeAll() {
        workers.values().stream().filter(w -> !w.stopped).forEach(w -> {
            if (!w.doProbe()) {
                stop(w);
            }
        });
    }

    int size() {
        return (int) workers.values().stream().filter(w -> !w.stopped).count();
    }

    static String key(String uid, String container, ProbeType type) {
        return uid + "/" + container + "/" + type;
    }

    @Override
    public void close() {
        workers.values().forEach(this::stop);
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }

    private static <T> List<T> list(List<T> values) {
        return values == null ? List.of() : values;
    }
}
