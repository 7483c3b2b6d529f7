package dev.capstan.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.capstan.store.embedded.EmbeddedDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL restarts while writers and a watcher are running: no acknowledged write is lost, writes fail
 * fast with a clear error during the outage, and the watch resumes without gaps or repeats.
 */
class PostgresRestartIT {

    @Test
    void acknowledgedWritesSurviveARestartAndTheWatchResumesWithoutGapsOrRepeats() throws Exception {
        try (EmbeddedDatabase db = EmbeddedDatabase.start(TestDatabases.tempDir("capstan-restart"), 0);
                Store store = TestDatabases.open(TestDatabases.url(db, db.database()), Map.of())) {
            writeThrough(store, db::restart);
        }
    }

    /** As the API server runs it: as the run-time role, PostgreSQL killed and brought back by its supervisor. */
    @Test
    void afterAKill9OfThePostmasterWritesSucceedWithinTenSecondsAndTheWatchHasNoGap() throws Exception {
        try (EmbeddedDatabase db = EmbeddedDatabase.start(TestDatabases.tempDir("capstan-kill"), 0);
                Store store = TestDatabases.open(
                        "postgresql://" + db.user() + ":" + db.password() + "@" + db.host() + ":" + db.port() + "/"
                                + db.database(),
                        Map.of())) {
            writeThrough(store, () -> {
                ProcessHandle.of(db.pid().orElseThrow()).orElseThrow().destroyForcibly();
                long killed = System.nanoTime();
                for (int i = 0; ; i++) {
                    try {
                        store.create("/registry/probe/" + i, new byte[] {1});
                        break;
                    } catch (StoreUnavailableException e) {
                        assertThat(Duration.ofNanos(System.nanoTime() - killed))
                                .as("time without writes after kill -9")
                                .isLessThan(Duration.ofSeconds(10));
                        sleep(50);
                    }
                }
            });
        }
    }

    private interface Disruption {
        void run() throws Exception;
    }

    private static void writeThrough(Store store, Disruption disruption) throws Exception {
        {
            long start = store.currentRevision();
            Watch watch = store.watch("/registry/", start);
            List<WatchEvent.Change> seen = new ArrayList<>();
            Thread watcher = Thread.ofVirtual().start(() -> collect(watch, seen));

            Map<String, Long> acknowledged = new ConcurrentHashMap<>();
            AtomicLong unavailable = new AtomicLong();
            AtomicBoolean stop = new AtomicBoolean();
            List<Thread> writers = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                int writer = w;
                writers.add(Thread.ofVirtual().start(() -> {
                    for (int i = 0; !stop.get(); i++) {
                        String key = "/registry/restart/w" + writer + "/k" + i;
                        try {
                            acknowledged.put(key, store.create(key, key.getBytes(UTF_8)));
                        } catch (StoreUnavailableException e) {
                            assertThat(e.getMessage()).contains("unavailable");
                            unavailable.incrementAndGet();
                            sleep(20);
                        }
                    }
                }));
            }

            Thread.sleep(1000);
            int beforeRestart = acknowledged.size();
            disruption.run();
            Thread.sleep(2000);
            stop.set(true);
            for (Thread writer : writers) {
                writer.join();
            }
            assertThat(beforeRestart).isPositive();
            assertThat(acknowledged.size())
                    .as("writes acknowledged after the restart")
                    .isGreaterThan(beforeRestart);

            long end = store.currentRevision();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (lastRevision(seen) < end && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            watch.close();
            watcher.join();

            List<Long> revisions;
            synchronized (seen) {
                revisions = seen.stream().map(WatchEvent.Change::revision).toList();
            }
            assertThat(revisions).hasSize((int) (end - start));
            for (int i = 0; i < revisions.size(); i++) {
                assertThat(revisions.get(i)).isEqualTo(start + 1 + i);
            }
            Map<String, Long> watched = new ConcurrentHashMap<>();
            synchronized (seen) {
                seen.forEach(c -> watched.put(c.key(), c.revision()));
            }
            acknowledged.forEach((key, revision) -> {
                assertThat(watched).containsEntry(key, revision);
                assertThat(store.get(key).orElseThrow().modRevision()).isEqualTo(revision);
            });
        }
    }

    private static void collect(Watch watch, List<WatchEvent.Change> seen) {
        try {
            while (true) {
                switch (watch.next()) {
                    case WatchEvent.Change change -> {
                        synchronized (seen) {
                            seen.add(change);
                        }
                    }
                    case WatchEvent.End end -> {
                        return;
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static long lastRevision(List<WatchEvent.Change> seen) {
        synchronized (seen) {
            return seen.isEmpty() ? 0 : seen.getLast().revision();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
