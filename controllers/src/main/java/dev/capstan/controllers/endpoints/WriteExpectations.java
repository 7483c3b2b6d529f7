package dev.capstan.controllers.endpoints;

import dev.capstan.client.informer.SharedInformer;
import dev.capstan.model.meta.ObjectKey;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a controller wrote for a key, so that it never acts on a cache that has not seen its own writes. A write is
 * seen once the informer's revision reaches the revision the write returned: Capstan's resourceVersion is the one
 * cluster revision, increasing, so "reached" is a number comparison (upstream compares generations per object for
 * the same purpose). A deletion is seen once the cache no longer holds the object with that uid.
 */
public final class WriteExpectations {
    private record Deleted(ObjectKey object, String uid) {}

    private final Map<ObjectKey, Long> revisions = new ConcurrentHashMap<>();
    private final Map<ObjectKey, Map<String, Deleted>> deletions = new ConcurrentHashMap<>();

    /** Records an object this controller created or updated while syncing {@code key}. */
    public void wrote(ObjectKey key, HasMetadata written) {
        long rv = revision(written.getMetadata().getResourceVersion());
        if (rv > 0) {
            revisions.merge(key, rv, Math::max);
        }
    }

    /** Records an object this controller deleted while syncing {@code key}. */
    public void deleted(ObjectKey key, HasMetadata object) {
        deletions
                .computeIfAbsent(key, k -> new ConcurrentHashMap<>())
                .put(
                        object.getMetadata().getUid(),
                        new Deleted(ObjectKey.of(object), object.getMetadata().getUid()));
    }

    /** Whether {@code informer}'s cache has seen every write recorded for {@code key}; forgets those it has. */
    public boolean satisfied(ObjectKey key, SharedInformer<? extends HasMetadata> informer) {
        Long wanted = revisions.get(key);
        if (wanted != null) {
            if (revision(informer.lastResourceVersion()) < wanted) {
                return false;
            }
            revisions.remove(key, wanted);
        }
        Map<String, Deleted> pending = deletions.get(key);
        if (pending != null) {
            pending.values().removeIf(d -> {
                Optional<? extends HasMetadata> cached = informer.cache().get(d.object());
                return cached.isEmpty()
                        || !d.uid().equals(cached.get().getMetadata().getUid());
            });
            if (!pending.isEmpty()) {
                return false;
            }
            deletions.remove(key, pending);
        }
        return true;
    }

    public void forget(ObjectKey key) {
        revisions.remove(key);
        deletions.remove(key);
    }

    /** A resourceVersion as a number; 0 when it is not one (then nothing is waited for). */
    private static long revision(String rv) {
        if (rv == null || rv.isEmpty()) {
            return 0;
        }
        try {
            return Long.parseLong(rv);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
