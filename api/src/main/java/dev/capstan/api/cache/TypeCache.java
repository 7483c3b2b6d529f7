package dev.capstan.api.cache;

import dev.capstan.api.registry.ResourceType;
import dev.capstan.store.KeyValue;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * The objects of one resource in key order, the window of its recent events, and its watchers. Only the cache's
 * dispatcher changes it; readers take a consistent view under the same short lock.
 */
final class TypeCache {
    private final ResourceType type;
    private final int windowCapacity;
    private final LongSupplier cacheRevision;
    private final ReentrantLock lock = new ReentrantLock();
    private final TreeMap<String, CachedObject> objects = new TreeMap<>();
    private final ArrayDeque<CacheEvent> window = new ArrayDeque<>();
    /** The latest event of each key while it is in the window: the next change's previous object is its current. */
    private final Map<String, CacheEvent> latestInWindow = new HashMap<>();

    private final List<CacheWatch> watchers = new ArrayList<>();
    // Every event of this resource after windowStart is in the window.
    private long windowStart;
    private long lastApplied;

    TypeCache(ResourceType type, int windowCapacity, LongSupplier cacheRevision) {
        this.type = type;
        this.windowCapacity = windowCapacity;
        this.cacheRevision = cacheRevision;
    }

    ResourceType type() {
        return type;
    }

    /** Replaces everything with a fresh list at {@code revision}; watchers end, since they may have missed events. */
    void reset(List<KeyValue> items, long revision) {
        lock.lock();
        try {
            objects.clear();
            for (KeyValue kv : items) {
                objects.put(kv.key(), new CachedObject(type, kv.key(), kv.modRevision(), kv.value()));
            }
            window.clear();
            latestInWindow.clear();
            windowStart = revision;
            lastApplied = revision;
            endWatchers("the watch cache is being rebuilt");
        } finally {
            lock.unlock();
        }
    }

    void endWatchers(String reason) {
        lock.lock();
        try {
            watchers.forEach(w -> w.end(reason));
            watchers.clear();
        } finally {
            lock.unlock();
        }
    }

    /** Applies one change from the store; {@code current} null is a deletion, {@code previous} null a creation. */
    void apply(String key, long revision, KeyValue current, KeyValue previous) {
        CachedObject now = current == null ? null : new CachedObject(type, key, revision, current.value());
        lock.lock();
        try {
            CachedObject before = now == null ? objects.remove(key) : objects.put(key, now);
            WatchObject previousObject = null;
            if (previous != null) {
                // The previous object is served at this event's revision: a deleted object, or one that left a
                // watcher's selection, carries the revision of the change that removed it.
                CacheEvent last = latestInWindow.get(key);
                WatchObject sameVersion =
                        last != null && last.current() != null && last.revision() == previous.modRevision()
                                ? last.current()
                                : null;
                previousObject = new WatchObject(new CachedObject(type, key, revision, previous.value()), sameVersion);
            } else if (now == null && before != null) {
                previousObject = new WatchObject(before);
            }
            CacheEvent event = new CacheEvent(revision, key, now == null ? null : new WatchObject(now), previousObject);
            window.add(event);
            latestInWindow.put(key, event);
            if (window.size() > windowCapacity) {
                CacheEvent dropped = window.poll();
                windowStart = dropped.revision();
                latestInWindow.remove(dropped.key(), dropped);
            }
            lastApplied = revision;
            Iterator<CacheWatch> it = watchers.iterator();
            while (it.hasNext()) {
                CacheWatch watcher = it.next();
                if (key.startsWith(watcher.prefix()) && !watcher.offer(event)) {
                    it.remove();
                }
            }
        } finally {
            lock.unlock();
        }
    }

    Optional<CachedObject> get(String key) {
        lock.lock();
        try {
            return Optional.ofNullable(objects.get(key));
        } finally {
            lock.unlock();
        }
    }

    /** The objects under {@code prefix} and the revision they are current at. */
    CacheSnapshot snapshot(String prefix) {
        lock.lock();
        try {
            return new CacheSnapshot(List.copyOf(under(prefix).values()), revisionLocked());
        } finally {
            lock.unlock();
        }
    }

    /** A snapshot and a watch of what follows it, taken together so that nothing is missed or repeated. */
    SnapshotWatch snapshotAndWatch(String prefix, int capacity) {
        lock.lock();
        try {
            CacheSnapshot snapshot = new CacheSnapshot(List.copyOf(under(prefix).values()), revisionLocked());
            return new SnapshotWatch(snapshot, register(prefix, capacity));
        } finally {
            lock.unlock();
        }
    }

    /**
     * A watch of the events after {@code from}, or null when the window no longer holds them all (the caller
     * then watches the store, which keeps its change log until compaction).
     */
    CacheWatch watchFrom(String prefix, long from, int capacity) {
        lock.lock();
        try {
            if (from < windowStart) {
                return null;
            }
            List<CacheEvent> missed = new ArrayList<>();
            for (CacheEvent event : window) {
                if (event.revision() > from && event.key().startsWith(prefix)) {
                    missed.add(event);
                }
            }
            if (missed.size() >= capacity) {
                return null;
            }
            CacheWatch watch = register(prefix, capacity);
            missed.forEach(watch::offer);
            return watch;
        } finally {
            lock.unlock();
        }
    }

    private CacheWatch register(String prefix, int capacity) {
        CacheWatch[] holder = new CacheWatch[1];
        holder[0] = new CacheWatch(prefix, capacity, () -> unregister(holder[0]));
        watchers.add(holder[0]);
        return holder[0];
    }

    private void unregister(CacheWatch watch) {
        lock.lock();
        try {
            watchers.remove(watch);
        } finally {
            lock.unlock();
        }
    }

    int watcherCount() {
        lock.lock();
        try {
            return watchers.size();
        } finally {
            lock.unlock();
        }
    }

    private NavigableMap<String, CachedObject> under(String prefix) {
        // Keys under a prefix ending in '/' sort before the prefix with its '/' raised to '0'.
        String end = prefix.substring(0, prefix.length() - 1) + (char) (prefix.charAt(prefix.length() - 1) + 1);
        return objects.subMap(prefix, true, end, false);
    }

    /**
     * The revision this resource's state is current at: the cache's, or this resource's last event if the
     * dispatcher has applied it but not yet published the cache's revision.
     */
    private long revisionLocked() {
        return Math.max(cacheRevision.getAsLong(), lastApplied);
    }
}
