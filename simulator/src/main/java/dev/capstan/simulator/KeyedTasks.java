package dev.capstan.simulator;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * Level-triggered work by key, small and private to the simulator: adding a key that waits does nothing, a key is
 * never synced by two threads at once (added while it runs, it runs once more afterwards), and at most {@code
 * parallelism} syncs run at a time, each on a virtual thread of its own that ends with it. The sync answers when to
 * look at the key again, or null. One platform thread keeps the timers. A sync that throws is retried after a second.
 */
final class KeyedTasks implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(KeyedTasks.class);
    private static final Duration RETRY = Duration.ofSeconds(1);

    private enum State {
        QUEUED,
        RUNNING,
        RUNNING_DIRTY
    }

    private final Function<String, Duration> sync;
    private final Semaphore permits;
    private final ScheduledExecutorService timer;
    private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
    private final Map<String, State> states = new HashMap<>();
    private volatile boolean closed;

    KeyedTasks(String name, int parallelism, Function<String, Duration> sync) {
        this.sync = sync;
        this.permits = new Semaphore(parallelism);
        this.timer = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name(name + "-timer").factory());
    }

    void add(String key) {
        synchronized (states) {
            if (closed) {
                return;
            }
            State state = states.get(key);
            if (state == null) {
                states.put(key, State.QUEUED);
                submit(key);
            } else if (state == State.RUNNING) {
                states.put(key, State.RUNNING_DIRTY);
            }
        }
    }

    void addAfter(String key, Duration delay) {
        if (delay.isZero() || delay.isNegative()) {
            add(key);
            return;
        }
        try {
            timer.schedule(() -> add(key), delay.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            // closed
        }
    }

    /** Runs {@code task} every {@code period} on the timer thread's behalf, on a virtual thread. */
    void every(Duration period, Runnable task) {
        timer.scheduleWithFixedDelay(
                () -> {
                    try {
                        workers.submit(task).get();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } catch (Exception e) {
                        LOG.warnf(e, "periodic simulator task failed");
                    }
                },
                period.toNanos(),
                period.toNanos(),
                TimeUnit.NANOSECONDS);
    }

    /** Runs {@code task} on a virtual thread, within the parallelism. */
    void run(Runnable task) {
        try {
            workers.submit(() -> {
                if (!acquire()) {
                    return;
                }
                try {
                    task.run();
                } finally {
                    permits.release();
                }
            });
        } catch (RejectedExecutionException e) {
            // closed
        }
    }

    private void submit(String key) {
        try {
            workers.submit(() -> process(key));
        } catch (RejectedExecutionException e) {
            states.remove(key);
        }
    }

    private void process(String key) {
        if (!acquire()) {
            return;
        }
        Duration again;
        try {
            synchronized (states) {
                states.put(key, State.RUNNING);
            }
            again = sync.apply(key);
        } catch (RuntimeException e) {
            LOG.warnf("simulator: %s failed (%s); retrying in %s", key, e.getMessage(), RETRY);
            again = RETRY;
        } finally {
            permits.release();
        }
        synchronized (states) {
            if (states.remove(key) == State.RUNNING_DIRTY && !closed) {
                states.put(key, State.QUEUED);
                submit(key);
            }
        }
        if (again != null) {
            addAfter(key, again);
        }
    }

    private boolean acquire() {
        try {
            permits.acquire();
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void close() {
        synchronized (states) {
            closed = true;
            states.clear();
        }
        timer.shutdownNow();
        workers.shutdownNow();
        try {
            workers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
