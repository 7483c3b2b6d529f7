package dev.capstan.api.liveness;

import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * Ends the process so that its supervisor starts a new one. Injectable, so tests can see the decision without
 * dying of it.
 */
@FunctionalInterface
public interface ProcessExit {
    /** The status of an exit after OutOfMemoryError; the JVM's own -XX:+ExitOnOutOfMemoryError exits with 3 too. */
    int OUT_OF_MEMORY = 3;

    /** The status of an exit because an event loop stopped running its tasks. */
    int EVENT_LOOP_STUCK = 4;

    void exit(int status, String reason);

    /**
     * The real one: an orderly System.exit (Quarkus stops, the embedded PostgreSQL with it), and Runtime.halt if
     * that has not finished within {@code grace} — a process out of memory or with a stuck event loop may never
     * finish its shutdown.
     */
    static ProcessExit jvm(Duration grace) {
        Logger log = Logger.getLogger(ProcessExit.class);
        return (status, reason) -> {
            log.fatalf("exiting with status %d: %s", status, reason);
            Thread.ofPlatform().daemon().name("capstan-exit").start(() -> System.exit(status));
            try {
                Thread.sleep(grace);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            System.err.println("capstan: the orderly exit did not finish within " + grace + "; halting");
            Runtime.getRuntime().halt(status);
        };
    }
}
