package dev.capstan.node.pods;

import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jboss.logging.Logger;

/**
 * One worker per pod UID, as upstream's pod_workers.go: each runs on a virtual thread of its own, so one slow pod never
 * holds up another, and calls its {@link PodSyncer} one call at a time. Updates that arrive during a call collapse:
 * the worker syncs the latest version next, never a stale one. A pod moves one way through {@link State}: SYNCING
 * until it is deleted (or vanishes from the API), TERMINATING while its containers stop, TERMINATED while what is left
 * is removed; then the worker ends. A failed call is retried with a back-off of 1 s doubling to 30 s.
 */
public final class PodWorkers implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(PodWorkers.class);
    private static final Duration RETRY_MIN = Duration.ofSeconds(1);
    private static final Duration RETRY_MAX = Duration.ofSeconds(30);

    /** Upstream's PodWorkerState. */
    public enum State {
        SYNCING,
        TERMINATING,
        TERMINATED
    }

    private final PodSyncer syncer;
    private final Map<String, Worker> workers = new ConcurrentHashMap<>();
    /** UIDs whose worker finished: later updates of the same pod (its last events) change nothing. */
    private final Set<String> finished = ConcurrentHashMap.newKeySet();

    private volatile boolean closed;

    public PodWorkers(PodSyncer syncer) {
        this.syncer = syncer;
    }

    /** The latest version of a pod bound to this node (an informer's add or update). */
    public void update(Pod pod) {
        String uid = pod.getMetadata().getUid();
        if (closed || finished.contains(uid)) {
            return;
        }
        workers.computeIfAbsent(uid, u -> new Worker(u)).offer(pod, false);
    }

    /**
     * A newer version of a pod that differs from the last only in its status (most often the status this agent just
     * wrote): the worker keeps it for its next sync but is not woken, as upstream's pod config turns such an update
     * into a reconcile, not a sync.
     */
    public void refresh(Pod pod) {
        Worker w = workers.get(pod.getMetadata().getUid());
        if (w != null) {
            w.replace(pod);
        }
    }

    /** The pod is gone from the API (or no longer bound here): its containers stop, whatever its state was. */
    public void remove(Pod pod) {
        String uid = pod.getMetadata().getUid();
        if (finished.remove(uid) || closed) {
            return;
        }
        workers.computeIfAbsent(uid, u -> new Worker(u)).offer(pod, true);
    }

    /** Syncs the pod again with its latest version (its containers changed in the runtime). */
    public void wake(String uid) {
        Worker w = workers.get(uid);
        if (w != null) {
            w.poke();
        }
    }

    /** The worker state of a pod, or null when no worker runs for it. */
    public State state(String uid) {
        Worker w = workers.get(uid);
        return w == null ? null : w.state;
    }

    /** Whether a worker ran for {@code uid} and finished with it. */
    public boolean isFinished(String uid) {
        return finished.contains(uid);
    }

    public int size() {
        return workers.size();
    }

    /** Stops the workers (not the pods: their containers keep running, as when a kubelet stops). */
    @Override
    public void close() {
        closed = true;
        workers.values().forEach(Worker::stop);
    }

    private final class Worker {
        private final String uid;
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition changed = lock.newCondition();
        private Pod latest;
        private boolean removed;
        private boolean dirty;
        private long wakeAtNanos = Long.MAX_VALUE;
        private volatile State state = State.SYNCING;
        private final Thread thread;

        Worker(String uid) {
            this.uid = uid;
            this.thread = Thread.ofVirtual().name("pod-worker-" + uid).unstarted(this::run);
        }

        void replace(Pod pod) {
            lock.lock();
            try {
                if (!removed) {
                    latest = pod;
                }
            } finally {
                lock.unlock();
            }
        }

        void offer(Pod pod, boolean gone) {
            lock.lock();
            try {
                latest = pod;
                removed |= gone;
                dirty = true;
                changed.signal();
            } finally {
                lock.unlock();
            }
            if (thread.getState() == Thread.State.NEW) {
                synchronized (this) {
                    if (thread.getState() == Thread.State.NEW) {
                        thread.start();
                    }
                }
            }
        }

        void poke() {
            lock.lock();
            try {
                dirty = true;
                changed.signal();
            } finally {
                lock.unlock();
            }
        }

        void stop() {
            thread.interrupt();
        }

        private void run() {
            int failures = 0;
            try {
                while (!closed) {
                    Pod pod;
                    boolean gone;
                    lock.lock();
                    try {
                        while (!dirty && System.nanoTime() < wakeAtNanos) {
                            long wait = wakeAtNanos - System.nanoTime();
                            changed.awaitNanos(Math.min(wait, TimeUnit.MINUTES.toNanos(10)));
                        }
                        dirty = false;
                        wakeAtNanos = Long.MAX_VALUE;
                        pod = latest;
                        gone = removed;
                    } finally {
                        lock.unlock();
                    }
                    try {
                        if (step(pod, gone)) {
                            return;
                        }
                        failures = 0;
                    } catch (RuntimeException e) {
                        long backoff = Math.min(RETRY_MAX.toMillis(), RETRY_MIN.toMillis() << Math.min(failures, 10));
                        failures++;
                        LOG.warnf(
                                "pod %s/%s (%s) %s failed, retrying in %d ms: %s",
                                pod.getMetadata().getNamespace(),
                                pod.getMetadata().getName(),
                                uid,
                                state,
                                backoff,
                                e.toString());
                        LOG.debug("the failure", e);
                        wakeAt(Duration.ofMillis(backoff));
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /** One call of the syncer in the current state; true when the worker is done. */
        private boolean step(Pod pod, boolean gone) {
            switch (state) {
                case SYNCING -> {
                    if (gone || pod.getMetadata().getDeletionTimestamp() != null) {
                        state = State.TERMINATING;
                        return step(pod, gone);
                    }
                    Duration next = syncer.syncPod(pod);
                    if (next != null) {
                        wakeAt(next);
                    }
                    return false;
                }
                case TERMINATING -> {
                    syncer.syncTerminatingPod(pod, gracePeriodSeconds(pod));
                    state = State.TERMINATED;
                    return step(pod, gone);
                }
                case TERMINATED -> {
                    syncer.syncTerminatedPod(pod);
                    finished.add(uid);
                    workers.remove(uid, this);
                    return true;
                }
            }
            return false;
        }

        private void wakeAt(Duration after) {
            lock.lock();
            try {
                wakeAtNanos = Math.min(wakeAtNanos, System.nanoTime() + after.toNanos());
            } finally {
                lock.unlock();
            }
        }
    }

    /** The deletion's grace period when the pod is being deleted, else the spec's (default 30 s). */
    static long gracePeriodSeconds(Pod pod) {
        Long deletion = pod.getMetadata().getDeletionGracePeriodSeconds();
        if (deletion != null) {
            return deletion;
        }
        Long spec = pod.getSpec().getTerminationGracePeriodSeconds();
        return spec == null ? 30 : spec;
    }
}
