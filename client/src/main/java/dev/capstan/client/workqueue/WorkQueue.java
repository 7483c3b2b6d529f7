package dev.capstan.client.workqueue;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * client-go's rate-limiting, delaying work queue ({@code k8s.io/client-go/util/workqueue}): workers {@link #get} a
 * key, process it and call {@link #done}. Its guarantees, each kept where the comment names it:
 *
 * <ol>
 *   <li><b>Dedup.</b> A key added any number of times while it waits is handed out once: {@code dirty} holds every key
 *       that needs processing, and adding a dirty key does nothing ({@link #insert}).
 *   <li><b>One worker per key.</b> A key is never handed to two workers at once: adding a key that is being processed
 *       only marks it dirty ({@link #insert}), and {@link #done} queues it again, so it is processed once more after
 *       the running processing, never beside it.
 *   <li><b>FIFO.</b> Keys are handed out in the order of their first add; a key re-queued by {@code done} goes last.
 *   <li><b>Delays.</b> {@link #addAfter} adds the key when the injected {@link Clock} reaches its time; a second
 *       {@code addAfter} of a key already waiting keeps the earlier of the two times. There is no timer thread: a
 *       getter moves due keys into the queue ({@link #promoteDue}) and sleeps toward the earliest time (re-reading
 *       the clock at least every second, for clocks that jump), so a queue that is never shut down leaks no thread.
 *   <li><b>Shut down.</b> After {@link #shutDown} adds are ignored and delayed keys dropped; keys already queued are
 *       still handed out (as client-go, so workers can finish them) and then {@code get} answers empty at once.
 * </ol>
 *
 * <p>Thread-safe; one lock guards all state. Keys are compared by {@code equals} and must not be null.
 *
 * @param <K> the key type, usually a namespace/name
 */
public final class WorkQueue<K> implements AutoCloseable {
    /** Longest sleep toward a delayed key's time: an injected Clock that is not the system's may jump meanwhile. */
    private static final long MAX_SLEEP_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final RateLimiter<K> limiter;
    private final Clock clock;
    private final QueueMetrics metrics;

    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled once per key queued; signalled to all at shut down and when the earliest delay comes closer. */
    private final Condition changed = lock.newCondition();
    /** Signalled when no key is being processed any more, for {@link #shutDownWithDrain}. */
    private final Condition idle = lock.newCondition();

    private final ArrayDeque<K> queue = new ArrayDeque<>();
    /** Keys to process: those queued and those added again while being processed. */
    private final Set<K> dirty = new HashSet<>();
    /** When each dirty key was added, for workqueue.queue.duration. */
    private final Map<K, Instant> addedAt = new HashMap<>();
    /** Keys handed out and not yet done, with when they were handed out. */
    private final Map<K, Instant> processing = new HashMap<>();

    private final NavigableSet<Delayed<K>> delayed = new TreeSet<>(Delayed.ORDER);
    private final Map<K, Delayed<K>> delayedByKey = new HashMap<>();
    private long delayedSeq;

    private boolean shuttingDown;
    private boolean drain;

    /**
     * @param name names the queue in metrics (tag {@code name}); should be unique per registry while running
     * @param limiter decides the delays of {@link #addRateLimited}
     * @param clock the time of delays and metrics
     * @param metrics where to register the workqueue metrics, or null for none
     */
    public WorkQueue(String name, RateLimiter<K> limiter, Clock clock, MeterRegistry metrics) {
        Objects.requireNonNull(name, "name");
        this.limiter = Objects.requireNonNull(limiter, "limiter");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.metrics = QueueMetrics.of(metrics, name, this, WorkQueue::depth);
    }

    /** A queue with {@link RateLimiter#controllerDefault}, the system clock and no metrics. */
    public static <K> WorkQueue<K> create(String name) {
        Clock clock = Clock.systemUTC();
        return new WorkQueue<>(name, RateLimiter.controllerDefault(clock), clock, null);
    }

    /** Marks {@code key} as needing processing; see the guarantees above. Ignored after shut down. */
    public void add(K key) {
        Objects.requireNonNull(key, "key");
        lock.lock();
        try {
            if (!shuttingDown) {
                insert(key, clock.instant());
            }
        } finally {
            lock.unlock();
        }
    }

    /** Adds {@code key} once {@code delay} has passed on the clock, at once if it is not positive. */
    public void addAfter(K key, Duration delay) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(delay, "delay");
        lock.lock();
        try {
            if (shuttingDown) {
                return;
            }
            metrics.retried(); // as client-go: every delayed add counts, whatever its delay
            Instant now = clock.instant();
            if (delay.isNegative() || delay.isZero()) {
                insert(key, now);
                return;
            }
            Instant due = plus(now, delay);
            Delayed<K> pending = delayedByKey.get(key);
            if (pending != null) {
                if (!due.isBefore(pending.due())) {
                    return; // guarantee 4: the earlier time wins
                }
                delayed.remove(pending);
            }
            Delayed<K> entry = new Delayed<>(key, due, delayedSeq++);
            delayed.add(entry);
            delayedByKey.put(key, entry);
            if (delayed.first() == entry) {
                changed.signalAll(); // sleeping getters aim at a later time: have them aim again
            }
        } finally {
            lock.unlock();
        }
    }

    /** Records a failure of {@code key} with the rate limiter and adds it after the delay that answers. */
    public void addRateLimited(K key) {
        addAfter(key, limiter.when(key));
    }

    /** Stops the rate limiter tracking {@code key}: call it once the key was processed successfully. */
    public void forget(K key) {
        limiter.forget(key);
    }

    /** Failures the rate limiter recorded for {@code key} since it was last forgotten. */
    public int retries(K key) {
        return limiter.retries(key);
    }

    /**
     * Waits for a key to process and hands it out; the caller must call {@link #done} with it. Answers empty once
     * the queue is shut down and no key is left queued.
     */
    public Optional<K> get() throws InterruptedException {
        return take(false, 0);
    }

    /** As {@link #get}, but answers empty also when no key came within {@code timeout}. */
    public Optional<K> poll(Duration timeout) throws InterruptedException {
        long nanos = timeout.compareTo(Duration.ofDays(365)) > 0 ? TimeUnit.DAYS.toNanos(365) : timeout.toNanos();
        return take(true, System.nanoTime() + nanos);
    }

    private Optional<K> take(boolean timed, long deadline) throws InterruptedException {
        lock.lockInterruptibly();
        try {
            while (true) {
                promoteDue();
                K key = queue.pollFirst(); // before any shut-down or time-out check: a woken getter takes its key
                if (key != null) {
                    Instant now = clock.instant();
                    dirty.remove(key);
                    processing.put(key, now); // guarantee 2: from now on an add only marks it dirty
                    metrics.waited(nonNegative(Duration.between(addedAt.remove(key), now)));
                    return Optional.of(key);
                }
                if (shuttingDown) {
                    return Optional.empty();
                }
                long sleep = delayed.isEmpty()
                        ? Long.MAX_VALUE
                        : nanosUntil(delayed.first().due());
                if (timed) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return Optional.empty();
                    }
                    sleep = Math.min(sleep, left);
                }
                if (sleep == Long.MAX_VALUE) {
                    changed.await();
                } else {
                    changed.awaitNanos(sleep);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Ends the processing of {@code key}, handed out by {@link #get}; queues it again if it was added meanwhile.
     *
     * @throws IllegalStateException if {@code key} is not being processed (done twice, or never handed out)
     */
    public void done(K key) {
        lock.lock();
        try {
            Instant started = processing.remove(key);
            if (started == null) {
                throw new IllegalStateException("done(" + key + ") but it is not being processed");
            }
            metrics.worked(nonNegative(Duration.between(started, clock.instant())));
            if (dirty.contains(key)) {
                queue.addLast(key); // guarantee 2: the add that came during processing is honoured now
                changed.signal();
            }
            if (processing.isEmpty()) {
                idle.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Keys ready to be handed out, not counting delayed keys nor those being processed. */
    public int length() {
        lock.lock();
        try {
            promoteDue();
            return queue.size();
        } finally {
            lock.unlock();
        }
    }

    /** The workqueue.depth gauge: as client-go, every key to process, including those added while processed. */
    private int depth() {
        lock.lock();
        try {
            promoteDue();
            return dirty.size();
        } finally {
            lock.unlock();
        }
    }

    /** Ignores adds from now on and wakes every getter, which answer empty once the queue is empty. */
    public void shutDown() {
        startShutDown(false); // drain false also releases a shutDownWithDrain that is waiting
    }

    /**
     * As {@link #shutDown}, then waits until every key handed out is done. Workers must therefore call {@link #done}
     * after the shut down; {@link #shutDown} or an interrupt (whose flag stays set) ends the wait early.
     */
    public void shutDownWithDrain() {
        startShutDown(true);
        lock.lock();
        try {
            while (drain && !processing.isEmpty()) {
                idle.await();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
    }

    private void startShutDown(boolean drain) {
        boolean first;
        lock.lock();
        try {
            this.drain = drain;
            first = !shuttingDown;
            shuttingDown = true;
            delayed.clear(); // guarantee 5: delayed keys are dropped, as client-go's waiting loop stops
            delayedByKey.clear();
            changed.signalAll();
            idle.signalAll();
        } finally {
            lock.unlock();
        }
        if (first) {
            metrics.close(); // outside the lock: a registry reading the depth gauge holds its own lock, then ours
        }
    }

    public boolean isShuttingDown() {
        lock.lock();
        try {
            return shuttingDown;
        } finally {
            lock.unlock();
        }
    }

    /** {@link #shutDown}. */
    @Override
    public void close() {
        shutDown();
    }

    /** Guarantees 1 to 3; the caller holds the lock and has checked that the queue is not shut down. */
    private void insert(K key, Instant now) {
        if (!dirty.add(key)) {
            return; // guarantee 1: already waiting (or re-added while processed): one processing covers both
        }
        metrics.added();
        addedAt.put(key, now);
        if (processing.containsKey(key)) {
            return; // guarantee 2: done() queues it
        }
        queue.addLast(key); // guarantee 3
        changed.signal();
    }

    /** Moves delayed keys whose time has come into the queue, earliest first. */
    private void promoteDue() {
        if (delayed.isEmpty()) {
            return;
        }
        Instant now = clock.instant();
        while (!delayed.isEmpty() && !delayed.first().due().isAfter(now)) {
            Delayed<K> entry = delayed.pollFirst();
            delayedByKey.remove(entry.key());
            insert(entry.key(), entry.due()); // added as of its time, for workqueue.queue.duration
        }
    }

    private long nanosUntil(Instant due) {
        Duration left = Duration.between(clock.instant(), due);
        return left.compareTo(Duration.ofNanos(MAX_SLEEP_NANOS)) >= 0 ? MAX_SLEEP_NANOS : Math.max(0, left.toNanos());
    }

    private static Instant plus(Instant now, Duration delay) {
        try {
            return now.plus(delay);
        } catch (DateTimeException | ArithmeticException e) {
            return Instant.MAX; // a delay past the end of time: never, in effect
        }
    }

    private static Duration nonNegative(Duration duration) {
        return duration.isNegative() ? Duration.ZERO : duration; // a clock may step back
    }

    /** A key waiting for its time; {@code seq} orders keys due at the same instant by their addAfter. */
    private record Delayed<K>(K key, Instant due, long seq) {
        static final Comparator<Delayed<?>> ORDER =
                Comparator.<Delayed<?>, Instant>comparing(Delayed::due).thenComparingLong(Delayed::seq);
    }
}
