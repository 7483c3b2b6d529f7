package dev.capstan.scheduler.queue;

import dev.capstan.model.meta.ObjectKey;
import dev.capstan.scheduler.framework.ClusterEvent;
import dev.capstan.scheduler.framework.EnqueueExtensions.Registration;
import dev.capstan.scheduler.framework.Nominator;
import dev.capstan.scheduler.framework.PodInfo;
import dev.capstan.scheduler.framework.Status;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * Upstream's PriorityQueue. Three places a pending pod can be:
 *
 * <ul>
 *   <li>activeQ: ready to be popped, the highest priority first, then the earliest to enter the queue;
 *   <li>backoffQ: failed recently; leaves after 1 s doubling per attempt up to 10 s ({@link #flushBackoffCompleted});
 *   <li>unschedulable: rejected by plugins; moved back when a cluster event one of those plugins registered for (and
 *       whose hint does not rule it out) happens, and in any case after 5 minutes
 *       ({@link #flushUnschedulableLeftover}).
 * </ul>
 *
 * A pod that fails while a move request happened during its attempt goes to backoffQ instead of unschedulable, so an
 * event that arrived mid-cycle is not lost (upstream's moveRequestCycle). The queue is also the {@link Nominator}:
 * pods with a nominated node are counted there by lower-priority pods' filters. Pods that a PreEnqueue plugin rejects
 * (scheduling gates) wait gated among the unschedulable pods, moved only by an update of their own. Thread-safe; {@link #pop()} blocks.
 */
public final class SchedulingQueue implements Nominator {
    public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofSeconds(1);
    public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(10);
    public static final Duration DEFAULT_MAX_IN_UNSCHEDULABLE = Duration.ofMinutes(5);

    private static final Comparator<QueuedPodInfo> ACTIVE_ORDER = Comparator.<QueuedPodInfo>comparingInt(
                    p -> -p.pod().priority())
            .thenComparing(p -> p.timestamp)
            .thenComparingLong(p -> p.seq);

    private final Clock clock;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final Duration maxInUnschedulable;
    private final Map<String, List<Registration>> registrations;
    private final Function<PodInfo, Status> preEnqueue;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final TreeSet<QueuedPodInfo> activeQ = new TreeSet<>(ACTIVE_ORDER);
    private final TreeSet<QueuedPodInfo> backoffQ;
    private final Map<ObjectKey, QueuedPodInfo> active = new HashMap<>();
    private final Map<ObjectKey, QueuedPodInfo> backoff = new HashMap<>();
    private final Map<ObjectKey, QueuedPodInfo> unschedulable = new HashMap<>();
    private final Map<String, List<PodInfo>> nominatedPods = new HashMap<>();
    private final Map<ObjectKey, String> nominatedNodeOf = new HashMap<>();
    /**
     * An immutable copy of {@link #nominatedPods}, published on every change: the filters ask for each node checked
     * (hundreds per pod), and taking the queue's lock that often made the scheduling thread wait on the informers'
     * adds; nominations are rare (preemption), so copying on change is cheap.
     */
    private volatile Map<String, List<PodInfo>> nominatedView = Map.of();

    private long seq;
    private long schedulingCycle;
    private long moveRequestCycle = -1;
    private boolean closed;

    /**
     * @param registrations the cluster events each plugin registered for (Framework.eventRegistrations()); a plugin
     *     not listed is moved by every event
     */
    public SchedulingQueue(
            Clock clock,
            Duration initialBackoff,
            Duration maxBackoff,
            Duration maxInUnschedulable,
            Map<String, List<Registration>> registrations) {
        this(clock, initialBackoff, maxBackoff, maxInUnschedulable, registrations, pod -> Status.SUCCESS);
    }

    /**
     * @param preEnqueue the PreEnqueue plugins of the pod's profile (Framework.runPreEnqueue); a pod they reject waits
     *     gated among the unschedulable pods until an update lets it pass
     */
    public SchedulingQueue(
            Clock clock,
            Duration initialBackoff,
            Duration maxBackoff,
            Duration maxInUnschedulable,
            Map<String, List<Registration>> registrations,
            Function<PodInfo, Status> preEnqueue) {
        this.preEnqueue = preEnqueue;
        this.clock = clock;
        this.initialBackoff = initialBackoff;
        this.maxBackoff = maxBackoff;
        this.maxInUnschedulable = maxInUnschedulable;
        this.registrations = Map.copyOf(registrations);
        this.backoffQ = new TreeSet<>(Comparator.comparing(this::backoffExpiry).thenComparingLong(p -> p.seq));
    }

    public SchedulingQueue(Clock clock, Map<String, List<Registration>> registrations) {
        this(clock, DEFAULT_INITIAL_BACKOFF, DEFAULT_MAX_BACKOFF, DEFAULT_MAX_IN_UNSCHEDULABLE, registrations);
    }

    /**
     * A new pending pod (or one seen again): into activeQ, out of the other queues — unless a PreEnqueue plugin rejects
     * it (upstream's moveToActiveQ); then it waits gated among the unschedulable pods.
     *
     * @return the rejection when this call gated a pod that was not gated before (the caller reports it once), else
     *     null
     */
    public Status add(PodInfo pod) {
        lock.lock();
        try {
            QueuedPodInfo p = removeFromAll(pod.key());
            boolean wasGated = p != null && p.gated;
            if (p == null) {
                p = new QueuedPodInfo(pod, clock.instant(), seq++);
            } else {
                p.pod(pod);
                p.timestamp = clock.instant();
            }
            Status rejected = moveToActiveQ(p);
            updateNomination(pod, nominatedNodeName(pod.pod()));
            return rejected != null && !wasGated ? rejected : null;
        } finally {
            lock.unlock();
        }
    }

    /** Runs PreEnqueue: to activeQ when it passes; otherwise gated into the unschedulable pods, with the status. */
    private Status moveToActiveQ(QueuedPodInfo p) {
        Status s = preEnqueue.apply(p.pod());
        if (s.isSuccess()) {
            p.gated = false;
            toActive(p);
            return null;
        }
        p.gated = true;
        p.unschedulablePlugins = s.plugin() == null ? Set.of() : Set.of(s.plugin());
        unschedulable.put(p.pod().key(), p);
        return s;
    }

    /** Blocks until a pod is active; null once closed. Counts the attempt and starts a scheduling cycle. */
    public QueuedPodInfo pop() throws InterruptedException {
        lock.lock();
        try {
            while (activeQ.isEmpty() && !closed) {
                notEmpty.await();
            }
            return closed ? null : popLocked();
        } finally {
            lock.unlock();
        }
    }

    /** Like {@link #pop()} but waits at most the given time; null when nothing became active. */
    public QueuedPodInfo pop(long timeout, TimeUnit unit) throws InterruptedException {
        long nanos = unit.toNanos(timeout);
        lock.lock();
        try {
            while (activeQ.isEmpty() && !closed) {
                if (nanos <= 0) {
                    return null;
                }
                nanos = notEmpty.awaitNanos(nanos);
            }
            return closed ? null : popLocked();
        } finally {
            lock.unlock();
        }
    }

    private QueuedPodInfo popLocked() {
        QueuedPodInfo p = activeQ.pollFirst();
        active.remove(p.pod().key());
        p.attempts++;
        if (p.initialAttemptTimestamp == null) {
            p.initialAttemptTimestamp = clock.instant();
        }
        schedulingCycle++;
        return p;
    }

    /** The cycle number of the last pop; pass it back to {@link #addUnschedulableIfNotPresent}. */
    public long schedulingCycle() {
        lock.lock();
        try {
            return schedulingCycle;
        } finally {
            lock.unlock();
        }
    }

    /**
     * A popped pod could not be scheduled (upstream's AddUnschedulableIfNotPresent): to backoffQ when it failed with
     * an error or when a move request arrived during its cycle, otherwise to the unschedulable pods. Nothing when
     * the pod was re-added or deleted meanwhile.
     */
    public void addUnschedulableIfNotPresent(QueuedPodInfo p, long podSchedulingCycle) {
        lock.lock();
        try {
            ObjectKey key = p.pod().key();
            if (active.containsKey(key) || backoff.containsKey(key) || unschedulable.containsKey(key)) {
                return;
            }
            p.timestamp = clock.instant();
            if (p.unschedulablePlugins.isEmpty() || moveRequestCycle >= podSchedulingCycle) {
                backoff.put(key, p);
                backoffQ.add(p);
            } else {
                unschedulable.put(key, p);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * A pending pod changed: in the unschedulable pods, a change to anything but its status moves it back (it may
     * fit now); elsewhere the new object replaces the old. A pod the queue does not hold is added.
     */
    public Status update(PodInfo oldPod, PodInfo newPod) {
        lock.lock();
        try {
            ObjectKey key = newPod.key();
            updateNomination(newPod, nominatedNodeName(newPod.pod()));
            QueuedPodInfo p = active.get(key);
            if (p != null) {
                activeQ.remove(p);
                p.pod(newPod);
                activeQ.add(p);
                return null;
            }
            p = backoff.get(key);
            if (p != null) {
                backoffQ.remove(p);
                p.pod(newPod);
                backoffQ.add(p);
                return null;
            }
            p = unschedulable.get(key);
            if (p != null) {
                p.pod(newPod);
                if (oldPod == null || specOrLabelsChanged(oldPod.pod(), newPod.pod())) {
                    unschedulable.remove(key);
                    if (p.gated) {
                        // a gated pod never backs off; it stays gated unless PreEnqueue passes now
                        moveToActiveQ(p);
                    } else {
                        moveToActiveOrBackoff(p);
                    }
                }
                return null;
            }
        } finally {
            lock.unlock();
        }
        return add(newPod);
    }

    /** The pod was deleted or got bound: it leaves the queue and its nomination. */
    public void delete(PodInfo pod) {
        lock.lock();
        try {
            removeFromAll(pod.key());
            updateNomination(pod, null);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Upstream's MoveAllToActiveOrBackoffQueue: the unschedulable pods the event may help (per the plugins that
     * rejected them) go to activeQ, or backoffQ while backing off. Records the move request for pods in flight.
     */
    public void onClusterEvent(ClusterEvent event, Object oldObj, Object newObj) {
        lock.lock();
        try {
            for (QueuedPodInfo p : List.copyOf(unschedulable.values())) {
                if (!p.gated && mayHelp(p, event, oldObj, newObj)) {
                    unschedulable.remove(p.pod().key());
                    moveToActiveOrBackoff(p);
                }
            }
            moveRequestCycle = schedulingCycle;
        } finally {
            lock.unlock();
        }
    }

    private boolean mayHelp(QueuedPodInfo p, ClusterEvent event, Object oldObj, Object newObj) {
        if (event == ClusterEvent.WILDCARD || p.unschedulablePlugins.isEmpty()) {
            return true;
        }
        for (String plugin : p.unschedulablePlugins) {
            List<Registration> regs = registrations.get(plugin);
            if (regs == null) {
                return true;
            }
            for (Registration r : regs) {
                if (r.event() == event && r.hint().mayHelp(p.pod(), oldObj, newObj)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Moves pods whose backoff has expired to activeQ (upstream runs this every second). */
    public void flushBackoffCompleted() {
        lock.lock();
        try {
            Instant now = clock.instant();
            while (!backoffQ.isEmpty() && !backoffExpiry(backoffQ.first()).isAfter(now)) {
                QueuedPodInfo p = backoffQ.pollFirst();
                backoff.remove(p.pod().key());
                toActive(p);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Moves pods unschedulable for longer than 5 minutes back (upstream runs this every 30 seconds). */
    public void flushUnschedulableLeftover() {
        lock.lock();
        try {
            Instant now = clock.instant();
            for (QueuedPodInfo p : List.copyOf(unschedulable.values())) {
                if (!p.gated && Duration.between(p.timestamp, now).compareTo(maxInUnschedulable) > 0) {
                    unschedulable.remove(p.pod().key());
                    moveToActiveOrBackoff(p);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** Upstream's calculateBackoffDuration: initial × 2^(attempts-1), at most max; 0 before any attempt. */
    Duration backoffDuration(int attempts) {
        if (attempts == 0) {
            return Duration.ZERO;
        }
        Duration d = initialBackoff;
        for (int i = 1; i < attempts; i++) {
            if (d.compareTo(maxBackoff.minus(d)) > 0) {
                return maxBackoff;
            }
            d = d.plus(d);
        }
        return d;
    }

    private Instant backoffExpiry(QueuedPodInfo p) {
        return p.timestamp.plus(backoffDuration(p.attempts));
    }

    private void moveToActiveOrBackoff(QueuedPodInfo p) {
        if (backoffExpiry(p).isAfter(clock.instant())) {
            backoff.put(p.pod().key(), p);
            backoffQ.add(p);
        } else {
            toActive(p);
        }
    }

    private void toActive(QueuedPodInfo p) {
        active.put(p.pod().key(), p);
        activeQ.add(p);
        notEmpty.signal();
    }

    private QueuedPodInfo removeFromAll(ObjectKey key) {
        QueuedPodInfo p = active.remove(key);
        if (p != null) {
            activeQ.remove(p);
            return p;
        }
        p = backoff.remove(key);
        if (p != null) {
            backoffQ.remove(p);
            return p;
        }
        return unschedulable.remove(key);
    }

    private static boolean specOrLabelsChanged(Pod oldPod, Pod newPod) {
        return !Objects.equals(oldPod.getSpec(), newPod.getSpec())
                || !Objects.equals(
                        oldPod.getMetadata() == null
                                ? null
                                : oldPod.getMetadata().getLabels(),
                        newPod.getMetadata() == null
                                ? null
                                : newPod.getMetadata().getLabels())
                || !Objects.equals(
                        oldPod.getMetadata() == null
                                ? null
                                : oldPod.getMetadata().getAnnotations(),
                        newPod.getMetadata() == null
                                ? null
                                : newPod.getMetadata().getAnnotations());
    }

    // ---- nominator ----

    /** Records (or with null clears) the node the pod is nominated to (upstream's AddNominatedPod). */
    public void nominate(PodInfo pod, String nodeName) {
        lock.lock();
        try {
            updateNomination(pod, nodeName);
        } finally {
            lock.unlock();
        }
    }

    private void updateNomination(PodInfo pod, String nodeName) {
        String previous = nominatedNodeOf.remove(pod.key());
        boolean nominated = nodeName != null && !nodeName.isEmpty();
        if (previous == null && !nominated) {
            return; // the common case, every add and update of a pod never nominated: nothing to publish
        }
        if (previous != null) {
            List<PodInfo> list = nominatedPods.get(previous);
            list.removeIf(p -> p.key().equals(pod.key()));
            if (list.isEmpty()) {
                nominatedPods.remove(previous);
            }
        }
        if (nominated) {
            nominatedNodeOf.put(pod.key(), nodeName);
            nominatedPods.computeIfAbsent(nodeName, n -> new ArrayList<>()).add(pod);
        }
        Map<String, List<PodInfo>> view = new HashMap<>();
        nominatedPods.forEach((node, pods) -> view.put(node, List.copyOf(pods)));
        nominatedView = Map.copyOf(view);
    }

    /** Lock-free: reads the last published copy (see {@link #nominatedView}). */
    @Override
    public List<PodInfo> nominatedPodsForNode(String nodeName) {
        List<PodInfo> list = nodeName == null ? null : nominatedView.get(nodeName);
        return list == null ? List.of() : list;
    }

    /** The node the pod is nominated to, or null. */
    public String nominatedNode(ObjectKey pod) {
        lock.lock();
        try {
            return nominatedNodeOf.get(pod);
        } finally {
            lock.unlock();
        }
    }

    private static String nominatedNodeName(Pod pod) {
        return pod.getStatus() == null ? null : pod.getStatus().getNominatedNodeName();
    }

    // ---- inspection ----

    /** Counts for scheduler_pending_pods{queue}: "active", "backoff", "unschedulable", "gated". */
    public Map<String, Integer> pendingPods() {
        lock.lock();
        try {
            int gated = 0;
            for (QueuedPodInfo p : unschedulable.values()) {
                gated += p.gated ? 1 : 0;
            }
            return Map.of(
                    "active",
                    active.size(),
                    "backoff",
                    backoff.size(),
                    "unschedulable",
                    unschedulable.size() - gated,
                    "gated",
                    gated);
        } finally {
            lock.unlock();
        }
    }

    /** Where the pod is: "active", "backoff", "unschedulable" (gated pods too, as upstream), or null. */
    public String whereIs(ObjectKey pod) {
        lock.lock();
        try {
            if (active.containsKey(pod)) {
                return "active";
            }
            if (backoff.containsKey(pod)) {
                return "backoff";
            }
            return unschedulable.containsKey(pod) ? "unschedulable" : null;
        } finally {
            lock.unlock();
        }
    }

    /** Wakes {@link #pop()} callers, which then return null. */
    public void close() {
        lock.lock();
        try {
            closed = true;
            notEmpty.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
