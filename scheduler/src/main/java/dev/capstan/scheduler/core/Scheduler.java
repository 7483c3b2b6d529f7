package dev.capstan.scheduler.core;

import dev.capstan.scheduler.cache.SchedulerCache;
import dev.capstan.scheduler.framework.ClusterEvent;
import dev.capstan.scheduler.framework.CycleState;
import dev.capstan.scheduler.framework.EnqueueExtensions.Registration;
import dev.capstan.scheduler.framework.FitError;
import dev.capstan.scheduler.framework.Framework;
import dev.capstan.scheduler.framework.NodeInfo;
import dev.capstan.scheduler.framework.NodeToStatus;
import dev.capstan.scheduler.framework.PodInfo;
import dev.capstan.scheduler.framework.PostFilterPlugin;
import dev.capstan.scheduler.framework.Profile;
import dev.capstan.scheduler.framework.Registry;
import dev.capstan.scheduler.framework.SchedulingException;
import dev.capstan.scheduler.framework.Snapshot;
import dev.capstan.scheduler.framework.Status;
import dev.capstan.scheduler.framework.WorkloadListers;
import dev.capstan.scheduler.queue.QueuedPodInfo;
import dev.capstan.scheduler.queue.SchedulingQueue;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.random.RandomGenerator;
import org.jboss.logging.Logger;

/**
 * Upstream's Scheduler: {@link #scheduleOne} pops a pod, refreshes the snapshot, runs the pod's profile (filters on
 * up to {@link Selection#numFeasibleNodesToFind} nodes starting where the last cycle stopped, scores, picks a best
 * node at random among ties), assumes it in the cache and hands it to the {@link Binder} without waiting. A failure
 * goes to the {@link FailureHandler} with upstream's FitError message, after PostFilter (preemption) had its chance.
 *
 * <p>One thread runs the cycles ({@link #start()} or the caller's own loop over {@link #scheduleOne}); informer
 * handlers ({@link InformerHandlers}, {@link #handlers()}) and binding completions run on other threads — the cache
 * and queue are thread-safe, the snapshot and frameworks belong to the scheduling thread.
 */
public final class Scheduler {
    private static final Logger LOG = Logger.getLogger(Scheduler.class);

    private final Map<String, Framework> frameworks;
    private final SchedulerCache cache;
    private final SchedulingQueue queue;
    private final Binder binder;
    private final FailureHandler failureHandler;
    private final PreemptionActions preemption;
    private final SchedulerMetrics metrics;
    private final Clock clock;
    private final RandomGenerator random;
    private final int percentageOfNodesToScore;
    private final Snapshot snapshot = new Snapshot();
    private final InformerHandlers handlers;
    private int nextStartNodeIndex;
    private volatile boolean running;
    private Thread loop;
    private ScheduledExecutorService housekeeping;

    private Scheduler(Builder b) {
        this.binder = Objects.requireNonNull(b.binder, "binder");
        this.failureHandler = Objects.requireNonNull(b.failureHandler, "failureHandler");
        this.preemption = Objects.requireNonNull(b.preemption, "preemptionActions");
        this.metrics = b.metrics;
        this.clock = b.clock;
        this.random = b.random;
        this.percentageOfNodesToScore = b.percentageOfNodesToScore;
        this.cache = new SchedulerCache(b.clock, b.assumedPodTtl);
        QueueRef ref = new QueueRef();
        Map<String, Framework> fws = new LinkedHashMap<>();
        Map<String, List<Registration>> registrations = new LinkedHashMap<>();
        for (Profile p : b.profiles) {
            if (fws.containsKey(p.schedulerName())) {
                throw new IllegalArgumentException(
                        "duplicate profile with scheduler name \"" + p.schedulerName() + "\"");
            }
            Framework fw = new Framework(p, b.registry, b.namespaceLabels, ref::nominated, b.workloadListers);
            fws.put(p.schedulerName(), fw);
            fw.eventRegistrations().forEach(registrations::putIfAbsent);
        }
        if (fws.isEmpty()) {
            throw new IllegalArgumentException("at least one profile is required");
        }
        this.frameworks = Map.copyOf(fws);
        this.queue = new SchedulingQueue(
                b.clock, b.initialBackoff, b.maxBackoff, b.maxInUnschedulable, registrations, this::runPreEnqueue);
        ref.queue = queue;
        this.handlers = new InformerHandlers(this.frameworks.keySet(), cache, queue, failureHandler);
    }

    /** The PreEnqueue plugins of the pod's profile; the queue calls this on informer threads. */
    private Status runPreEnqueue(PodInfo pod) {
        Framework fw = frameworks.get(InformerHandlers.schedulerName(pod.pod()));
        return fw == null ? Status.SUCCESS : fw.runPreEnqueue(pod);
    }

    /** Lets the frameworks, built before the queue, read the queue's nominations. */
    private static final class QueueRef {
        SchedulingQueue queue;

        List<PodInfo> nominated(String node) {
            return queue == null ? List.of() : queue.nominatedPodsForNode(node);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The informer entry points (pods and nodes) the wiring calls. */
    public InformerHandlers handlers() {
        return handlers;
    }

    public SchedulerCache cache() {
        return cache;
    }

    public SchedulingQueue queue() {
        return queue;
    }

    public Framework framework(String schedulerName) {
        return frameworks.get(schedulerName);
    }

    /** Starts the scheduling thread and the housekeeping (backoff flush each second, leftovers each 30 s). */
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        housekeeping = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "scheduler-housekeeping");
            t.setDaemon(true);
            return t;
        });
        housekeeping.scheduleAtFixedRate(this::flushBackoffAndExpire, 1, 1, TimeUnit.SECONDS);
        housekeeping.scheduleAtFixedRate(queue::flushUnschedulableLeftover, 30, 30, TimeUnit.SECONDS);
        loop = new Thread(this::run, "scheduler");
        loop.setDaemon(true);
        loop.start();
    }

    /** Stops the loop and housekeeping; pods in flight finish their binding. */
    public synchronized void stop() throws InterruptedException {
        running = false;
        queue.close();
        if (housekeeping != null) {
            housekeeping.shutdownNow();
        }
        if (loop != null) {
            loop.join();
        }
    }

    private void run() {
        while (running) {
            try {
                QueuedPodInfo p = queue.pop();
                if (p == null) {
                    return;
                }
                scheduleOne(p);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.error("scheduling cycle failed", e);
            }
        }
    }

    /** The periodic work: backoff expiry and assumed-pod expiry (upstream runs both every second). */
    public void flushBackoffAndExpire() {
        queue.flushBackoffCompleted();
        for (PodInfo expired : cache.cleanupExpiredAssumedPods()) {
            queue.onClusterEvent(ClusterEvent.ASSIGNED_POD_DELETE, expired.pod(), null);
        }
    }

    /** Pops and schedules one pod, waiting at most the timeout; false when none was active. */
    public boolean scheduleNext(long timeout, TimeUnit unit) throws InterruptedException {
        QueuedPodInfo p = queue.pop(timeout, unit);
        if (p == null) {
            return false;
        }
        scheduleOne(p);
        return true;
    }

    /** One scheduling cycle for a popped pod (upstream's ScheduleOne up to the asynchronous binding). */
    public void scheduleOne(QueuedPodInfo qp) {
        PodInfo pod = qp.pod();
        Framework fw = frameworks.get(InformerHandlers.schedulerName(pod.pod()));
        if (fw == null) {
            LOG.errorf("no profile for scheduler name %s of pod %s", InformerHandlers.schedulerName(pod.pod()), pod);
            return;
        }
        if (pod.isTerminating() || cache.isAssumed(pod.key())) {
            return;
        }
        long start = System.nanoTime();
        long cycle = queue.schedulingCycle();
        String profile = fw.schedulerName();
        CycleState state = new CycleState();
        cache.updateSnapshot(snapshot);
        fw.snapshot(snapshot);
        NodeInfo host;
        try {
            host = schedulePod(fw, state, pod);
        } catch (FitError fit) {
            handleFitError(fw, state, qp, fit, cycle);
            metrics.attempt("unschedulable", profile, seconds(start));
            return;
        } catch (NoNodesAvailable e) {
            qp.unschedulablePlugins(fw.rejectingPlugins());
            fail(qp, cycle, SchedulingFailure.of(SchedulingFailure.UNSCHEDULABLE, e.getMessage(), null));
            metrics.attempt("unschedulable", profile, seconds(start));
            return;
        } catch (RuntimeException e) {
            LOG.errorf(e, "error scheduling pod %s", pod);
            qp.unschedulablePlugins(Set.of());
            fail(
                    qp,
                    cycle,
                    SchedulingFailure.of(SchedulingFailure.SCHEDULER_ERROR, String.valueOf(e.getMessage()), null));
            metrics.attempt("error", profile, seconds(start));
            return;
        }
        String node = host.name();
        cache.assumePod(pod, node);
        queue.nominate(pod, null);
        binder.bind(pod.pod(), node).whenComplete((ok, err) -> {
            if (err == null) {
                cache.finishBinding(pod);
                metrics.attempt("scheduled", profile, seconds(start));
                if (qp.initialAttemptTimestamp() != null) {
                    metrics.podScheduled(
                            profile,
                            qp.attempts(),
                            Duration.between(qp.initialAttemptTimestamp(), clock.instant())
                                            .toNanos()
                                    / 1e9);
                }
                failureHandler.scheduled(
                        pod.pod(), node, "Successfully assigned " + pod.namespace() + "/" + pod.name() + " to " + node);
            } else {
                cache.forgetPod(pod);
                queue.onClusterEvent(ClusterEvent.ASSIGNED_POD_DELETE, pod.pod(), null);
                qp.unschedulablePlugins(Set.of());
                Throwable cause = err.getCause() != null ? err.getCause() : err;
                fail(
                        qp,
                        cycle,
                        SchedulingFailure.of(
                                SchedulingFailure.SCHEDULER_ERROR,
                                "running Bind plugin \"DefaultBinder\": " + cause.getMessage(),
                                null));
                metrics.attempt("error", profile, seconds(start));
            }
        });
        publishPending();
    }

    private void handleFitError(Framework fw, CycleState state, QueuedPodInfo qp, FitError fit, long cycle) {
        PodInfo pod = qp.pod();
        PostFilterPlugin.Result r = fw.runPostFilter(state, pod, fit.statuses());
        fit.postFilterMsg(r.status().isSuccess() ? "" : r.status().message());
        String nominated = r.nominatedNodeName();
        if (nominated != null && !nominated.isEmpty()) {
            for (PodInfo victim : r.victims()) {
                preemption.evict(
                        victim.pod(),
                        fw.schedulerName() + ": preempting to accommodate a higher priority pod",
                        "Preempted by pod " + pod.uid() + " on node " + nominated);
            }
            for (PodInfo p : r.nominationsToClear()) {
                preemption.clearNominatedNodeName(p.pod());
                queue.nominate(p, null);
            }
        }
        if (nominated != null) {
            queue.nominate(pod, nominated.isEmpty() ? null : nominated);
        }
        qp.unschedulablePlugins(fit.unschedulablePlugins());
        fail(qp, cycle, SchedulingFailure.of(SchedulingFailure.UNSCHEDULABLE, fit.getMessage(), nominated));
    }

    private void fail(QueuedPodInfo qp, long cycle, SchedulingFailure failure) {
        queue.addUnschedulableIfNotPresent(qp, cycle);
        failureHandler.failed(qp.pod().pod(), failure);
        publishPending();
    }

    private void publishPending() {
        if (metrics != SchedulerMetrics.NOOP) {
            queue.pendingPods().forEach(metrics::pendingPods);
        }
    }

    /** No nodes at all; upstream's ErrNoNodesAvailable. */
    static final class NoNodesAvailable extends RuntimeException {
        NoNodesAvailable() {
            super("no nodes available to schedule pods", null, false, false);
        }
    }

    /** Upstream's schedulePod: the node to run the pod, or a FitError. */
    NodeInfo schedulePod(Framework fw, CycleState state, PodInfo pod) {
        if (snapshot.numNodes() == 0) {
            throw new NoNodesAvailable();
        }
        List<NodeInfo> feasible = findNodesThatFitPod(fw, state, pod);
        if (feasible.size() == 1) {
            return feasible.get(0);
        }
        Status s = fw.runPreScore(state, pod, feasible);
        if (!s.isSuccess()) {
            throw new SchedulingException(s.message());
        }
        long[] scores = fw.hasScorePlugins() ? fw.runScore(state, pod, feasible) : new long[feasible.size()];
        return feasible.get(Selection.selectHost(scores, random));
    }

    /** Upstream's findNodesThatFitPod: PreFilter, the nominated node first, then filters from the rotating start. */
    List<NodeInfo> findNodesThatFitPod(Framework fw, CycleState state, PodInfo pod) {
        List<NodeInfo> nodes = snapshot.list();
        int n = nodes.size();
        NodeToStatus statuses = new NodeToStatus();
        Status pre = fw.runPreFilter(state, pod);
        if (!pre.isSuccess()) {
            if (!pre.isRejected()) {
                throw new SchedulingException(pre.message());
            }
            statuses.absentNodesStatus(pre);
            throw new FitError(pod, n, statuses, pre.message(), Set.of(pre.plugin()));
        }
        String nominated =
                pod.pod().getStatus() == null ? null : pod.pod().getStatus().getNominatedNodeName();
        if (nominated != null && !nominated.isEmpty()) {
            NodeInfo node = snapshot.get(nominated);
            if (node != null && fw.runFilterWithNominatedPods(state, pod, node).isSuccess()) {
                return List.of(node);
            }
        }
        int percentage = fw.profile().percentageOfNodesToScore() != null
                ? fw.profile().percentageOfNodesToScore()
                : percentageOfNodesToScore;
        int wanted = Selection.numFeasibleNodesToFind(percentage, n);
        List<NodeInfo> feasible = new ArrayList<>(Math.min(wanted, n));
        // the rejections matter only when no node fits (the FitError names them): listed here, mapped only then
        List<NodeInfo> rejectedNodes = new ArrayList<>();
        List<Status> rejections = new ArrayList<>();
        int processed = 0;
        for (int i = 0; i < n && feasible.size() < wanted; i++) {
            NodeInfo node = nodes.get((nextStartNodeIndex + i) % n);
            processed++;
            Status s = fw.hasFilterPlugins() ? fw.runFilterWithNominatedPods(state, pod, node) : Status.SUCCESS;
            if (s.isSuccess()) {
                feasible.add(node);
            } else if (s.isRejected()) {
                rejectedNodes.add(node);
                rejections.add(s);
            } else {
                throw new SchedulingException(s.message());
            }
        }
        nextStartNodeIndex = (nextStartNodeIndex + processed) % n;
        if (feasible.isEmpty()) {
            Set<String> rejecting = new HashSet<>();
            for (int i = 0; i < rejectedNodes.size(); i++) {
                statuses.set(rejectedNodes.get(i).name(), rejections.get(i));
                rejecting.add(rejections.get(i).plugin());
            }
            throw new FitError(pod, n, statuses, "", rejecting);
        }
        return feasible;
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    /** Configuration; defaults are upstream's. */
    public static final class Builder {
        private List<Profile> profiles = List.of();
        private Registry registry;
        private Binder binder;
        private FailureHandler failureHandler;
        private PreemptionActions preemption;
        private SchedulerMetrics metrics = SchedulerMetrics.NOOP;
        private Function<String, Map<String, String>> namespaceLabels = ns -> null;
        private WorkloadListers workloadListers = WorkloadListers.NONE;
        private Clock clock = Clock.systemUTC();
        private RandomGenerator random = RandomGenerator.getDefault();
        private Duration assumedPodTtl = SchedulerCache.UPSTREAM_ASSUMED_POD_TTL;
        private Duration initialBackoff = SchedulingQueue.DEFAULT_INITIAL_BACKOFF;
        private Duration maxBackoff = SchedulingQueue.DEFAULT_MAX_BACKOFF;
        private Duration maxInUnschedulable = SchedulingQueue.DEFAULT_MAX_IN_UNSCHEDULABLE;
        private int percentageOfNodesToScore;

        private Builder() {}

        /** The profiles, one per schedulerName (e.g. InTreePlugins.defaultProfile()). */
        public Builder profiles(List<Profile> p) {
            this.profiles = List.copyOf(p);
            return this;
        }

        /** The plugin registry (e.g. InTreePlugins.registry()). */
        public Builder registry(Registry r) {
            this.registry = r;
            return this;
        }

        public Builder binder(Binder b) {
            this.binder = b;
            return this;
        }

        public Builder failureHandler(FailureHandler h) {
            this.failureHandler = h;
            return this;
        }

        public Builder preemptionActions(PreemptionActions a) {
            this.preemption = a;
            return this;
        }

        public Builder metrics(SchedulerMetrics m) {
            this.metrics = Objects.requireNonNull(m);
            return this;
        }

        /** Namespace labels by name (from a namespace informer), for pod affinity namespaceSelector. */
        public Builder namespaceLabels(Function<String, Map<String, String>> f) {
            this.namespaceLabels = Objects.requireNonNull(f);
            return this;
        }

        /**
         * Services, ReplicaSets, StatefulSets and ReplicationControllers (from informer caches), for PodTopologySpread's
         * system-default spreading of pods without constraints of their own; {@link WorkloadListers#NONE} (the
         * default) turns default spreading off.
         */
        public Builder workloadListers(WorkloadListers l) {
            this.workloadListers = Objects.requireNonNull(l);
            return this;
        }

        public Builder clock(Clock c) {
            this.clock = Objects.requireNonNull(c);
            return this;
        }

        public Builder random(RandomGenerator r) {
            this.random = Objects.requireNonNull(r);
            return this;
        }

        /** Assumed-pod TTL after binding finished; zero (upstream v1.32's default) never expires them. */
        public Builder assumedPodTtl(Duration d) {
            this.assumedPodTtl = Objects.requireNonNull(d);
            return this;
        }

        public Builder backoff(Duration initial, Duration max) {
            if (initial.isNegative() || max.compareTo(initial) < 0) {
                throw new IllegalArgumentException("backoff: need 0 <= initial <= max, got " + initial + ", " + max);
            }
            this.initialBackoff = initial;
            this.maxBackoff = max;
            return this;
        }

        public Builder maxInUnschedulable(Duration d) {
            this.maxInUnschedulable = Objects.requireNonNull(d);
            return this;
        }

        /** The global percentageOfNodesToScore, 0 (default) for upstream's adaptive formula. */
        public Builder percentageOfNodesToScore(int p) {
            if (p < 0 || p > 100) {
                throw new IllegalArgumentException("percentageOfNodesToScore must be in [0, 100], got " + p);
            }
            this.percentageOfNodesToScore = p;
            return this;
        }

        public Scheduler build() {
            Objects.requireNonNull(registry, "registry");
            return new Scheduler(this);
        }
    }
}
