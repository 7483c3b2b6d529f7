package dev.capstan.api.cache;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One watcher's queue of cache events. The cache offers and never waits: a watcher that falls
 * {@code capacity} events behind is ended, and its client watches again from the last revision it saw.
 */
public final class CacheWatch implements AutoCloseable {
    private final String prefix;
    private final int capacity;
    private final Runnable onClose;
    private final ArrayDeque<CacheEvent> queue = new ArrayDeque<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition ready = lock.newCondition();
    private String endReason;

    CacheWatch(String prefix, int capacity, Runnable onClose) {
        this.prefix = prefix;
        this.capacity = capacity;
        this.onClose = onClose;
    }

    String prefix() {
        return prefix;
    }

    /** Queues an event; false (and the watch ended) when the watcher is too far behind. */
    boolean offer(CacheEvent event) {
        lock.lock();
        try {
            if (endReason != null) {
                return false;
            }
            if (queue.size() >= capacity) {
                endLocked("the watcher fell more than " + capacity + " events behind");
                return false;
            }
            queue.add(event);
            ready.signal();
            return true;
        } finally {
            lock.unlock();
        }
    }

    void end(String reason) {
        lock.lock();
        try {
            endLocked(reason);
        } finally {
            lock.unlock();
        }
    }

    private void endLocked(String reason) {
        if (endReason == null) {
            endReason = reason;
            queue.clear();
            ready.signalAll();
        }
    }

    /** The next event, or null after {@code timeout}; throws {@link Ended} once the watch has ended. */
    public CacheEvent poll(Duration timeout) throws InterruptedException, Ended {
        long nanos = timeout.toNanos();
        lock.lock();
        try {
            while (queue.isEmpty()) {
                if (endReason != null) {
                    throw new Ended(endReason);
                }
                if (nanos <= 0) {
                    return null;
                }
                nanos = ready.awaitNanos(nanos);
            }
            return queue.poll();
        } finally {
            lock.unlock();
        }
    }

    /** Whether every queued event has been taken. */
    public boolean drained() {
        lock.lock();
        try {
            return queue.isEmpty();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        end("closed");
        onClose.run();
    }

    /** The cache ended this watch: it fell behind, or the cache lost its store watch and is syncing again. */
    public static final class Ended extends Exception {
        Ended(String reason) {
            super(reason, null, false, false);
        }
    }
}
