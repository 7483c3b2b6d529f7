package dev.capstan.store;

import static dev.capstan.store.WatchAssertions.revisions;
import static dev.capstan.store.WatchAssertions.take;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The store's contract, against a real PostgreSQL. Each test works under its own random prefix. */
class StoreConformanceIT {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static Store store;

    @BeforeAll
    static void open() {
        store = TestDatabases.openFresh();
    }

    @AfterAll
    static void close() {
        store.close();
    }

    private static String prefix() {
        return "/registry/t" + UUID.randomUUID().toString().substring(0, 8) + "/";
    }

    private static byte[] bytes(String s) {
        return s.getBytes(UTF_8);
    }

    @Test
    void createOfAnExistingKeyFailsWithTheStoredValue() {
        String key = prefix() + "a";
        long rev = store.create(key, bytes("one"));

        assertThatThrownBy(() -> store.create(key, bytes("two")))
                .isInstanceOfSatisfying(
                        KeyExistsException.class,
                        e -> assertThat(e.current()).isEqualTo(new KeyValue(key, bytes("one"), rev, rev)));
        assertThat(store.get(key)).contains(new KeyValue(key, bytes("one"), rev, rev));
    }

    @Test
    void updateAndDeleteWithAStaleRevisionConflictAndChangeNothing() {
        String key = prefix() + "cas";
        long created = store.create(key, bytes("v1"));
        long updated = store.update(key, bytes("v2"), created);
        assertThat(updated).isGreaterThan(created);

        assertThatThrownBy(() -> store.update(key, bytes("v3"), created))
                .isInstanceOfSatisfying(ConflictException.class, e -> {
                    assertThat(e.current()).isEqualTo(new KeyValue(key, bytes("v2"), created, updated));
                    assertThat(e.expectedRevision()).isEqualTo(created);
                });
        assertThatThrownBy(() -> store.delete(key, created)).isInstanceOf(ConflictException.class);
        assertThat(store.get(key)).contains(new KeyValue(key, bytes("v2"), created, updated));

        Store.Deleted deleted = store.delete(key, updated);
        assertThat(deleted.previous()).isEqualTo(new KeyValue(key, bytes("v2"), created, updated));
        assertThat(deleted.revision()).isGreaterThan(updated);
        assertThat(store.get(key)).isEmpty();
    }

    @Test
    void deleteOrUpdateOfAMissingKeyIsNotFound() {
        String key = prefix() + "missing";
        assertThatThrownBy(() -> store.delete(key, 1)).isInstanceOf(KeyNotFoundException.class);
        assertThatThrownBy(() -> store.update(key, bytes("x"), 1)).isInstanceOf(KeyNotFoundException.class);
        assertThat(store.get(key)).isEmpty();
    }

    @Test
    void everySuccessfulWriteTakesTheNextRevisionAndFailedOnesTakeNone() {
        String key = prefix() + "seq";
        long r1 = store.create(key, bytes("a"));
        assertThatThrownBy(() -> store.create(key, bytes("b"))).isInstanceOf(KeyExistsException.class);
        long r2 = store.update(key, bytes("c"), r1);
        assertThat(store.currentRevision()).isGreaterThanOrEqualTo(r2);
        // Other tests may write in between, but within one client revisions only grow.
        assertThat(r2).isGreaterThan(r1);
        try (Watch watch = store.watch(prefix(), r1 - 1)) {
            // A watch under an unused prefix sees none of these writes.
            assertThat(watch.poll(Duration.ofMillis(200))).isNull();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void valuesOverTheSizeLimitAndBadKeysAreRefusedAndNothingIsWritten() {
        String key = prefix() + "big";
        long before = store.currentRevision();
        assertThatThrownBy(() -> store.create(key, new byte[Store.MAX_VALUE_BYTES + 1]))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("the limit is 1572864 bytes (1.5 MiB)");
        assertThatThrownBy(() -> store.create("", bytes("x"))).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> store.create(prefix() + "nul\0", bytes("x")))
                .isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> store.create("/" + "k".repeat(Store.MAX_KEY_BYTES), bytes("x")))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("too long");
        assertThat(store.get(key)).isEmpty();

        long exact = store.create(key, new byte[Store.MAX_VALUE_BYTES]);
        assertThat(exact).isGreaterThan(before);
        assertThat(store.get(key).orElseThrow().value()).hasSize(Store.MAX_VALUE_BYTES);
    }

    @Test
    void listPagesAtOneRevisionAreConsistentWhileWritesGoOn() throws Exception {
        String prefix = prefix();
        for (int i = 0; i < 300; i++) {
            store.create(prefix + "k%04d".formatted(i), bytes("v0-" + i));
        }
        ListResult snapshot = store.list(prefix, 0, 0, "");
        assertThat(snapshot.items()).hasSize(300);
        assertThat(snapshot.hasMore()).isFalse();

        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> writers = IntStream.range(0, 4)
                .mapToObj(w -> Thread.ofVirtual().start(() -> churn(prefix, stop)))
                .toList();
        try {
            Thread.sleep(100);
            List<KeyValue> paged = new ArrayList<>();
            String after = "";
            boolean more;
            do {
                ListResult page = store.list(prefix, snapshot.revision(), 37, after);
                assertThat(page.revision()).isEqualTo(snapshot.revision());
                paged.addAll(page.items());
                after = page.lastKey();
                more = page.hasMore();
                // Counting at the list's revision gives the same answer however much was written since.
                assertThat(store.count(prefix, snapshot.revision(), after)).isEqualTo(300 - paged.size());
                assertThat(more).isEqualTo(paged.size() < 300);
                Thread.sleep(5);
            } while (more);
            assertThat(paged).containsExactlyElementsOf(snapshot.items());
        } finally {
            stop.set(true);
            for (Thread writer : writers) {
                writer.join();
            }
        }
        // The writers changed things: the current list differs, the old revision still reads the same.
        assertThat(store.list(prefix, 0, 0, "").items()).isNotEqualTo(snapshot.items());
        assertThat(store.list(prefix, snapshot.revision(), 0, "").items()).isEqualTo(snapshot.items());
    }

    /** Updates, deletes and re-creates random keys until told to stop. */
    private static void churn(String prefix, AtomicBoolean stop) {
        var random = ThreadLocalRandom.current();
        while (!stop.get()) {
            String key = prefix + "k%04d".formatted(random.nextInt(330));
            var current = store.get(key);
            try {
                if (current.isEmpty()) {
                    store.create(key, bytes("new"));
                } else if (random.nextInt(4) == 0) {
                    store.delete(key, current.get().modRevision());
                } else {
                    store.update(
                            key, bytes("upd" + random.nextInt()), current.get().modRevision());
                }
            } catch (ConflictException | KeyExistsException | KeyNotFoundException raced) {
                // Another writer got there first; that is the point of the exercise.
            }
        }
    }

    @Test
    void aWatchFromARevisionReplaysExactlyTheLaterEventsInOrder() throws Exception {
        String prefix = prefix();
        long r1 = store.create(prefix + "a", bytes("a1"));
        long r2 = store.create(prefix + "b", bytes("b1"));
        long r3 = store.update(prefix + "a", bytes("a2"), r1);
        long r4 = store.delete(prefix + "b", r2).revision();
        store.create(prefix() + "elsewhere", bytes("x"));

        try (Watch watch = store.watch(prefix, r1)) {
            List<WatchEvent> events = take(watch, 3, WAIT);
            assertThat(events)
                    .containsExactly(
                            new WatchEvent.Created(new KeyValue(prefix + "b", bytes("b1"), r2, r2)),
                            new WatchEvent.Updated(
                                    new KeyValue(prefix + "a", bytes("a2"), r1, r3),
                                    new KeyValue(prefix + "a", bytes("a1"), r1, r1)),
                            new WatchEvent.Deleted(new KeyValue(prefix + "b", bytes("b1"), r2, r2), r4));
            // Then live events follow the replay without a seam.
            long r5 = store.create(prefix + "c", bytes("c1"));
            assertThat(revisions(take(watch, 1, WAIT))).containsExactly(r5);
            assertThat(watch.poll(Duration.ofMillis(200))).isNull();
        }
    }

    @Test
    void everySubscriberOfAFanOutSeesEveryEvent() throws Exception {
        String prefix = prefix();
        long start = store.currentRevision();
        List<Watch> watches = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            watches.add(store.watch(prefix, start));
        }
        List<Long> written = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            written.add(store.create(prefix + i, bytes("v" + i)));
        }
        for (Watch watch : watches) {
            assertThat(revisions(take(watch, 50, WAIT))).isEqualTo(written);
            watch.close();
        }
    }

    @Test
    void compactionExpiresOlderWatchesAndListsButNotNewerOnes() throws Exception {
        String prefix = prefix();
        long r1 = store.create(prefix + "a", bytes("1"));
        long r2 = store.update(prefix + "a", bytes("2"), r1);
        long r3 = store.update(prefix + "a", bytes("3"), r2);

        store.compact(r2);
        assertThat(store.compactRevision()).isGreaterThanOrEqualTo(r2);

        try (Watch expired = store.watch(prefix, r1)) {
            assertThat(take(expired, 1, WAIT))
                    .singleElement()
                    .isInstanceOfSatisfying(
                            WatchEvent.Expired.class,
                            e -> assertThat(e.compactRevision()).isGreaterThanOrEqualTo(r2));
            // The end repeats; nothing comes after it.
            assertThat(expired.next()).isInstanceOf(WatchEvent.Expired.class);
        }
        assertThatThrownBy(() -> store.list(prefix, r1, 0, "")).isInstanceOf(CompactedException.class);

        try (Watch fine = store.watch(prefix, r2)) {
            assertThat(revisions(take(fine, 1, WAIT))).containsExactly(r3);
        }
        assertThat(store.list(prefix, r2, 0, "").items())
                .containsExactly(new KeyValue(prefix + "a", bytes("2"), r1, r2));
        assertThatThrownBy(() -> store.compact(store.currentRevision() + 10))
                .isInstanceOf(FutureRevisionException.class);
        assertThatThrownBy(() -> store.list(prefix, store.currentRevision() + 10, 0, ""))
                .isInstanceOf(FutureRevisionException.class);
    }

    @Test
    void aSlowSubscriberIsClosedAndTheOthersAreNotDelayed() throws Exception {
        try (Store small = TestDatabases.open(
                TestDatabases.freshDatabase(TestDatabases.server()), Map.of("capstan.store.watch.queue-size", "16"))) {
            String prefix = prefix();
            long start = small.currentRevision();
            Watch slow = small.watch(prefix, start);
            Watch fast = small.watch(prefix, start);
            Map<Long, Boolean> written = new LinkedHashMap<>();
            List<WatchEvent> seenByFast = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                written.put(small.create(prefix + i, bytes("v")), true);
                seenByFast.addAll(take(fast, 1, WAIT));
            }
            assertThat(revisions(seenByFast)).containsExactlyElementsOf(written.keySet());
            assertThat(take(slow, 1, WAIT))
                    .singleElement()
                    .isInstanceOfSatisfying(
                            WatchEvent.Closed.class, c -> assertThat(c.reason()).contains("fell behind"));
            fast.close();
            slow.close();
        }
    }

    @Test
    void closingAWatchEndsItAndRemovesIt() throws Exception {
        Watch watch = store.watch(prefix(), 0);
        watch.close();
        assertThat(watch.next()).isInstanceOf(WatchEvent.Closed.class);
        watch.close();
    }
}
