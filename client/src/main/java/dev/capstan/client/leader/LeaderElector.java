package dev.capstan.client.leader;

import dev.capstan.client.ApiClient;
import dev.capstan.client.ApiError;
import dev.capstan.client.ResourceClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Elects one leader among the replicas of a component through a Lease (client-go's leaderelection.LeaderElector
 * with a LeaseLock).
 *
 * <p>Candidates try every {@code retryPeriod} (plus jitter): they create the Lease when it is absent, and take it
 * over when nobody holds it, when it is theirs, or when it has not changed for the {@code leaseDurationSeconds} it
 * states, counted from when the change was observed. client-go counts from the moment the candidate read the changed
 * record, which is up to a jittered retry period (4.4 s) after the leader wrote it, and then tries again up to one
 * more retry period late: a standby took over 15.5–22.5 s after the leader died. Here the change counts from the
 * {@code renewTime} the record carries, but never earlier than the attribution (3 s by default) before this process read it, so a
 * wrong or skewed remote clock can make the wait no shorter than leaseDuration − 3 s after the read; and a
 * candidate's next try is due when the lease it saw runs out, not a retry period later. Every write is conditional on
 * the
 * resourceVersion last read, so of two candidates racing for the same expired Lease one gets a 409 and stays a
 * candidate. The leader renews every {@code retryPeriod}; when no renewal has succeeded for {@code renewDeadline}
 * (or it sees another holder), it stops leading ({@link Callbacks#onStoppedLeading()}) and stands by as a candidate.
 *
 * <p>Why two replicas never act at once. Say the leader L's last successful renewal is a request L started at t0;
 * the server committed it at c, after t0. L stops acting (onStoppedLeading) renewDeadline after t0, so before c +
 * renewDeadline: the deadline counts from the request's start, not its answer, and a request still unanswered at the
 * deadline counts as failed. A candidate C sees that commit, or a later one, no earlier than c, and takes over only
 * after seeing no change for leaseDuration counted from no earlier than (its read, at r ≥ c) − attribution, so no
 * earlier than c + leaseDuration − attribution, and then only with a write conditional on the version it read, which
 * fails if L renewed meanwhile. As renewDeadline < leaseDuration − attribution (by 2 s with upstream's 15 s and 10 s),
 * L has stopped before C starts. Each process measures durations on its own clock: no synchronised clocks are needed,
 * only clocks that run at about the same rate; the remaining gap absorbs rate differences and the time L's
 * onStoppedLeading takes. With releaseOnCancel, {@link #close()} releases the Lease only
 * after onStoppedLeading returned, so the standby that takes it at once starts after L stopped.
 *
 * <p>Callbacks run on the elector's thread, one at a time, onNewLeader before onStartedLeading; they must return
 * promptly (start work elsewhere, stop it before returning from onStoppedLeading), since the leader cannot renew
 * while a callback runs.
 */
public final class LeaderElector implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(LeaderElector.class);
    private static final Duration MAX_ATTRIBUTION = Duration.ofSeconds(3);

    /** What the component does as leadership comes and goes. */
    public interface Callbacks {
        /** This replica leads from now on: start acting. */
        void onStartedLeading();

        /** This replica no longer leads (renewal failed, or close()): stop acting before returning. */
        void onStoppedLeading();

        /** The Lease's holder changed to {@code identity} (this replica's own included), as observed. */
        default void onNewLeader(String identity) {}
    }

    /**
     * How far before this process read a changed record the change may be placed, when the record's renewTime says
     * so: at most the gap leaseDuration − renewDeadline less 2 s of margin, and never more than 3 s.
     */
    private final Duration attribution;

    private final ResourceClient<LeaseObject> leases;
    private final LeaderElectionConfig config;
    private final Clock clock;
    /**
     * Platform threads, not virtual ones: virtual threads are not time-sliced, so on a 2-core machine two CPU-bound
     * virtual threads (a big relist, a heavy reconcile) could hold both carriers past the renew deadline and the
     * leader would lose its Lease for want of a few milliseconds of CPU. The kernel schedules these fairly.
     */
    private final ExecutorService calls = Executors.newCachedThreadPool(
            Thread.ofPlatform().daemon().name("leader-elector-call-", 0).factory());

    private final CountDownLatch stop = new CountDownLatch(1);
    private final CountDownLatch finished = new CountDownLatch(1);
    private final AtomicBoolean started = new AtomicBoolean();

    /** Guards what the API calls see and change: the Lease last read or written, the record and when it changed. */
    private final Object state = new Object();

    private LeaseObject lease;
    private Instant observedTime;
    /** Written under {@link #state}; volatile so the elector thread reads it without waiting for a hung call. */
    private volatile LeaderElectionRecord observedRecord;

    // The elector thread's own: whether it acts, since when its lease runs, and the call it waits for.
    private volatile boolean leading;
    private volatile String currentLeader = "";
    private Instant lastRenew;
    private Attempt pending;
    private Callbacks callbacks;
    private volatile Thread thread;

    private record Attempt(Instant start, Future<Boolean> result) {}

    public LeaderElector(ApiClient api, LeaderElectionConfig config, Clock clock) {
        this.leases = api.resources(LeaseObject.KIND);
        this.config = config;
        this.clock = clock;
        Duration gap = config.leaseDuration().minus(config.renewDeadline()).minusSeconds(2);
        this.attribution =
                gap.isNegative() ? Duration.ZERO : gap.compareTo(MAX_ATTRIBUTION) > 0 ? MAX_ATTRIBUTION : gap;
    }

    public LeaderElectionConfig config() {
        return config;
    }

    /** Runs {@link #run} on a platform thread of its own (see {@link #calls}); returns at once. */
    public void start(Callbacks callbacks) {
        begin();
        Thread.ofPlatform().daemon().name("leader-elector-" + config.name()).start(() -> loop(callbacks));
    }

    /**
     * Campaigns, leads and stands by again, on the calling thread, until {@link #close()}. On the way out it stops
     * leading (onStoppedLeading) and then, with releaseOnCancel, releases the Lease.
     */
    public void run(Callbacks callbacks) {
        begin();
        loop(callbacks);
    }

    private void begin() {
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("leader elector " + config.name() + " was started already");
        }
    }

    private void loop(Callbacks callbacks) {
        this.callbacks = callbacks;
        this.thread = Thread.currentThread();
        LOG.infof(
                "attempting to acquire leader lease %s/%s as %s", config.namespace(), config.name(), config.identity());
        try {
            while (stop.getCount() > 0) {
                Duration wait = round();
                if (stop.await(Math.max(0, wait.toNanos()), TimeUnit.NANOSECONDS)) {
                    break;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            shutdown();
            finished.countDown();
        }
    }

    /** Whether this replica acts as the leader now: between onStartedLeading and onStoppedLeading. */
    public boolean isLeader() {
        return leading;
    }

    /** The holder of the Lease as last observed, "" when none or not yet known. */
    public String currentLeader() {
        return currentLeader;
    }

    public String identity() {
        return config.identity();
    }

    /** Stops campaigning; returns once the elector stopped leading and, with releaseOnCancel, released the Lease. */
    @Override
    public void close() {
        stop.countDown();
        if (started.compareAndSet(false, true)) {
            shutdown(); // never ran, or stepped by hand
            finished.countDown();
        } else if (Thread.currentThread() != thread) {
            try {
                finished.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Package-private for tests that drive rounds by hand with a controlled clock. */
    void callbacks(Callbacks callbacks) {
        this.callbacks = callbacks;
    }

    private void shutdown() {
        stopLeading("the elector was closed");
        if (config.releaseOnCancel()) {
            Attempt release = new Attempt(clock.instant(), calls.submit(this::release));
            await(release, config.renewDeadline());
        }
        calls.shutdownNow();
    }

    /**
     * One try to acquire or renew and what follows from it; answers how long to wait before the next. Package-private
     * so that tests step the elector with a controlled clock.
     */
    Duration round() {
        Instant now = clock.instant();
        if (leading && expired(now)) {
            stopLeading("failed to renew the lease within " + config.renewDeadline());
        }
        boolean ok = attempt(now);
        Instant after = clock.instant();
        if (ok && pending.start().isAfter(lastRenewOr(Instant.MIN))) {
            lastRenew = pending.start();
        }
        reportLeader();
        if (ok && !expired(after)) {
            if (!leading) {
                leading = true;
                LOG.infof("successfully acquired lease %s/%s", config.namespace(), config.name());
                invoke("onStartedLeading", () -> callbacks.onStartedLeading());
            }
        } else if (leading && (expired(after) || heldByOther())) {
            stopLeading(
                    heldByOther()
                            ? "the lease is held by " + currentLeader
                            : "failed to renew the lease within " + config.renewDeadline());
        }
        if (leading) {
            Duration left = Duration.between(clock.instant(), lastRenew.plus(config.renewDeadline()));
            return left.compareTo(config.retryPeriod()) < 0 ? left : config.retryPeriod();
        }
        double jitter = ThreadLocalRandom.current().nextDouble() * LeaderElectionConfig.JITTER_FACTOR;
        Duration wait =
                config.retryPeriod().plusNanos((long) (config.retryPeriod().toNanos() * jitter));
        if (attribution.compareTo(config.retryPeriod()) > 0 && wait.compareTo(attribution) > 0) {
            // Reads at most the attribution apart: the first read after the leader's last renewal can then place
            // that renewal at its own renewTime, so the lease runs out leaseDuration after it, as if the clocks
            // were one.
            wait = attribution;
        }
        Instant runsOut = leaseRunsOut();
        if (runsOut != null) {
            // The next try when the lease seen runs out, not up to a retry period after.
            Duration untilThen = Duration.between(clock.instant(), runsOut).plusMillis(1);
            if (!untilThen.isNegative() && untilThen.compareTo(wait) < 0) {
                return untilThen;
            }
        }
        return wait;
    }

    /** When the lease another holder was last seen with runs out; null when nobody else holds it. */
    private Instant leaseRunsOut() {
        synchronized (state) {
            if (observedTime == null
                    || observedRecord == null
                    || holding()
                    || observedRecord.holderIdentity().isEmpty()) {
                return null;
            }
            return observedTime.plusSeconds(observedRecord.leaseDurationSeconds());
        }
    }

    private Instant lastRenewOr(Instant otherwise) {
        return lastRenew == null ? otherwise : lastRenew;
    }

    /** Whether a leader whose last renewal started at lastRenew must have stopped acting by {@code now}. */
    private boolean expired(Instant now) {
        return lastRenew == null || !now.isBefore(lastRenew.plus(config.renewDeadline()));
    }

    /**
     * Runs one try on its own thread and waits at most until the leader's deadline (renewDeadline for a candidate):
     * a call that hangs must not keep a leader acting past it. A try still running is awaited, never doubled.
     */
    private boolean attempt(Instant now) {
        if (pending == null || pending.result().isDone()) {
            pending = new Attempt(now, calls.submit(() -> tryAcquireOrRenew(now)));
        }
        Duration timeout =
                leading ? Duration.between(now, lastRenew.plus(config.renewDeadline())) : config.renewDeadline();
        return await(pending, timeout);
    }

    private boolean await(Attempt attempt, Duration timeout) {
        try {
            return attempt.result().get(Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            LOG.warnf("lease %s/%s: a call did not answer within %s", config.namespace(), config.name(), timeout);
            return false;
        } catch (ExecutionException e) {
            LOG.errorf(e.getCause(), "lease %s/%s: unexpected failure", config.namespace(), config.name());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** client-go's tryAcquireOrRenew: a fast renewal on the Lease last written, else read, decide, write. */
    private boolean tryAcquireOrRenew(Instant now) {
        synchronized (state) {
            LeaderElectionRecord desired =
                    new LeaderElectionRecord(config.identity(), config.leaseDurationSeconds(), now, now, 0);
            if (holding() && leaseValid(now) && lease != null) {
                LeaderElectionRecord next = desired.withAcquireTime(observedRecord.acquireTime())
                        .withTransitions(observedRecord.leaseTransitions());
                try {
                    lease = leases.update(lease.with(next));
                    observe(next);
                    return true;
                } catch (ApiError e) {
                    LOG.debugf(
                            "lease %s/%s: optimistic renewal failed (%s), reading it",
                            config.namespace(), config.name(), e.getMessage());
                }
            }
            Optional<LeaseObject> current;
            try {
                current = leases.get(config.namespace(), config.name());
            } catch (ApiError e) {
                LOG.warnf("error retrieving lease %s/%s: %s", config.namespace(), config.name(), e.getMessage());
                return false;
            }
            if (current.isEmpty()) {
                try {
                    lease = leases.create(LeaseObject.of(config.namespace(), config.name(), desired));
                    observe(desired);
                    return true;
                } catch (ApiError e) {
                    LOG.warnf("error creating lease %s/%s: %s", config.namespace(), config.name(), e.getMessage());
                    return false;
                }
            }
            lease = current.get();
            LeaderElectionRecord old = lease.record();
            if (!old.equals(observedRecord)) {
                observeRead(old);
            }
            if (!old.holderIdentity().isEmpty() && leaseValid(now) && !holding()) {
                return false;
            }
            LeaderElectionRecord next = holding()
                    ? desired.withAcquireTime(old.acquireTime()).withTransitions(old.leaseTransitions())
                    : desired.withTransitions(old.leaseTransitions() + 1);
            try {
                lease = leases.update(lease.with(next));
                observe(next);
                return true;
            } catch (ApiError e) {
                // 409: another candidate wrote first; it leads, we keep watching the record it wrote.
                LOG.debugf("failed to update lease %s/%s: %s", config.namespace(), config.name(), e.getMessage());
                return false;
            }
        }
    }

    /** client-go's release: only the holder clears the Lease; leaseDurationSeconds 1 so others need not wait. */
    private boolean release() {
        synchronized (state) {
            if (!holding() || lease == null) {
                return true;
            }
            Instant now = clock.instant();
            var released = new LeaderElectionRecord("", 1, now, now, observedRecord.leaseTransitions());
            try {
                lease = leases.update(lease.with(released));
                observe(released);
                LOG.infof("released lease %s/%s", config.namespace(), config.name());
                return true;
            } catch (ApiError e) {
                LOG.warnf("failed to release lease %s/%s: %s", config.namespace(), config.name(), e.getMessage());
                return false;
            }
        }
    }

    private void observe(LeaderElectionRecord record) {
        observedRecord = record;
        observedTime = clock.instant();
    }

    /** A record another process wrote: changed at its renewTime, if that is within the attribution of the read. */
    private void observeRead(LeaderElectionRecord record) {
        Instant read = clock.instant();
        Instant changed = read;
        if (record.renewTime() != null && record.renewTime().isBefore(read)) {
            Instant earliest = read.minus(attribution);
            changed = record.renewTime().isAfter(earliest) ? record.renewTime() : earliest;
        }
        observedRecord = record;
        observedTime = changed;
    }

    /** The record last observed names us (client-go's IsLeader); not the same as acting, see {@link #isLeader()}. */
    private boolean holding() {
        return observedRecord != null && config.identity().equals(observedRecord.holderIdentity());
    }

    private boolean leaseValid(Instant now) {
        return observedTime != null
                && observedTime
                        .plusSeconds(observedRecord.leaseDurationSeconds())
                        .isAfter(now);
    }

    private boolean heldByOther() {
        LeaderElectionRecord record = observedRecord;
        return record != null
                && !record.holderIdentity().isEmpty()
                && !config.identity().equals(record.holderIdentity());
    }

    private void reportLeader() {
        LeaderElectionRecord record = observedRecord;
        String holder = record == null ? "" : record.holderIdentity();
        if (!holder.equals(currentLeader)) {
            currentLeader = holder;
            if (!holder.isEmpty()) {
                LOG.infof("new leader of %s/%s: %s", config.namespace(), config.name(), holder);
                invoke("onNewLeader", () -> callbacks.onNewLeader(holder));
            }
        }
    }

    private void stopLeading(String why) {
        if (leading) {
            leading = false;
            LOG.infof("stopped leading %s/%s: %s", config.namespace(), config.name(), why);
            invoke("onStoppedLeading", () -> callbacks.onStoppedLeading());
        }
    }

    private void invoke(String name, Runnable callback) {
        if (callbacks == null) {
            return;
        }
        try {
            callback.run();
        } catch (RuntimeException e) {
            LOG.errorf(e, "leader election callback %s failed", name);
        }
    }
}
