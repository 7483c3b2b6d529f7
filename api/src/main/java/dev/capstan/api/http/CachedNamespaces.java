package dev.capstan.api.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.admission.NamespaceLookup;
import dev.capstan.api.cache.CachedObject;
import dev.capstan.api.cache.WatchCache;
import dev.capstan.api.registry.ResourceType;
import dev.capstan.api.storage.ObjectStorage;
import dev.capstan.api.storage.StoredObject;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Namespaces for admission: as the watch cache holds them, or as stored. */
final class CachedNamespaces implements NamespaceLookup {
    private final WatchCache cache;
    private final ObjectStorage storage;
    private final ResourceType namespaces;
    /** The last version of each namespace asked for, decoded: shared, never changed. */
    private final Map<String, Decoded> decoded = new ConcurrentHashMap<>();

    private record Decoded(CachedObject object, ObjectNode tree) {}

    CachedNamespaces(WatchCache cache, ObjectStorage storage, ResourceType namespaces) {
        this.cache = cache;
        this.storage = storage;
        this.namespaces = namespaces;
    }

    @Override
    public Optional<ObjectNode> cached(String name) {
        Optional<CachedObject> found = cache.get(namespaces, null, name);
        if (found.isEmpty()) {
            decoded.remove(name);
            return Optional.empty();
        }
        // Every namespaced create asks; the namespace rarely changes, so its tree is decoded once per version.
        CachedObject object = found.get();
        Decoded last = decoded.get(name);
        if (last != null && last.object() == object) {
            return Optional.of(last.tree());
        }
        ObjectNode tree = object.tree();
        decoded.put(name, new Decoded(object, tree));
        return Optional.of(tree);
    }

    @Override
    public Optional<ObjectNode> live(String name) {
        return storage.get(namespaces, null, name).map(StoredObject::object);
    }
}
