package dev.capstan.api.resources;

import dev.capstan.api.ApiException;
import dev.capstan.api.cache.CacheAnswer;
import dev.capstan.api.cache.CacheSnapshot;
import dev.capstan.api.cache.CachedObject;
import dev.capstan.api.cache.WatchCache;
import dev.capstan.api.registry.ResourceType;
import dev.capstan.api.storage.ObjectStorage;
import dev.capstan.store.KeyValue;
import dev.capstan.store.ListResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Lists with Kubernetes' resourceVersion rules, selectors, {@code limit} and {@code continue}, from the watch
 * cache or the store. Selectors filter
 * after reading, so a page with a selector keeps reading until it has {@code limit} matches, as upstream does.
 */
public final class Lister {
    private static final int READ_PAGE = 500;

    // How long a list waits for the watch cache to reach the revision it must be served at before it goes to
    // the store instead.
    private static final Duration CATCH_UP = Duration.ofSeconds(3);

    private final ObjectStorage storage;
    private final WatchCache cache;

    /** {@code cache} may be null: every list is then read from the store. */
    public Lister(ObjectStorage storage, WatchCache cache) {
        this.storage = storage;
        this.cache = cache;
    }

    /** A page of a list, decoded. */
    public ListResultPage list(ResourceType type, String namespace, ListOptions options) {
        return page(type, namespace, options).decoded();
    }

    /**
     * A page of a list, from the watch cache when it can answer: any list without {@code continue} or an exact
     * resourceVersion. A consistent read ({@code resourceVersion} unset) first waits for the cache to reach the
     * store's current revision, as upstream's consistent reads from cache do. Later pages, and everything the cache
     * answers it cannot serve, are read from the store — this is the one place that decides.
     */
    public ObjectPage page(ResourceType type, String namespace, ListOptions options) {
        long start = startRevision(options);
        CacheAnswer<CacheSnapshot> answer = cacheAnswer(type, namespace, options);
        return switch (answer) {
            case CacheAnswer.Served<CacheSnapshot> served -> {
                storage.metrics().cacheRead("list", true);
                yield fromSnapshot(served.value(), options);
            }
            case CacheAnswer.FallBack<CacheSnapshot> fallBack -> {
                storage.metrics().cacheRead("list", false);
                yield fromStore(type, namespace, options, start);
            }
        };
    }

    private CacheAnswer<CacheSnapshot> cacheAnswer(ResourceType type, String namespace, ListOptions options) {
        if (cache == null) {
            return CacheAnswer.fallBack("no watch cache");
        }
        if (!options.continueToken().isEmpty() || options.resourceVersionMatch().equals("Exact")) {
            return CacheAnswer.fallBack("continued and exact lists read the store at their revision");
        }
        String rv = options.resourceVersion();
        long atLeast = rv.isEmpty() ? storage.currentRevision() : ListOptions.revisionOf(rv);
        try {
            return cache.list(type, namespace, atLeast, CATCH_UP);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiException.unavailable("the server is shutting down");
        }
    }

    /** A page read from the store, never the cache: for watches the cache cannot serve. */
    public ListResultPage listFromStore(ResourceType type, String namespace, ListOptions options) {
        return fromStore(type, namespace, options, startRevision(options)).decoded();
    }

    private static ObjectPage fromSnapshot(CacheSnapshot snapshot, ListOptions options) {
        boolean filtered = options.filtered();
        int limit = options.limit();
        List<CachedObject> all = snapshot.objects();
        List<CachedObject> items = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            CachedObject object = all.get(i);
            if (filtered && !options.matches(object.tree())) {
                continue;
            }
            items.add(object);
            if (limit > 0 && items.size() == limit && i < all.size() - 1) {
                Long remaining = filtered ? null : (long) (all.size() - i - 1);
                String next = new ContinueToken(snapshot.revision(), object.key(), remaining == null ? -1 : remaining)
                        .encode();
                return new ObjectPage(items, snapshot.revision(), next, remaining);
            }
        }
        return new ObjectPage(items, snapshot.revision(), "", null);
    }

    private ObjectPage fromStore(ResourceType type, String namespace, ListOptions options, long start) {
        long revision = start;
        String after = "";
        ContinueToken token = null;
        if (!options.continueToken().isEmpty()) {
            token = ContinueToken.decode(options.continueToken());
            revision = token.revision();
            after = token.startAfterKey();
        }
        boolean filtered = options.filtered();
        int limit = options.limit();
        List<CachedObject> items = new ArrayList<>();
        while (true) {
            int want = limit == 0 ? 0 : filtered ? Math.max(READ_PAGE, limit) : limit - items.size();
            ListResult page = storage.list(type, namespace, revision, want, after);
            revision = page.revision();
            List<KeyValue> kvs = page.items();
            for (int i = 0; i < kvs.size(); i++) {
                KeyValue kv = kvs.get(i);
                after = kv.key();
                CachedObject object = CachedObject.fromStore(type, kv);
                if (!filtered || options.matches(object.tree())) {
                    items.add(object);
                }
                if (limit > 0 && items.size() == limit) {
                    boolean more = i < kvs.size() - 1 || page.hasMore();
                    if (!more) {
                        return new ObjectPage(items, revision, "", null);
                    }
                    Long remaining =
                            filtered ? null : remainingAfter(type, namespace, revision, after, token, items.size());
                    String next = new ContinueToken(revision, after, remaining == null ? -1 : remaining).encode();
                    return new ObjectPage(items, revision, next, remaining);
                }
            }
            if (!page.hasMore() || limit == 0) {
                return new ObjectPage(items, revision, "", null);
            }
        }
    }

    /**
     * The items left after {@code after}: counted once per list, on its first page, then carried in the
     * continue token (a count at a fixed revision does not change), so paging stays linear.
     */
    private Long remainingAfter(
            ResourceType type, String namespace, long revision, String after, ContinueToken t, int returned) {
        if (t != null && t.remaining() >= 0) {
            return t.remaining() - returned;
        }
        return storage.count(type, namespace, revision, after);
    }

    /** "" is a consistent read, "0" any; N with Exact reads at N, otherwise the current state (not older). */
    private long startRevision(ListOptions options) {
        String rv = options.resourceVersion();
        String match = options.resourceVersionMatch();
        if (!options.continueToken().isEmpty() && !rv.isEmpty() && !rv.equals("0")) {
            throw ApiException.badRequest("specifying resource version is not allowed when using continue");
        }
        if (!match.isEmpty() && !match.equals("Exact") && !match.equals("NotOlderThan")) {
            throw ApiException.badRequest("resourceVersionMatch: Unsupported value: \"" + match
                    + "\": supported values: \"Exact\", \"NotOlderThan\"");
        }
        if (!match.isEmpty() && rv.isEmpty()) {
            throw ApiException.badRequest("resourceVersionMatch is forbidden unless resourceVersion is provided");
        }
        if (rv.isEmpty() || rv.equals("0")) {
            if (match.equals("Exact")) {
                throw ApiException.badRequest("resourceVersionMatch \"Exact\" is forbidden for resourceVersion \"0\"");
            }
            return 0;
        }
        long requested = ListOptions.revisionOf(rv);
        if (match.equals("Exact")) {
            return requested;
        }
        long current = storage.currentRevision();
        if (requested > current) {
            throw ApiException.timeout("Too large resource version: " + requested + ", current: " + current);
        }
        return 0;
    }
}
