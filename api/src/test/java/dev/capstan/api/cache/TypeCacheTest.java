package dev.capstan.api.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.capstan.api.registry.ResourceType;
import dev.capstan.store.KeyValue;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TypeCacheTest {
    private static final ResourceType CONFIGMAPS = dev.capstan.api.TestRegistry.type("", "v1", "configmaps");
    private static final Duration NO_WAIT = Duration.ZERO;

    private final AtomicLong published = new AtomicLong();
    private final TypeCache cache = new TypeCache(CONFIGMAPS, 3, published::get);

    @Test
    void snapshotHoldsOneNamespaceInKeyOrderAtTheCacheRevision() {
        cache.reset(List.of(kv("a", "x", 5), kv("b", "y", 6), kv("ab", "z", 7)), 10);
        published.set(10);

        CacheSnapshot snapshot = cache.snapshot(CONFIGMAPS.storagePrefix("a"));

        assertThat(snapshot.revision()).isEqualTo(10);
        assertThat(snapshot.objects()).extracting(CachedObject::key).containsExactly(key("a", "x"));
        assertThat(cache.snapshot(CONFIGMAPS.storagePrefix()).objects()).hasSize(3);
    }

    @Test
    void servedJsonCarriesTheRevisionAndKeepsTheStoredFields() {
        cache.reset(List.of(kv("a", "x", 5)), 10);

        String json = new String(
                cache.snapshot(CONFIGMAPS.storagePrefix()).objects().get(0).json(), StandardCharsets.UTF_8);

        assertThat(json).contains("\"resourceVersion\":\"5\"").contains("\"name\":\"x\"");
    }

    @Test
    void aWatchFromInsideTheWindowGetsTheMissedEventsThenLiveOnes() throws Exception {
        cache.reset(List.of(), 10);
        cache.apply(key("a", "x"), 11, kv("a", "x", 11), null);
        cache.apply(key("a", "y"), 12, kv("a", "y", 12), null);

        CacheWatch watch = cache.watchFrom(CONFIGMAPS.storagePrefix("a"), 11, 100);
        cache.apply(key("a", "x"), 13, kv("a", "x", 13), kv("a", "x", 11));

        assertThat(revisions(watch)).containsExactly(12L, 13L);
    }

    @Test
    void aWatchFromBeforeTheWindowIsRefusedSoTheStoreServesIt() {
        cache.reset(List.of(), 10);
        for (long rev = 11; rev <= 15; rev++) {
            cache.apply(key("a", "o" + rev), rev, kv("a", "o" + rev, rev), null);
        }
        // A window of 3 holds 13, 14 and 15: everything after 12.
        assertThat(cache.watchFrom(CONFIGMAPS.storagePrefix(), 11, 100)).isNull();
        assertThat(cache.watchFrom(CONFIGMAPS.storagePrefix(), 12, 100)).isNotNull();
    }

    @Test
    void aSnapshotAndItsWatchNeitherMissNorRepeatAnEvent() throws Exception {
        cache.reset(List.of(kv("a", "x", 5)), 10);
        cache.apply(key("a", "y"), 11, kv("a", "y", 11), null);

        SnapshotWatch start = cache.snapshotAndWatch(CONFIGMAPS.storagePrefix("a"), 100);
        cache.apply(key("a", "z"), 12, kv("a", "z", 12), null);

        assertThat(start.snapshot().revision()).isEqualTo(11);
        assertThat(start.snapshot().objects()).hasSize(2);
        assertThat(revisions(start.watch())).containsExactly(12L);
    }

    @Test
    void aDeletedObjectIsServedAtTheRevisionOfItsDeletion() throws Exception {
        cache.reset(List.of(kv("a", "x", 5)), 10);
        CacheWatch watch = cache.watchFrom(CONFIGMAPS.storagePrefix(), 10, 100);

        cache.apply(key("a", "x"), 11, null, kv("a", "x", 5));

        CacheEvent event = watch.poll(NO_WAIT);
        assertThat(event.deleted()).isTrue();
        assertThat(event.previous().resourceVersion()).isEqualTo("11");
        assertThat(new String(event.previous().line("DELETED"), StandardCharsets.UTF_8))
                .startsWith("{\"type\":\"DELETED\",\"object\":{")
                .contains("\"resourceVersion\":\"11\"");
        assertThat(cache.snapshot(CONFIGMAPS.storagePrefix()).objects()).isEmpty();
    }

    @Test
    void aChangesPreviousObjectIsMatchedOnTheTreeDecodedForTheChangeBefore() throws Exception {
        cache.reset(List.of(), 10);
        CacheWatch watch = cache.watchFrom(CONFIGMAPS.storagePrefix(), 10, 100);
        cache.apply(key("a", "x"), 11, kv("a", "x", 11), null);
        cache.apply(key("a", "x"), 12, kv("a", "x", 12), kv("a", "x", 11));
        cache.apply(key("a", "x"), 13, null, kv("a", "x", 12));

        CacheEvent created = watch.poll(NO_WAIT);
        CacheEvent updated = watch.poll(NO_WAIT);
        CacheEvent deleted = watch.poll(NO_WAIT);
        assertThat(updated.previous().selectable()).isSameAs(created.current().tree());
        assertThat(deleted.previous().selectable()).isSameAs(updated.current().tree());
        // what is sent is still the previous object at the revision of the change that replaced it
        assertThat(updated.previous()
                        .tree()
                        .path("metadata")
                        .path("resourceVersion")
                        .asText())
                .isEqualTo("12");
        assertThat(deleted.previous().resourceVersion()).isEqualTo("13");
    }

    @Test
    void aPreviousObjectWhoseVersionLeftTheWindowOrDiffersIsDecodedAfresh() throws Exception {
        cache.reset(List.of(kv("a", "x", 5)), 10);
        CacheWatch watch = cache.watchFrom(CONFIGMAPS.storagePrefix(), 10, 100);
        cache.apply(key("a", "x"), 11, kv("a", "x", 11), kv("a", "x", 5)); // version 5 was never in the window
        for (long rev = 12; rev <= 14; rev++) { // the window holds 3 events: 11 leaves it
            cache.apply(key("a", "o" + rev), rev, kv("a", "o" + rev, rev), null);
        }
        cache.apply(key("a", "x"), 15, kv("a", "x", 15), kv("a", "x", 11));

        CacheEvent first = watch.poll(NO_WAIT);
        for (int i = 0; i < 3; i++) {
            watch.poll(NO_WAIT);
        }
        CacheEvent last = watch.poll(NO_WAIT);
        assertThat(first.previous().selectable()).isSameAs(first.previous().tree());
        assertThat(last.previous().selectable())
                .isSameAs(last.previous().tree())
                .isNotSameAs(first.current().tree());
        assertThat(last.previous().selectable().path("metadata").path("name").asText())
                .isEqualTo("x");
    }

    @Test
    void everyWatcherSendsTheSameEncodedLine() throws Exception {
        cache.reset(List.of(), 10);
        CacheWatch first = cache.watchFrom(CONFIGMAPS.storagePrefix(), 10, 100);
        CacheWatch second = cache.watchFrom(CONFIGMAPS.storagePrefix("a"), 10, 100);

        cache.apply(key("a", "x"), 11, kv("a", "x", 11), null);

        byte[] one = first.poll(NO_WAIT).current().line("ADDED");
        byte[] two = second.poll(NO_WAIT).current().line("ADDED");
        assertThat(two).isSameAs(one);
    }

    @Test
    void aWatcherThatFallsBehindIsEnded() throws Exception {
        cache.reset(List.of(), 10);
        CacheWatch slow = cache.watchFrom(CONFIGMAPS.storagePrefix(), 10, 2);
        for (long rev = 11; rev <= 13; rev++) {
            cache.apply(key("a", "o" + rev), rev, kv("a", "o" + rev, rev), null);
        }

        assertThatThrownBy(() -> slow.poll(NO_WAIT)).isInstanceOf(CacheWatch.Ended.class);
        assertThat(cache.watcherCount()).isZero();
    }

    @Test
    void aResetEndsTheWatchers() {
        cache.reset(List.of(), 10);
        CacheWatch watch = cache.watchFrom(CONFIGMAPS.storagePrefix(), 10, 100);

        cache.reset(List.of(), 20);

        assertThatThrownBy(() -> watch.poll(NO_WAIT)).isInstanceOf(CacheWatch.Ended.class);
    }

    private static List<Long> revisions(CacheWatch watch) throws Exception {
        List<Long> out = new ArrayList<>();
        for (CacheEvent e = watch.poll(NO_WAIT); e != null; e = watch.poll(NO_WAIT)) {
            out.add(e.revision());
        }
        return out;
    }

    private static String key(String namespace, String name) {
        return CONFIGMAPS.storageKey(namespace, name);
    }

    private static KeyValue kv(String namespace, String name, long revision) {
        String json = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"" + name
                + "\",\"namespace\":\"" + namespace + "\"}}";
        return new KeyValue(key(namespace, name), json.getBytes(StandardCharsets.UTF_8), revision, revision);
    }
}
