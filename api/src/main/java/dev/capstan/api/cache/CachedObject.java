package dev.capstan.api.cache;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.Json;
import dev.capstan.api.registry.ResourceType;
import dev.capstan.api.storage.StoredObject;
import dev.capstan.store.KeyValue;

/**
 * One version of one object as clients are served it: with {@code resourceVersion} set to {@link #revision()}
 * and converted to the resource's version. Holds the stored bytes until the served JSON is first asked for, so
 * objects nobody reads are never decoded; afterwards only the served JSON is kept.
 */
public final class CachedObject {
    private final ResourceType type;
    private final String key;
    private final long revision;
    private byte[] stored;
    private byte[] json;

    CachedObject(ResourceType type, String key, long revision, byte[] stored) {
        this.type = type;
        this.key = key;
        this.revision = revision;
        this.stored = stored;
    }

    /** A stored object read from the store, served at its modification revision. */
    public static CachedObject fromStore(ResourceType type, KeyValue kv) {
        return new CachedObject(type, kv.key(), kv.modRevision(), kv.value());
    }

    /** An object built by the server itself (a bookmark, an error), already in served form. */
    static CachedObject of(ObjectNode served) {
        CachedObject object = new CachedObject(null, "", 0, null);
        object.json = Json.bytes(served);
        return object;
    }

    public String key() {
        return key;
    }

    public long revision() {
        return revision;
    }

    /** The served JSON; made once and shared, so callers must not change the array. */
    public synchronized byte[] json() {
        if (json == null) {
            json = Json.bytes(decodeStored());
            stored = null;
        }
        return json;
    }

    /** A new tree of the served object, the caller's to change. */
    public ObjectNode tree() {
        byte[] served;
        byte[] raw;
        synchronized (this) {
            served = json;
            raw = stored;
        }
        return served != null ? Json.readStored(served) : decode(raw);
    }

    /** The object in its storage version, resourceVersion set: a new tree, the caller's to change. */
    public StoredObject storedForm() {
        byte[] served;
        byte[] raw;
        synchronized (this) {
            served = json;
            raw = stored;
        }
        ObjectNode object = raw != null ? withRevision(raw) : type.conversion().toStorage(Json.readStored(served));
        return new StoredObject(object, revision);
    }

    private ObjectNode decodeStored() {
        return decode(stored);
    }

    private ObjectNode decode(byte[] raw) {
        return type.conversion().fromStorage(withRevision(raw));
    }

    /** The stored bytes as a tree in the storage version, resourceVersion set. */
    private ObjectNode withRevision(byte[] raw) {
        ObjectNode object = Json.readStored(raw);
        Json.metadata(object).put("resourceVersion", Long.toString(revision));
        return object;
    }
}
