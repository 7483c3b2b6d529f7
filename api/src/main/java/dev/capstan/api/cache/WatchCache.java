package dev.capstan.api.cache;

import dev.capstan.api.registry.ResourceRegistry;
import dev.capstan.api.registry.ResourceType;
import dev.capstan.api.storage.StoredObject;
import dev.capstan.model.meta.GroupVersionResource;
import dev.capstan.store.CompactedException;
import dev.capstan.store.KeyValue;
import dev.capstan.store.ListResult;
import dev.capstan.store.Store;
import dev.capstan.store.Watch;
import dev.capstan.store.WatchEvent;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jboss.logging.Logger;

/**
 * Every object of every resource, kept current by one store watch for the whole process (as the watch cache of
 * a Kubernetes API server). A dispatcher thread lists everything once, then applies each change and offers it
 * to the watchers of its resource; lists and watches read from here instead of PostgreSQL.
 *
 * <p>When the store watch ends (compaction overtook it, the database went away) the cache is not synced until it
 * has listed everything again; its watchers end meanwhile, and callers fall back to the store.
 */
public final class WatchCache implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(WatchCache.class);
    private static final String ROOT = "/registry/";
    private static final Duration IDLE_POLL = Duration.ofMillis(100);
    private static final long MAX_BACKOFF_MILLIS = 2_000;

    private final Store store;
    // Resources by group/version/plural; resources registered while the server runs are added by the dispatcher.
    private final Map<GroupVersionResource, TypeCache> byType = new ConcurrentHashMap<>();
    private final Map<String, List<TypeCache>> byPrefix = new ConcurrentHashMap<>();
    private final Queue<ResourceType> registered = new ConcurrentLinkedQueue<>();
    private final int windowEvents;
    private final int watcherCapacity;
    private final ReentrantLock progressLock = new ReentrantLock();
    private final Condition advanced = progressLock.newCondition();
    private volatile long revision;
    private volatile boolean synced;
    private volatile boolean closed;
    private volatile Watch storeWatch;
    private Thread dispatcher;

    public WatchCache(Store store, ResourceRegistry registry, int windowEvents, int watcherCapacity) {
        this.store = store;
        this.windowEvents = windowEvents;
        this.watcherCapacity = watcherCapacity;
        for (ResourceType type : registry.all()) {
            publish(type, new TypeCache(type, windowEvents, () -> revision));
        }
        registry.onRegistered(registered::add);
    }

    /** Makes a resource's cache visible to readers and to the dispatcher's routing. */
    private void publish(ResourceType type, TypeCache cache) {
        byPrefix.computeIfAbsent(type.storagePrefix(), p -> new CopyOnWriteArrayList<>())
                .add(cache);
        byType.put(type.groupVersionResource(), cache);
    }

    /** The cache of {@code type}, or null while a resource registered a moment ago is not in the cache yet. */
    private TypeCache cacheOf(ResourceType type) {
        return byType.get(type.groupVersionResource());
    }

    /** Starts the dispatcher; {@link #synced()} turns true once everything has been listed. */
    public synchronized void start() {
        if (dispatcher == null) {
            dispatcher = Thread.ofPlatform().name("watch-cache").daemon().start(this::run);
        }
    }

    /** Whether the cache holds the store's state and follows its changes. */
    public boolean synced() {
        return synced;
    }

    /** The revision the cache is current at. */
    public long revision() {
        return revision;
    }

    /** Waits up to {@code timeout} for the cache to sync; answers whether it did. */
    public boolean awaitSynced(Duration timeout) throws InterruptedException {
        return await(() -> synced, timeout);
    }

    /**
     * The objects of a resource (in one namespace, or all for null) at a revision no older than {@code atLeast},
     * waiting up to {@code wait} for the cache to get there.
     */
    public CacheAnswer<CacheSnapshot> list(ResourceType type, String namespace, long atLeast, Duration wait)
            throws InterruptedException {
        if (!caughtUp(atLeast, wait)) {
            return CacheAnswer.fallBack(synced ? "the cache is behind the requested revision" : NOT_SYNCED);
        }
        TypeCache cache = cacheOf(type);
        return cache == null
                ? CacheAnswer.fallBack(NOT_CACHED)
                : CacheAnswer.served(cache.snapshot(type.storagePrefix(namespace)));
    }

    /** One object as the cache holds it; empty when it has none (or is not synced: ask the store). */
    public Optional<CachedObject> get(ResourceType type, String namespace, String name) {
        TypeCache cache = cacheOf(type);
        return synced && cache != null ? cache.get(type.storageKey(namespace, name)) : Optional.empty();
    }

    /** One object in its storage version as the cache holds it, for an update to start from (it may be behind). */
    public Optional<StoredObject> storedForm(ResourceType type, String namespace, String name) {
        return get(type, namespace, name).map(CachedObject::storedForm);
    }

    /** The current objects and a watch of what follows them. */
    public CacheAnswer<SnapshotWatch> listAndWatch(ResourceType type, String namespace) {
        TypeCache cache = cacheOf(type);
        if (!synced || cache == null) {
            return CacheAnswer.fallBack(synced ? NOT_CACHED : NOT_SYNCED);
        }
        return CacheAnswer.served(cache.snapshotAndWatch(type.storagePrefix(namespace), watcherCapacity));
    }

    /**
     * A watch of the events after revision {@code from}, unless the cache is not synced, the events have left its
     * window, the store has compacted them, or it has not reached {@code from} within {@code wait}.
     */
    public CacheAnswer<CacheWatch> watch(ResourceType type, String namespace, long from, Duration wait)
            throws InterruptedException {
        if (!caughtUp(from, wait)) {
            return CacheAnswer.fallBack(synced ? "the cache is behind the requested revision" : NOT_SYNCED);
        }
        if (compacted(from)) {
            return CacheAnswer.fallBack("the revision is compacted: the store answers Expired");
        }
        TypeCache cache = cacheOf(type);
        if (cache == null) {
            return CacheAnswer.fallBack(NOT_CACHED);
        }
        CacheWatch watch = cache.watchFrom(type.storagePrefix(namespace), from, watcherCapacity);
        return watch == null
                ? CacheAnswer.fallBack("the revision is older than the cache's window of events")
                : CacheAnswer.served(watch);
    }

    private static final String NOT_SYNCED = "the cache is not synced";
    private static final String NOT_CACHED = "the resource was registered a moment ago and is not cached yet";

    /**
     * Whether the store has compacted past {@code from}: such a watch gets 410 Expired from the store, as it
     * would from any other API server, even while this cache still holds the events.
     */
    private boolean compacted(long from) {
        try {
            return from < store.compactRevision();
        } catch (RuntimeException e) {
            return true; // the store path reports the failure as a Status
        }
    }

    private boolean caughtUp(long target, Duration wait) throws InterruptedException {
        return synced && (revision >= target || await(() -> !synced || revision >= target, wait) && synced);
    }

    private boolean await(java.util.function.BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long nanos = timeout.toNanos();
        progressLock.lock();
        try {
            while (!condition.getAsBoolean()) {
                if (nanos <= 0 || closed) {
                    return false;
                }
                nanos = advanced.awaitNanos(nanos);
            }
            return true;
        } finally {
            progressLock.unlock();
        }
    }

    private void run() {
        try {
            dispatch();
        } finally {
            // A dispatcher that died of an Error must not leave the cache looking synced while nothing is applied.
            if (!closed) {
                unsync("the watch cache's dispatcher stopped");
            }
        }
    }

    private void dispatch() {
        long backoff = 100;
        while (!closed) {
            try {
                if (!follow(sync())) {
                    continue; // the store was written between an empty list and the watch: list again
                }
                backoff = 100;
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                if (closed) {
                    return;
                }
                LOG.warnf("watch cache: %s; listing again in %d ms", e.getMessage(), backoff);
            }
            unsync("the watch cache lost its store watch");
            try {
                TimeUnit.MILLISECONDS.sleep(backoff);
            } catch (InterruptedException e) {
                return;
            }
            backoff = Math.min(MAX_BACKOFF_MILLIS, backoff * 2);
        }
    }

    /** Lists every resource at one revision into the caches and answers that revision. */
    private long sync() {
        while (true) {
            long at = 0;
            boolean oneRevision = true;
            Map<String, List<KeyValue>> listed = new HashMap<>();
            try {
                for (String prefix : byPrefix.keySet()) {
                    ListResult result = store.list(prefix, at, 0, "");
                    // A list at 0 is "as of now": while the store is empty (revision 0), a write between two lists
                    // would leave the earlier ones behind the revision the cache then follows from.
                    oneRevision &= listed.isEmpty() || result.revision() == at;
                    at = result.revision();
                    listed.put(prefix, result.items());
                }
            } catch (CompactedException e) {
                continue; // compaction passed the revision between two prefixes: list again at a newer one
            }
            if (!oneRevision) {
                continue;
            }
            for (var entry : byPrefix.entrySet()) {
                for (TypeCache cache : entry.getValue()) {
                    cache.reset(listed.get(entry.getKey()), at);
                }
            }
            return at;
        }
    }

    /**
     * Applies the store's changes after {@code from} until the store watch ends. False, at once, when {@code from}
     * is 0 and the store has been written since: to the store a watch from 0 means "from now", so a write between
     * the empty list and this watch (the default namespaces, at the server's first start) would never reach the
     * cache.
     */
    private boolean follow(long from) throws InterruptedException {
        try (Watch watch = store.watch(ROOT, from)) {
            if (from == 0 && store.currentRevision() != 0) {
                return false;
            }
            storeWatch = watch;
            publish(from, true);
            LOG.debugf("watch cache synced at revision %d", from);
            while (!closed) {
                addRegistered();
                WatchEvent event = watch.poll(IDLE_POLL);
                if (event == null) {
                    long progress = watch.progressRevision();
                    if (progress > revision) {
                        publish(progress, true);
                    }
                    continue;
                }
                switch (event) {
                    case WatchEvent.Created c -> route(c.key(), c.revision(), c.current(), null);
                    case WatchEvent.Updated u -> route(u.key(), u.revision(), u.current(), u.previous());
                    case WatchEvent.Deleted d -> route(d.key(), d.revision(), null, d.previous());
                    case WatchEvent.End end -> {
                        LOG.infof("watch cache: the store watch ended (%s); listing again", end);
                        return true;
                    }
                }
                publish(((WatchEvent.Change) event).revision(), true);
            }
            return true;
        } finally {
            storeWatch = null;
        }
    }

    /**
     * Takes up resources registered while the server runs: each is listed at the revision the cache has applied
     * everything up to, so the events that follow are exactly the ones it needs.
     */
    private void addRegistered() {
        ResourceType type;
        while ((type = registered.poll()) != null) {
            if (cacheOf(type) != null) {
                continue;
            }
            long at = revision;
            ListResult items = store.list(type.storagePrefix(), at, 0, "");
            TypeCache cache = new TypeCache(type, windowEvents, () -> revision);
            cache.reset(items.items(), at);
            publish(type, cache);
        }
    }

    private void route(String key, long at, KeyValue current, KeyValue previous) {
        int groupEnd = key.indexOf('/', ROOT.length());
        int resourceEnd = groupEnd < 0 ? -1 : key.indexOf('/', groupEnd + 1);
        if (resourceEnd < 0) {
            return;
        }
        List<TypeCache> caches = byPrefix.get(key.substring(0, resourceEnd + 1));
        if (caches != null) {
            for (TypeCache cache : caches) {
                cache.apply(key, at, current, previous);
            }
        }
    }

    private void publish(long at, boolean nowSynced) {
        progressLock.lock();
        try {
            revision = at;
            synced = nowSynced;
            advanced.signalAll();
        } finally {
            progressLock.unlock();
        }
    }

    private void unsync(String reason) {
        publish(revision, false);
        byType.values().forEach(cache -> cache.endWatchers(reason));
    }

    /** How many watchers the cache is feeding. */
    public int watchers() {
        return byType.values().stream().mapToInt(TypeCache::watcherCount).sum();
    }

    @Override
    public void close() {
        closed = true;
        Watch watch = storeWatch;
        if (watch != null) {
            watch.close();
        }
        Thread thread;
        synchronized (this) {
            thread = dispatcher;
        }
        if (thread != null) {
            thread.interrupt();
        }
        unsync("the API server is stopping");
    }
}
