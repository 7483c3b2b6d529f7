package dev.capstan.store.internal;

import dev.capstan.store.Store;
import java.time.Clock;
import java.time.Duration;
import org.jboss.logging.Logger;

/** Runs the compaction policy on a timer. Several processes may run one: compaction only moves forward. */
final class Compactor implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Compactor.class);

    private final Store store;
    private final WatchHub hub;
    private final CompactionPolicy policy;
    private final Duration interval;
    private final Clock clock;
    private final Thread thread;

    Compactor(Store store, WatchHub hub, CompactionPolicy policy, Duration interval, Clock clock) {
        this.store = store;
        this.hub = hub;
        this.policy = policy;
        this.interval = interval;
        this.clock = clock;
        this.thread = Thread.ofVirtual().name("capstan-store-compactor").unstarted(this::run);
    }

    void start() {
        if (!interval.isZero()) {
            thread.start();
        }
    }

    private void run() {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                Thread.sleep(interval);
                long target = policy.target(clock.instant(), store.currentRevision(), hub.position());
                if (target > store.compactRevision()) {
                    store.compact(target);
                    LOG.debugf("compacted the change log up to revision %d", target);
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.warnf("compaction failed, trying again next round: %s", e.getMessage());
            }
        }
    }

    @Override
    public void close() {
        thread.interrupt();
    }
}
