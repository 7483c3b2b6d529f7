package dev.capstan.client.workqueue;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The workers of a controller: {@code workers} virtual threads that each take a key from the queue, reconcile it and
 * settle it, so that controllers never manage threads. Settling, as client-go controllers and controller-runtime do:
 * {@link Result#DONE} forgets the key's back-off; {@link Result.RequeueAfter} forgets it and adds the key after the
 * delay; an exception is logged and the key added rate-limited; and the key is always {@link WorkQueue#done done}.
 * The queue's guarantee that a key is never handed to two workers at once makes reconciles of one key sequential.
 *
 * <p>Metrics, tagged {@code controller}: timer {@code controller.reconcile.duration}, counter {@code
 * controller.reconcile.errors}.
 */
public final class ReconcileLoop<K> implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ReconcileLoop.class);

    private final String name;
    private final WorkQueue<K> queue;
    private final Reconciler<K> reconciler;
    private final int workers;
    private final Timer duration;
    private final Counter errors;
    private final List<Thread> threads = new ArrayList<>();

    /** @param metrics where to register the controller metrics, or null for none */
    public ReconcileLoop(
            String name, WorkQueue<K> queue, Reconciler<K> reconciler, int workers, MeterRegistry metrics) {
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be at least 1: " + workers);
        }
        this.name = Objects.requireNonNull(name, "name");
        this.queue = Objects.requireNonNull(queue, "queue");
        this.reconciler = Objects.requireNonNull(reconciler, "reconciler");
        this.workers = workers;
        this.duration = metrics == null
                ? null
                : Timer.builder("controller.reconcile.duration")
                        .description("How long reconciling a key takes, failures included")
                        .tag("controller", name)
                        .register(metrics);
        this.errors = metrics == null
                ? null
                : Counter.builder("controller.reconcile.errors")
                        .description("Reconciles that threw, each retried with back-off")
                        .tag("controller", name)
                        .register(metrics);
    }

    /** Starts the workers. */
    public synchronized void start() {
        if (!threads.isEmpty()) {
            throw new IllegalStateException(name + " is already started");
        }
        Thread.Builder builder = Thread.ofVirtual().name(name + "-worker-", 0);
        for (int i = 0; i < workers; i++) {
            threads.add(builder.start(this::work));
        }
    }

    /**
     * Shuts the queue down, waits for the keys being reconciled to be done, and waits for the workers to end (they
     * still reconcile the keys that were queued, as client-go's). An interrupt ends the wait, leaving its flag set.
     */
    @Override
    public void close() {
        queue.shutDownWithDrain();
        List<Thread> started;
        synchronized (this) {
            started = List.copyOf(threads);
        }
        try {
            for (Thread thread : started) {
                thread.join();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void work() {
        try {
            for (Optional<K> key = queue.get(); key.isPresent(); key = queue.get()) {
                reconcile(key.get());
            }
        } catch (InterruptedException e) {
            LOG.debugf(
                    "%s: worker %s interrupted, ending",
                    name, Thread.currentThread().getName());
        }
    }

    private void reconcile(K key) {
        long start = System.nanoTime();
        try {
            switch (reconciler.reconcile(key)) {
                case Result.Done done -> queue.forget(key);
                case Result.RequeueAfter(var delay) -> {
                    queue.forget(key);
                    queue.addAfter(key, delay);
                }
            }
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt(); // the worker ends at its next get, after this key is settled
            }
            if (errors != null) {
                errors.increment();
            }
            logFailure(key, e, queue.retries(key) + 1);
            queue.addRateLimited(key);
        } finally {
            if (duration != null) {
                duration.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            }
            queue.done(key);
        }
    }

    /**
     * A conflict is optimistic concurrency doing its job (the cache was behind; the retry reads the newer object), so
     * it is logged only at debug level, as upstream's controllers log it at high verbosity. Other API errors carry
     * the server's message, which says enough without a stack trace; anything else is a bug and keeps its trace.
     */
    private void logFailure(K key, Exception e, int failure) {
        if (e instanceof dev.capstan.client.ApiError api) {
            if (api.isConflict()) {
                LOG.debugf(
                        "%s: reconciling %s hit a conflict (failure %d), will retry: %s",
                        name, key, failure, api.getMessage());
            } else {
                LOG.warnf(
                        "%s: reconciling %s failed (failure %d), will retry: %s", name, key, failure, api.getMessage());
            }
            return;
        }
        LOG.warnf(e, "%s: reconciling %s failed (failure %d), will retry", name, key, failure);
    }
}
