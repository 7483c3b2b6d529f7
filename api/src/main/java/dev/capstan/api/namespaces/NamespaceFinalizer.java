package dev.capstan.api.namespaces;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.registry.ObjectMetaRules;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Drives {@link NamespaceDeleter} for every terminating namespace, however it came to be deleted (REST, gRPC, a
 * collection delete) and across restarts: it looks at the namespaces every {@code period}, and tries a namespace
 * whose content remains again with a growing delay, as upstream's namespace controller requeues it.
 */
public final class NamespaceFinalizer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(NamespaceFinalizer.class);
    private static final Duration FIRST_RETRY = Duration.ofMillis(500);
    private static final Duration MAX_RETRY = Duration.ofSeconds(5);

    private final NamespaceDeleter deleter;
    private final Supplier<List<ObjectNode>> namespaces;
    private final Duration period;
    private final Clock clock;
    private final Map<String, Retry> retries = new HashMap<>();
    private volatile boolean closed;
    private Thread thread;

    private record Retry(Instant due, Duration delay) {}

    /** {@code namespaces} lists the current namespaces (from the watch cache when it is synced). */
    public NamespaceFinalizer(
            NamespaceDeleter deleter, Supplier<List<ObjectNode>> namespaces, Duration period, Clock clock) {
        this.deleter = deleter;
        this.namespaces = namespaces;
        this.period = period;
        this.clock = clock;
    }

    public synchronized void start() {
        if (thread == null) {
            thread = Thread.ofVirtual().name("namespace-finalizer").start(this::run);
        }
    }

    // Only close() ends the loop: a failed pass (the store away) is logged and the next one comes a period later;
    // a stray interrupt (a store call that was interrupted leaves the flag set) must not end it either.
    private void run() {
        boolean failing = false;
        while (!closed) {
            try {
                passOnce();
                if (failing) {
                    LOG.info("namespace finalization runs again");
                }
                failing = false;
            } catch (RuntimeException e) {
                if (!failing) {
                    LOG.warnf(
                            "namespace finalization pass failed (%s); retrying every %d ms",
                            e.getMessage(), period.toMillis());
                }
                failing = true;
            }
            try {
                Thread.sleep(period);
            } catch (InterruptedException e) {
                if (closed) {
                    return;
                }
            }
        }
    }

    /** Tries every terminating namespace that is due; answers how many it finished. */
    public synchronized int passOnce() {
        int finished = 0;
        Instant now = clock.instant();
        for (ObjectNode ns : namespaces.get()) {
            if (!ObjectMetaRules.isBeingDeleted(ns)) {
                continue;
            }
            String name = ObjectMetaRules.name(ns);
            Retry retry = retries.get(name);
            if (retry != null && now.isBefore(retry.due())) {
                continue;
            }
            try {
                if (deleter.sync(name) == NamespaceDeleter.Outcome.DONE) {
                    retries.remove(name);
                    finished++;
                    continue;
                }
            } catch (RuntimeException e) {
                LOG.debugf("finishing namespace %s: %s", name, e.getMessage());
            }
            Duration delay = retry == null ? FIRST_RETRY : min(retry.delay().multipliedBy(2), MAX_RETRY);
            retries.put(name, new Retry(now.plus(delay), delay));
        }
        return finished;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    @Override
    public void close() {
        closed = true;
        Thread t;
        synchronized (this) {
            t = thread;
        }
        if (t != null) {
            t.interrupt();
        }
    }
}
