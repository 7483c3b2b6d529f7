package dev.capstan.client.component;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Collects the whole heap once a burst of work is over, so that an idle component gives back what the burst took.
 *
 * <p>The components run on the serial collector with a small young generation: in a burst (start-up, importing the
 * local images, a thousand pods) objects that live a little while are promoted, and the old generation grows to hold
 * them. Only a full collection empties and shrinks it, and an idle process never needs one: the node agent kept 40 MiB
 * of old generation for 14 MiB of live objects after its start. G1 has {@code G1PeriodicGCInterval} for this (the API
 * server uses it); the serial collector has nothing, so this does it: every {@link #PERIOD}, when the last period saw
 * at most one young collection and at least {@link #PROMOTED_THRESHOLD} was promoted since the last full collection,
 * it asks for one. With {@code -XX:-ShrinkHeapInSteps} (as {@code ./capstan} starts the components) that collection
 * also returns the free old generation to the OS at once instead of over four collections.
 */
public final class QuietHeapCollector {
    private static final Logger LOG = Logger.getLogger(QuietHeapCollector.class);
    /** How often the collector looks; also the window in which the process must have been quiet. */
    static final Duration PERIOD = Duration.ofSeconds(10);
    /** Promotions since the last full collection that make one worth its pause (tens of milliseconds here). */
    static final long PROMOTED_THRESHOLD = 8L << 20;
    /** The serial collector's old generation, the one pool this is for. */
    static final String SERIAL_OLD_POOL = "Tenured Gen";

    private static final AtomicBoolean STARTED = new AtomicBoolean();

    /** What the collector reads at each look: young collections so far, old generation in use and after the last full. */
    record Sample(long youngCollections, long oldUsed, long oldUsedAfterFull) {}

    private QuietHeapCollector() {}

    /**
     * Starts the collector's virtual thread, once per process (the components share one JVM in {@code ./capstan up}),
     * when the JVM runs the serial collector; otherwise does nothing.
     */
    public static void startOnce() {
        startOnce(PERIOD, PROMOTED_THRESHOLD);
    }

    static void startOnce(Duration period, long threshold) {
        Optional<MemoryPoolMXBean> old = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(pool ->
                        pool.getType() == MemoryType.HEAP && pool.getName().equals(SERIAL_OLD_POOL))
                .findFirst();
        if (old.isEmpty() || !STARTED.compareAndSet(false, true)) {
            return;
        }
        List<GarbageCollectorMXBean> young = ManagementFactory.getGarbageCollectorMXBeans().stream()
                .filter(gc -> !Arrays.asList(gc.getMemoryPoolNames()).contains(SERIAL_OLD_POOL))
                .toList();
        Thread.ofVirtual().name("quiet-heap-collector").start(() -> run(old.get(), young, period, threshold));
    }

    /**
     * Whether to collect now: the period from {@code before} to {@code now} saw at most one young collection (the
     * process is quiet, so the pause disturbs no burst) and the old generation holds at least {@code threshold} bytes
     * more than the last full collection left.
     */
    static boolean shouldCollect(Sample before, Sample now, long threshold) {
        boolean quiet = now.youngCollections() - before.youngCollections() <= 1;
        return quiet && now.oldUsed() - now.oldUsedAfterFull() >= threshold;
    }

    private static void run(MemoryPoolMXBean old, List<GarbageCollectorMXBean> young, Duration period, long threshold) {
        Sample before = sample(old, young);
        while (true) {
            try {
                Thread.sleep(period);
            } catch (InterruptedException e) {
                return;
            }
            Sample now = sample(old, young);
            if (shouldCollect(before, now, threshold)) {
                long used = now.oldUsed();
                long committed = old.getUsage().getCommitted();
                System.gc();
                now = sample(old, young);
                LOG.debugf(
                        "quiet: collected the heap, old generation %d -> %d KiB in use, %d -> %d KiB committed",
                        used >> 10,
                        now.oldUsed() >> 10,
                        committed >> 10,
                        old.getUsage().getCommitted() >> 10);
            }
            before = now;
        }
    }

    private static Sample sample(MemoryPoolMXBean old, List<GarbageCollectorMXBean> young) {
        long collections = 0;
        for (GarbageCollectorMXBean gc : young) {
            collections += Math.max(0, gc.getCollectionCount());
        }
        var afterFull = old.getCollectionUsage();
        return new Sample(collections, old.getUsage().getUsed(), afterFull == null ? 0 : afterFull.getUsed());
    }
}
