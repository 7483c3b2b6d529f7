package dev.capstan.api.storage;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.ApiException;
import dev.capstan.api.Json;
import dev.capstan.api.metrics.ApiMetrics;
import dev.capstan.api.registry.ResourceType;
import dev.capstan.store.CompactedException;
import dev.capstan.store.ConflictException;
import dev.capstan.store.FutureRevisionException;
import dev.capstan.store.InvalidInputException;
import dev.capstan.store.KeyExistsException;
import dev.capstan.store.KeyNotFoundException;
import dev.capstan.store.KeyValue;
import dev.capstan.store.ListResult;
import dev.capstan.store.Store;
import dev.capstan.store.StoreUnavailableException;
import dev.capstan.store.Watch;
import java.util.Optional;

/**
 * Reads and writes API objects in the store, in their storage version (the generic store converts to and from the
 * version a request names). The stored JSON never carries {@code resourceVersion}: it is the revision of the write,
 * set on every read. Store failures become the Status a Kubernetes client expects.
 */
public final class ObjectStorage {
    private final Store store;
    private final ApiMetrics metrics;

    public ObjectStorage(Store store, ApiMetrics metrics) {
        this.store = store;
        this.metrics = metrics;
    }

    public ApiMetrics metrics() {
        return metrics;
    }

    public Optional<StoredObject> get(ResourceType type, String namespace, String name) {
        return timed("get", () -> store.get(type.storageKey(namespace, name)).map(kv -> decode(type, kv)));
    }

    public StoredObject require(ResourceType type, String namespace, String name) {
        return get(type, namespace, name).orElseThrow(() -> ApiException.notFound(type, name));
    }

    /** A page of a list; {@code revision} 0 reads the current state. */
    public ListResult list(ResourceType type, String namespace, long revision, int limit, String startAfterKey) {
        return timed("list", () -> store.list(type.storagePrefix(namespace), revision, limit, startAfterKey));
    }

    /** The store's current revision: what a consistent read must reach. */
    public long currentRevision() {
        return timed("revision", store::currentRevision);
    }

    /** How many objects of the resource after {@code startAfterKey} existed at {@code revision}. */
    public long count(ResourceType type, String namespace, long revision, String startAfterKey) {
        return timed("count", () -> store.count(type.storagePrefix(namespace), revision, startAfterKey));
    }

    /** The changes of a resource's objects after {@code fromRevision}, from the store's change log. */
    public Watch watch(ResourceType type, String namespace, long fromRevision) {
        return guard(() -> store.watch(type.storagePrefix(namespace), fromRevision));
    }

    public StoredObject create(ResourceType type, String namespace, String name, ObjectNode object) {
        byte[] value = encode(object);
        try {
            long revision = timed("create", () -> store.create(type.storageKey(namespace, name), value));
            return withRevision(object, revision);
        } catch (KeyExistsException e) {
            throw ApiException.alreadyExists(type, name);
        }
    }

    /** Writes {@code object} if the stored one is still at {@code expectedRevision}. */
    public StoredObject update(ResourceType type, String namespace, String name, ObjectNode object, long expected) {
        byte[] value = encode(object);
        try {
            long revision = timed("update", () -> store.update(type.storageKey(namespace, name), value, expected));
            return withRevision(object, revision);
        } catch (ConflictException e) {
            throw ApiException.staleObject(type, name);
        } catch (KeyNotFoundException e) {
            throw ApiException.notFound(type, name);
        }
    }

    public StoredObject delete(ResourceType type, String namespace, String name, long expected) {
        try {
            Store.Deleted deleted = timed("delete", () -> store.delete(type.storageKey(namespace, name), expected));
            return decode(type, deleted.previous());
        } catch (ConflictException e) {
            throw ApiException.staleObject(type, name);
        } catch (KeyNotFoundException e) {
            throw ApiException.notFound(type, name);
        }
    }

    public StoredObject decode(ResourceType type, KeyValue kv) {
        ObjectNode object = Json.readStored(kv.value());
        Json.metadata(object).put("resourceVersion", Long.toString(kv.modRevision()));
        return new StoredObject(object, kv.modRevision());
    }

    private static byte[] encode(ObjectNode object) {
        ObjectNode copy = object.deepCopy();
        Json.metadata(copy).remove("resourceVersion");
        return Json.bytes(copy);
    }

    private static StoredObject withRevision(ObjectNode object, long revision) {
        ObjectNode copy = object.deepCopy();
        Json.metadata(copy).put("resourceVersion", Long.toString(revision));
        return new StoredObject(copy, revision);
    }

    /** Runs a store call, timed, with failures turned into Status errors. */
    public <T> T timed(String operation, java.util.function.Supplier<T> call) {
        return guard(() -> metrics.store(operation, call));
    }

    /** Runs a store call, turning infrastructure failures into Status errors. */
    public static <T> T guard(java.util.function.Supplier<T> call) {
        try {
            return call.get();
        } catch (StoreUnavailableException e) {
            throw ApiException.unavailable("the storage is unavailable: " + e.getMessage());
        } catch (InvalidInputException e) {
            throw ApiException.tooLarge(e.getMessage());
        } catch (CompactedException e) {
            throw ApiException.gone("The provided continue parameter is too old to display a consistent list result."
                    + " You can start a new list without the continue parameter, or use the continue token in"
                    + " this response to retrieve the remainder of the results. Continuing with the provided"
                    + " token results in an inconsistent list - objects that were created, modified, or deleted"
                    + " between the time the first chunk was returned and now may show up in the list.");
        } catch (FutureRevisionException e) {
            throw ApiException.timeout("Too large resource version: " + e.getMessage());
        }
    }
}
