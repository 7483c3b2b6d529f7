package dev.capstan.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Many writers on two store instances (two API server processes) sharing one database: every watcher on both
 * instances must see every revision exactly once, in increasing order, with no gaps.
 */
class ConcurrentOrderingIT {
    private static final int WRITERS_PER_INSTANCE = 8;
    private static final int WRITES = 100_000;
    private static final int KEYS_PER_WRITER = 64;
    private static final int WATCHERS_PER_INSTANCE = 2;

    @Test
    void sixteenWritersOnTwoInstancesAreSeenGaplessAndInOrderByEveryWatcher() throws Exception {
        String url = TestDatabases.freshDatabase(TestDatabases.server());
        try (Store first = TestDatabases.open(url, Map.of());
                Store second = TestDatabases.open(url, Map.of())) {
            long start = first.currentRevision();
            List<Collector> collectors = new ArrayList<>();
            for (Store store : List.of(first, second)) {
                for (int i = 0; i < WATCHERS_PER_INSTANCE; i++) {
                    collectors.add(new Collector(store.watch("/registry/", start)));
                }
            }

            int writers = 2 * WRITERS_PER_INSTANCE;
            int perWriter = WRITES / writers;
            var failures = new ConcurrentLinkedQueue<Throwable>();
            var acknowledged = new AtomicLong();
            var done = new CountDownLatch(writers);
            for (int w = 0; w < writers; w++) {
                Store store = w % 2 == 0 ? first : second;
                int writer = w;
                Thread.ofVirtual().start(() -> {
                    try {
                        write(store, writer, perWriter, acknowledged);
                    } catch (Throwable t) {
                        failures.add(t);
                    } finally {
                        done.countDown();
                    }
                });
            }
            done.await();
            assertThat(failures).isEmpty();
            assertThat(acknowledged.get()).isEqualTo((long) writers * perWriter);

            long end = first.currentRevision();
            assertThat(end - start).isEqualTo(acknowledged.get());
            for (Collector collector : collectors) {
                collector.awaitRevision(end, Duration.ofSeconds(60));
                collector.assertContiguous(start, end);
            }
        }
    }

    /** Creates the writer's keys, then updates them round-robin; CAS always succeeds, each key has one owner. */
    private static void write(Store store, int writer, int count, AtomicLong acknowledged) {
        byte[] value = new byte[256];
        long[] revisions = new long[KEYS_PER_WRITER];
        for (int i = 0; i < count; i++) {
            int slot = i % KEYS_PER_WRITER;
            String key = "/registry/ordering/w" + writer + "/k" + slot;
            value[0] = (byte) i;
            revisions[slot] = i < KEYS_PER_WRITER
                    ? store.create(key, value)
                    : store.update(key, ("v" + i).getBytes(UTF_8), revisions[slot]);
            acknowledged.incrementAndGet();
        }
    }

    /** Drains one watch on its own thread, keeping only the revisions. */
    private static final class Collector {
        private final Watch watch;
        private final long[] seen = new long[WRITES + 16];
        private volatile int count;
        private volatile WatchEvent.End end;

        Collector(Watch watch) {
            this.watch = watch;
            Thread.ofVirtual().start(this::drain);
        }

        private void drain() {
            try {
                while (true) {
                    switch (watch.next()) {
                        case WatchEvent.Change change -> seen[count++] = change.revision();
                        case WatchEvent.End ending -> {
                            end = ending;
                            return;
                        }
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        void awaitRevision(long revision, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while ((count == 0 || seen[count - 1] < revision) && end == null && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
        }

        void assertContiguous(long start, long end) {
            assertThat(this.end).as("watch ended early").isNull();
            watch.close();
            int n = count;
            assertThat(n).as("events seen").isEqualTo(end - start);
            for (int i = 0; i < n; i++) {
                if (seen[i] != start + 1 + i) {
                    throw new AssertionError(
                            "event " + i + " has revision " + seen[i] + ", expected " + (start + 1 + i));
                }
            }
        }
    }
}
