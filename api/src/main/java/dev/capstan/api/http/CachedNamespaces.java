package dev.capstan.api.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.admission.NamespaceLookup;
import dev.capstan.api.cache.CachedObject;
import dev.capstan.api.cache.WatchCache;
import dev.capstan.api.registry.ResourceType;
import dev.capstan.api.storage.ObjectStorage;
import dev.capstan.api.storage.StoredObject;
import java.util.Optional;

/** Namespaces for admission: as the watch cache holds them, or as stored. */
final class CachedNamespaces implements NamespaceLookup {
    private final WatchCache cache;
    private final ObjectStorage storage;
    private final ResourceType namespaces;

    CachedNamespaces(WatchCache cache, ObjectStorage storage, ResourceType namespaces) {
        this.cache = cache;
        this.storage = storage;
        this.namespaces = namespaces;
    }

    @Override
    public Optional<ObjectNode> cached(String name) {
        return cache.get(namespaces, null, name).map(CachedObject::tree);
    }

    @Override
    public Optional<ObjectNode> live(String name) {
        return storage.get(namespaces, null, name).map(StoredObject::object);
    }
}
