package dev.capstan.api.cache;

import dev.capstan.api.registry.ResourceType;
import dev.capstan.store.WatchEvent;

/**
 * A change to one object at one revision, as the cache fans it out. {@code current} is null for a deletion and
 * {@code previous} null for a creation; a deletion's previous object carries the deletion's revision, as
 * Kubernetes serves a deleted object.
 */
public record CacheEvent(long revision, String key, WatchObject current, WatchObject previous) {
    /** An event read from a store watch of one resource, outside the cache. */
    public static CacheEvent of(ResourceType type, WatchEvent.Change change) {
        long at = change.revision();
        String key = change.key();
        return switch (change) {
            case WatchEvent.Created c ->
                new CacheEvent(at, key, served(type, key, at, c.current().value()), null);
            case WatchEvent.Updated u ->
                new CacheEvent(
                        at,
                        key,
                        served(type, key, at, u.current().value()),
                        served(type, key, at, u.previous().value()));
            case WatchEvent.Deleted d ->
                new CacheEvent(at, key, null, served(type, key, at, d.previous().value()));
        };
    }

    private static WatchObject served(ResourceType type, String key, long at, byte[] stored) {
        return new WatchObject(new CachedObject(type, key, at, stored));
    }

    public boolean created() {
        return previous == null;
    }

    public boolean deleted() {
        return current == null;
    }
}
