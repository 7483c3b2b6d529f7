package dev.capstan.api.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capstan.api.TestRegistry;
import dev.capstan.api.registry.ResourceRegistry;
import dev.capstan.api.registry.ResourceType;
import dev.capstan.store.KeyValue;
import dev.capstan.store.ListResult;
import dev.capstan.store.Store;
import dev.capstan.store.Store.Deleted;
import dev.capstan.store.Watch;
import dev.capstan.store.WatchEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class WatchCacheStartTest {
    private static final ResourceRegistry REGISTRY = TestRegistry.builtIn();
    private static final ResourceType NAMESPACES =
            REGISTRY.find("", "v1", "namespaces").orElseThrow();

    @Test
    void aWriteBetweenTheFirstEmptyListAndItsWatchReachesTheCache() throws Exception {
        // As at the API server's first start: the cache lists an empty store while the default namespaces are
        // created, and the first of them commits before the cache's watch begins.
        var store = new WrittenBeforeTheFirstWatch(NAMESPACES.storageKey(null, "default"), null);
        assertTheCacheHoldsDefault(store);
        // the watch "from now" that would have missed it was given up for a list at the write's revision
        assertThat(store.watchedFrom).startsWith(0L).contains(1L);
    }

    @Test
    void aWriteBetweenTheListsOfTwoResourcesOfAnEmptyStoreReachesTheCache() throws Exception {
        // The same start, a little earlier: namespaces were listed from the empty store (revision 0), then
        // "default" committed, and the resources listed after it came back at revision 1. Namespaces must not be
        // taken as listed at 1 (a CI run once served a namespace list without "default").
        var store =
                new WrittenBeforeTheFirstWatch(NAMESPACES.storageKey(null, "default"), NAMESPACES.storagePrefix(null));
        assertTheCacheHoldsDefault(store);
    }

    private static void assertTheCacheHoldsDefault(WrittenBeforeTheFirstWatch store) throws Exception {
        try (var cache = new WatchCache(store, REGISTRY, 100, 100)) {
            cache.start();
            CacheAnswer<CacheSnapshot> answer = cache.list(NAMESPACES, null, 1, Duration.ofSeconds(1));
            for (long deadline = System.nanoTime() + 10_000_000_000L;
                    answer instanceof CacheAnswer.FallBack && System.nanoTime() < deadline; ) {
                Thread.sleep(20); // until the cache has synced
                answer = cache.list(NAMESPACES, null, 1, Duration.ofSeconds(1));
            }

            assertThat(answer).isInstanceOf(CacheAnswer.Served.class);
            var objects = ((CacheAnswer.Served<CacheSnapshot>) answer).value().objects();
            assertThat(objects).extracting(CachedObject::key).containsExactly(NAMESPACES.storageKey(null, "default"));
        }
    }

    /**
     * An empty store that gets one namespace at revision 1 just as the first watch from 0 is asked for, or, when
     * {@code writeAfterListing} is a prefix, just after the first list of that prefix. A list at a revision shows
     * what the store held then; a list at 0, what it holds now.
     */
    private static final class WrittenBeforeTheFirstWatch implements Store {
        private final String key;
        private final String writeAfterListing;
        private final List<KeyValue> items = new CopyOnWriteArrayList<>();
        private final List<Long> watchedFrom = new CopyOnWriteArrayList<>();
        private volatile long revision;

        WrittenBeforeTheFirstWatch(String key, String writeAfterListing) {
            this.key = key;
            this.writeAfterListing = writeAfterListing;
        }

        @Override
        public ListResult list(String prefix, long at, int limit, String startAfterKey) {
            long asOf = at == 0 ? revision : at;
            List<KeyValue> listed = new ArrayList<>();
            items.stream()
                    .filter(kv -> kv.key().startsWith(prefix) && kv.modRevision() <= asOf)
                    .forEach(listed::add);
            if (prefix.equals(writeAfterListing) && revision == 0) {
                writeDefault();
            }
            return new ListResult(listed, asOf, false);
        }

        private void writeDefault() {
            byte[] json = "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"default\"}}"
                    .getBytes(StandardCharsets.UTF_8);
            items.add(new KeyValue(key, json, 1, 1));
            revision = 1;
        }

        @Override
        public Watch watch(String prefix, long fromRevision) {
            watchedFrom.add(fromRevision);
            if (writeAfterListing == null && fromRevision == 0 && revision == 0) {
                writeDefault();
            }
            long start = fromRevision == 0 ? revision : fromRevision; // 0: from now, as the store's contract says
            return new Watch() {
                @Override
                public long startRevision() {
                    return start;
                }

                @Override
                public WatchEvent next() throws InterruptedException {
                    Thread.sleep(Long.MAX_VALUE);
                    return null;
                }

                @Override
                public WatchEvent poll(Duration timeout) throws InterruptedException {
                    Thread.sleep(timeout.toMillis());
                    return null;
                }

                @Override
                public long progressRevision() {
                    return start;
                }

                @Override
                public void close() {}
            };
        }

        @Override
        public long currentRevision() {
            return revision;
        }

        @Override
        public long compactRevision() {
            return 0;
        }

        @Override
        public Optional<KeyValue> get(String key) {
            throw new UnsupportedOperationException();
        }

        @Override
        public long count(String prefix, long at, String startAfterKey) {
            throw new UnsupportedOperationException();
        }

        @Override
        public long create(String key, byte[] value) {
            throw new UnsupportedOperationException();
        }

        @Override
        public long update(String key, byte[] value, long expectedRevision) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Deleted delete(String key, long expectedRevision) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void compact(long revision) {}

        @Override
        public void close() {}
    }
}
