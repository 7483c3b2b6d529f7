package dev.capstan.api.liveness;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongSupplier;
import org.jboss.logging.Logger;

/**
 * Pings every Vert.x event loop with a no-op task and watches how long the answer takes. An event loop that has
 * not run its ping for {@code unreadyAfter} makes the server unready (every connection it carries is stalled); one
 * stuck for {@code exitAfter} ends the process, with the loop's stack in the log. Vert.x's blocked-thread checker
 * only warns.
 *
 * <p>Each loop has at most one ping outstanding, so a stuck loop's queue does not grow with the watchdog's.
 */
public final class EventLoopWatchdog implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(EventLoopWatchdog.class);
    private static final long NONE = Long.MIN_VALUE;

    private final List<? extends Executor> loops;
    private final Duration unreadyAfter;
    private final Duration exitAfter;
    private final ProcessExit exit;
    private final LongSupplier nanoTime;
    /** When each loop's outstanding ping was sent, or {@link #NONE}. */
    private final AtomicLongArray sentAt;

    private final Thread[] threads;
    private volatile boolean healthy = true;
    private ScheduledExecutorService ticker;

    public EventLoopWatchdog(
            Iterable<? extends Executor> loops,
            Duration unreadyAfter,
            Duration exitAfter,
            ProcessExit exit,
            LongSupplier nanoTime) {
        if (unreadyAfter.isNegative() || unreadyAfter.isZero() || exitAfter.compareTo(unreadyAfter) < 0) {
            throw new IllegalArgumentException("capstan.api.event-loop-unready-after (" + unreadyAfter
                    + ") must be positive and no longer than capstan.api.event-loop-exit-after (" + exitAfter + ")");
        }
        List<Executor> all = new ArrayList<>();
        loops.forEach(all::add);
        this.loops = List.copyOf(all);
        this.unreadyAfter = unreadyAfter;
        this.exitAfter = exitAfter;
        this.exit = exit;
        this.nanoTime = nanoTime;
        this.sentAt = new AtomicLongArray(all.size());
        this.threads = new Thread[all.size()];
        for (int i = 0; i < all.size(); i++) {
            sentAt.set(i, NONE);
        }
    }

    /** Checks every {@code interval} on a platform thread of its own (not one a stuck loop could hold up). */
    public void start(Duration interval) {
        ticker = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("event-loop-watchdog").factory());
        ticker.scheduleWithFixedDelay(this::check, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** False while some event loop has not run its ping for {@code unreadyAfter}. */
    public boolean healthy() {
        return healthy;
    }

    /** One round: pings the loops that answered, measures those that have not. */
    void check() {
        long now = nanoTime.getAsLong();
        long worst = 0;
        int worstLoop = -1;
        for (int i = 0; i < loops.size(); i++) {
            long sent = sentAt.get(i);
            if (sent == NONE) {
                ping(i, now);
            } else if (now - sent > worst) {
                worst = now - sent;
                worstLoop = i;
            }
        }
        boolean nowHealthy = worst < unreadyAfter.toNanos();
        if (!nowHealthy && healthy) {
            LOG.errorf(
                    "event loop %s has not run a task for %d ms; the server is unready",
                    name(worstLoop), worst / 1_000_000);
        } else if (nowHealthy && !healthy) {
            LOG.warn("every event loop runs its tasks again; the server is ready");
        }
        healthy = nowHealthy;
        if (worst >= exitAfter.toNanos()) {
            Thread thread = threads[worstLoop];
            String stack = thread == null ? "" : Arrays.toString(thread.getStackTrace());
            exit.exit(
                    ProcessExit.EVENT_LOOP_STUCK,
                    "event loop " + name(worstLoop) + " has not run a task for " + worst / 1_000_000 + " ms; it is at "
                            + stack);
        }
    }

    private void ping(int loop, long now) {
        sentAt.set(loop, now);
        try {
            loops.get(loop).execute(() -> {
                threads[loop] = Thread.currentThread();
                sentAt.set(loop, NONE);
            });
        } catch (RejectedExecutionException e) {
            sentAt.set(loop, NONE); // shutting down
        }
    }

    private String name(int loop) {
        Thread thread = loop < 0 ? null : threads[loop];
        return thread == null ? "#" + loop : thread.getName();
    }

    @Override
    public void close() {
        if (ticker != null) {
            ticker.shutdownNow();
        }
    }
}
