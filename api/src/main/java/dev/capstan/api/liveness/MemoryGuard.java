package dev.capstan.api.liveness;

import java.util.function.BooleanSupplier;
import org.jboss.logging.Logger;

/**
 * What an OutOfMemoryError does to the server. Caught where a request ends, it marks the server unready and then
 * checks whether the heap recovered once the request's garbage is gone: ready again if so, exit if not. One that
 * kills any other thread (the watch cache's dispatcher, a store listener) exits at once, since whatever that thread
 * did has stopped. Starting the JVM with -XX:+ExitOnOutOfMemoryError (as {@code ./capstan} does) exits on the first
 * one anywhere; this is the same policy for a JVM started without it.
 */
public final class MemoryGuard {
    private static final Logger LOG = Logger.getLogger(MemoryGuard.class);
    /** The share of the heap still in use after a full collection above which memory counts as not recovered. */
    private static final double RECOVERED_BELOW = 0.85;

    private final ProcessExit exit;
    private final BooleanSupplier heapRecovered;
    private volatile boolean healthy = true;

    public MemoryGuard(ProcessExit exit, BooleanSupplier heapRecovered) {
        this.exit = exit;
        this.heapRecovered = heapRecovered;
    }

    /** The guard of a running server: the real exit and a check of the JVM's heap. */
    public static MemoryGuard forJvm(ProcessExit exit) {
        return new MemoryGuard(exit, MemoryGuard::heapUsageLow);
    }

    /** Turns an OutOfMemoryError that ends any thread other than a request's into an exit. */
    public void install() {
        Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((thread, error) -> {
            if (error instanceof OutOfMemoryError oom) {
                threadDied(thread.getName(), oom);
            } else if (previous != null) {
                previous.uncaughtException(thread, error);
            } else {
                LOG.errorf(error, "thread %s died", thread.getName());
            }
        });
    }

    /** Whether no OutOfMemoryError is being dealt with. */
    public boolean healthy() {
        return healthy;
    }

    /** A request ran out of memory: unready until the heap is seen to have recovered; exit if it has not. */
    public void requestFailed(String request, OutOfMemoryError error) {
        healthy = false;
        LOG.errorf("out of memory serving %s (%s); the server is unready until the heap recovers", request, error);
        if (heapRecovered.getAsBoolean()) {
            LOG.warn("the heap recovered after the out-of-memory error; the server is ready again");
            healthy = true;
        } else {
            exit.exit(ProcessExit.OUT_OF_MEMORY, "the heap did not recover after an out-of-memory error in " + request);
        }
    }

    /** A thread died of an OutOfMemoryError: what it was doing has stopped, so the process must go. */
    public void threadDied(String thread, OutOfMemoryError error) {
        healthy = false;
        exit.exit(ProcessExit.OUT_OF_MEMORY, "thread " + thread + " died of " + error);
    }

    private static boolean heapUsageLow() {
        // A full collection on a path taken once per failure: what is left is what the server really holds.
        System.gc();
        Runtime runtime = Runtime.getRuntime();
        long used = runtime.totalMemory() - runtime.freeMemory();
        return used < RECOVERED_BELOW * runtime.maxMemory();
    }
}
