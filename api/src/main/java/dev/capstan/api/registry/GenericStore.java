package dev.capstan.api.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.ApiException;
import dev.capstan.api.Json;
import dev.capstan.api.admission.Admission;
import dev.capstan.api.admission.AdmissionRequest;
import dev.capstan.api.admission.Operation;
import dev.capstan.api.request.DeleteOptions;
import dev.capstan.api.request.RequestContext;
import dev.capstan.api.storage.ObjectStorage;
import dev.capstan.api.storage.StoredObject;
import dev.capstan.api.validation.Cause;
import dev.capstan.api.validation.GoFormat;
import dev.capstan.model.json.KubeJson;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * The one store every resource goes through, as upstream's generic registry Store
 * (k8s.io/apiserver/pkg/registry/generic/registry/store.go): it runs a kind's {@link Strategy} around storage in
 * upstream's order — system fields and name generation, the strategy's hooks, prepare, validate, validating
 * admission, then the conditional write — and implements dry-run, no-op writes, finalizers, graceful deletion and
 * the garbage collection finalizers of a delete's propagation policy.
 *
 * <p>Objects come in and go out in the version the request names; the strategy sees the storage version. Mutating
 * admission has already run on a create's object (the caller runs it after decoding); for updates it runs here,
 * where the stored object is at hand.
 *
 * <p>Every write is compare-and-swap on the revision read: when another writer got in between, the write is tried
 * again on what is now stored, and a request that named a resourceVersion then fails with 409 Conflict.
 */
public final class GenericStore {
    /** Upstream's limit on attempts to find a free generated name. */
    private static final int NAME_GENERATION_ATTEMPTS = 8;

    private static final int MAX_ATTEMPTS = 32;

    private final ObjectStorage storage;
    private final Admission admission;
    private final Clock clock;
    private final CachedState cached;

    /**
     * Where an update may find the object it changes without reading the store: upstream's cachedExistingObject, the
     * watch cache's copy. It may be behind the store; see {@link #update}.
     */
    @FunctionalInterface
    public interface CachedState {
        CachedState NONE = (type, namespace, name) -> Optional.empty();

        Optional<StoredObject> get(ResourceType type, String namespace, String name);
    }

    public GenericStore(ObjectStorage storage, Admission admission, Clock clock) {
        this(storage, admission, clock, CachedState.NONE);
    }

    public GenericStore(ObjectStorage storage, Admission admission, Clock clock, CachedState cached) {
        this.storage = storage;
        this.admission = admission;
        this.clock = clock;
        this.cached = cached;
    }

    public ObjectStorage storage() {
        return storage;
    }

    /** The result of an update: the object as stored (or as it would be, for a dry run), and whether it was created. */
    public record UpdateResult(ObjectNode object, boolean created) {}

    /**
     * The result of a delete: what to answer (the object, or a Success Status naming it) and whether it is gone
     * (false while finalizers or a grace period hold it).
     */
    public record DeleteResult(ObjectNode body, boolean deleted) {}

    public ObjectNode get(ResourceType type, String namespace, String name) {
        return served(type, storage.require(type, namespace, name).object());
    }

    /**
     * Creates an object from a decoded request body in the request's version: converted to the storage version,
     * defaulted, through mutating admission, then stored as {@link #createOnce} describes — again with another
     * generated name when one is taken.
     */
    public ObjectNode create(RequestContext ctx, ResourceType type, String namespace, ObjectNode served) {
        ObjectNode object = decoded(type, namespace, served);
        admission.admit(new AdmissionRequest(
                ctx, Operation.CREATE, type, "", namespace, ObjectMetaRules.name(object), object, null));
        ObjectNode meta = Json.metadata(object);
        boolean generate = meta.path("name").asText("").isEmpty()
                && !meta.path("generateName").asText("").isEmpty();
        for (int attempt = 1; ; attempt++) {
            try {
                return createOnce(ctx, type, namespace, object.deepCopy());
            } catch (ApiException e) {
                if (!generate || !e.reason().equals("AlreadyExists") || attempt >= NAME_GENERATION_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    /**
     * A request's object in the storage version with the kind's defaults, as upstream's decoding leaves it, placed
     * in the request's namespace as upstream's handlers do before admission and the strategy's claims see it.
     */
    private static ObjectNode decoded(ResourceType type, String namespace, ObjectNode served) {
        ObjectNode object = type.conversion().toStorage(served);
        placeInNamespace(type, namespace, Json.metadata(object));
        type.strategy().applyDefaults(object);
        return object;
    }

    /**
     * Upstream's Store.create on a storage-version object: system fields and a generated name, the strategy's
     * claims (Service IPs), preparation and validation, validating admission, then storage.
     */
    private ObjectNode createOnce(RequestContext ctx, ResourceType type, String namespace, ObjectNode object) {
        Strategy strategy = type.strategy();
        ObjectNode meta = Json.metadata(object);
        // Upstream's FillObjectMetaSystemFields and name generation come first, so every later step sees them.
        meta.put("creationTimestamp", ObjectMetaRules.timestamp(clock.instant()));
        meta.put("uid", UUID.randomUUID().toString());
        if (meta.path("name").asText("").isEmpty()
                && !meta.path("generateName").asText("").isEmpty()) {
            meta.put(
                    "name",
                    ObjectMetaRules.generatedName(meta.get("generateName").asText()));
        }
        String name = meta.path("name").asText("");
        WriteHook hook = strategy.beginCreate(object, ctx.dryRun());
        boolean stored = false;
        try {
            beforeCreate(type, object);
            admission.validate(new AdmissionRequest(ctx, Operation.CREATE, type, "", namespace, name, object, null));
            // Upstream stores the prepared object and defaults it on every read (a PVC's status.phase Pending);
            // defaulting it once more here stores what those reads would show.
            strategy.applyDefaults(object);
            ObjectNode result;
            if (ctx.dryRun()) {
                result = object;
            } else {
                try {
                    result = storage.create(type, namespace, name, object).object();
                } catch (ApiException e) {
                    throw e.reason().equals("AlreadyExists") ? beingDeletedHint(type, namespace, name, e) : e;
                }
            }
            stored = true;
            return served(type, result);
        } finally {
            hook.finish(stored);
        }
    }

    /** Upstream's rest.BeforeCreate: system metadata, the strategy's preparation and validation. */
    private static void beforeCreate(ResourceType type, ObjectNode object) {
        ObjectNode meta = Json.metadata(object);
        for (String field : List.of("deletionTimestamp", "deletionGracePeriodSeconds", "resourceVersion", "selfLink")) {
            meta.remove(field);
        }
        type.strategy().prepareForCreate(object);
        String name = meta.path("name").asText("");
        if (name.isEmpty()) {
            throw ApiException.invalid(
                    type,
                    "",
                    List.of(new Cause(
                            "FieldValueRequired",
                            "Required value: name or generateName is required",
                            "metadata.name")));
        }
        requireValid(type, name, type.strategy().validate(object));
    }

    private ApiException beingDeletedHint(ResourceType type, String namespace, String name, ApiException e) {
        Optional<StoredObject> existing = storage.get(type, namespace, name);
        if (existing.isPresent()
                && ObjectMetaRules.isBeingDeleted(existing.get().object())) {
            return e.withMessage("object is being deleted: " + e.getMessage());
        }
        return e;
    }

    /**
     * Updates an object through {@code rules} (the kind's strategy, its status strategy, or another subresource's).
     * {@code change} gets the stored object in the request's version (null when there is none) and answers the
     * object to store; it runs again on a fresh read when another writer got in first.
     *
     * <p>As upstream's GuaranteedUpdate with a cached existing object, the first try starts from the watch cache's
     * copy when it has one (not for a dry run), which saves a read of the store on every update. That copy may be
     * behind: the write is conditional on its revision, so a stale copy cannot be written over; and whatever the try
     * decides without writing (an error, or that nothing changes) is decided again on a fresh read.
     */
    public UpdateResult update(
            RequestContext ctx,
            ResourceType type,
            UpdateStrategy rules,
            String subresource,
            String namespace,
            String name,
            UnaryOperator<ObjectNode> change,
            boolean forceAllowCreate) {
        boolean tryCache = !ctx.dryRun();
        for (int attempt = 1; ; attempt++) {
            Optional<StoredObject> current = tryCache ? cached.get(type, namespace, name) : Optional.empty();
            boolean fromCache = current.isPresent();
            tryCache = false;
            if (!fromCache) {
                current = storage.get(type, namespace, name);
            }
            if (current.isEmpty()) {
                if (!rules.allowCreateOnUpdate() && !forceAllowCreate) {
                    throw ApiException.notFound(type, name);
                }
                ObjectNode created = decoded(type, namespace, change.apply(null));
                Json.metadata(created).remove("resourceVersion");
                admission.admit(new AdmissionRequest(ctx, Operation.CREATE, type, "", namespace, name, created, null));
                try {
                    return new UpdateResult(createOnce(ctx, type, namespace, created), true);
                } catch (ApiException e) {
                    if (!e.reason().equals("AlreadyExists") || attempt >= MAX_ATTEMPTS) {
                        throw e;
                    }
                    continue; // created meanwhile: update it instead
                }
            }
            StoredObject existing = current.get();
            try {
                return new UpdateResult(
                        updateOnce(ctx, type, rules, subresource, namespace, name, existing, change, fromCache), false);
            } catch (StorageConflict retry) {
                if (fromCache) {
                    attempt--; // the cache was behind: not one of the attempts
                } else if (attempt >= MAX_ATTEMPTS) {
                    throw ApiException.staleObject(type, name);
                }
            } catch (ApiException e) {
                if (!fromCache) {
                    throw e;
                }
                attempt--; // decided on the cache's copy: decide again on the store's
            }
        }
    }

    private ObjectNode updateOnce(
            RequestContext ctx,
            ResourceType type,
            UpdateStrategy rules,
            String subresource,
            String namespace,
            String name,
            StoredObject existing,
            UnaryOperator<ObjectNode> change,
            boolean fromCache) {
        ObjectNode old = existing.object();
        ObjectNode object = decoded(type, namespace, change.apply(served(type, old.deepCopy())));
        ObjectNode meta = Json.metadata(object);
        ObjectNode oldMeta = Json.metadata(old);
        checkUidPrecondition(type, name, meta, oldMeta);
        long rv = parseRevision(meta.path("resourceVersion").asText(""));
        if (rv == 0) {
            if (!rules.allowUnconditionalUpdate()) {
                throw ApiException.invalid(
                        type,
                        name,
                        List.of(new Cause(
                                "FieldValueInvalid",
                                "Invalid value: 0x0: must be specified for an update",
                                "metadata.resourceVersion")));
            }
        } else if (rv != existing.revision()) {
            throw ApiException.staleObject(type, name);
        }
        admission.admit(new AdmissionRequest(ctx, Operation.UPDATE, type, subresource, namespace, name, object, old));
        Strategy strategy = type.strategy();
        // As upstream's BeginUpdate, the strategy's claims come before preparation and validation.
        WriteHook hook = rules == strategy ? strategy.beginUpdate(object, old, ctx.dryRun()) : WriteHook.NONE;
        boolean stored = false;
        try {
            beforeUpdate(type, rules, name, object, old);
            admission.validate(
                    new AdmissionRequest(ctx, Operation.UPDATE, type, subresource, namespace, name, object, old));
            if (shouldDeleteDuringUpdate(object, old) && strategy.mayDeleteDuringUpdate(object)) {
                return deleteDuringUpdate(ctx, type, namespace, name, existing, object);
            }
            meta.remove("resourceVersion");
            if (sameContent(object, withoutResourceVersion(old))) {
                if (fromCache) {
                    throw new StorageConflict(); // the store may hold something newer: compare with that
                }
                return served(type, old); // nothing changes: no write, the same resourceVersion
            }
            ObjectNode result;
            if (ctx.dryRun()) {
                result = object;
                Json.metadata(result).put("resourceVersion", Long.toString(existing.revision()));
            } else {
                try {
                    result = storage.update(type, namespace, name, object, existing.revision())
                            .object();
                } catch (ApiException e) {
                    if (e.code() == 409 && e.reason().equals("Conflict")) {
                        throw new StorageConflict();
                    }
                    throw e;
                }
            }
            stored = true;
            return served(type, result);
        } finally {
            hook.finish(stored);
        }
    }

    /** The last finalizer is gone from an object marked for deletion: the update completes the delete. */
    private ObjectNode deleteDuringUpdate(
            RequestContext ctx,
            ResourceType type,
            String namespace,
            String name,
            StoredObject existing,
            ObjectNode object) {
        if (!ctx.dryRun()) {
            try {
                storage.delete(type, namespace, name, existing.revision());
            } catch (ApiException e) {
                if (e.code() == 409) {
                    throw new StorageConflict();
                }
                if (e.code() != 404) {
                    throw e;
                }
            }
            type.strategy().afterDelete(object);
        }
        return served(type, object);
    }

    /** Upstream's rest.BeforeUpdate: what no update may change, then the strategy's preparation and validation. */
    private static void beforeUpdate(
            ResourceType type, UpdateStrategy rules, String name, ObjectNode object, ObjectNode old) {
        ObjectNode meta = Json.metadata(object);
        ObjectNode oldMeta = Json.metadata(old);
        meta.put("name", name);
        // Requests cannot set generation; the strategy bumps it when the spec changes.
        copyOrRemove(oldMeta, meta, "generation");
        rules.prepareForUpdate(object, old);
        if (meta.path("uid").asText("").isEmpty()) {
            copyOrRemove(oldMeta, meta, "uid");
        }
        copyOrRemove(oldMeta, meta, "creationTimestamp");
        if (oldMeta.hasNonNull("deletionTimestamp")) {
            meta.set("deletionTimestamp", oldMeta.get("deletionTimestamp").deepCopy());
        }
        if (oldMeta.hasNonNull("deletionGracePeriodSeconds") && !meta.hasNonNull("deletionGracePeriodSeconds")) {
            meta.set(
                    "deletionGracePeriodSeconds",
                    oldMeta.get("deletionGracePeriodSeconds").deepCopy());
        }
        meta.remove("selfLink");
        List<Cause> causes = new java.util.ArrayList<>(commonUpdateCauses(meta, oldMeta));
        causes.addAll(rules.validateUpdate(object, old));
        requireValid(type, name, causes);
    }

    /**
     * What upstream checks on every update whatever the kind (validateCommonFields): an object being deleted gets
     * no new finalizers.
     */
    private static List<Cause> commonUpdateCauses(ObjectNode meta, ObjectNode oldMeta) {
        if (!oldMeta.hasNonNull("deletionTimestamp")) {
            return List.of();
        }
        java.util.Set<String> before = new java.util.HashSet<>();
        oldMeta.path("finalizers").forEach(f -> before.add(f.asText()));
        java.util.TreeSet<String> added = new java.util.TreeSet<>();
        meta.path("finalizers").forEach(f -> {
            if (!before.contains(f.asText())) {
                added.add(f.asText());
            }
        });
        if (added.isEmpty()) {
            return List.of();
        }
        return List.of(new Cause(
                "FieldValueForbidden",
                "Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers "
                        + GoFormat.stringSlice(List.copyOf(added)).text(),
                "metadata.finalizers"));
    }

    /**
     * Upstream's ShouldDeleteDuringUpdate: an object marked for deletion with no grace period left goes as soon as
     * an update leaves it without finalizers.
     */
    private static boolean shouldDeleteDuringUpdate(ObjectNode object, ObjectNode old) {
        ObjectNode oldMeta = Json.metadata(old);
        if (ObjectMetaRules.hasFinalizers(object) || !oldMeta.hasNonNull("deletionTimestamp")) {
            return false;
        }
        return oldMeta.path("deletionGracePeriodSeconds").asLong(0) == 0;
    }

    /**
     * Deletes an object as upstream's Store.Delete does: preconditions, graceful deletion (the object stays, marked,
     * until its grace period is over and whoever runs it confirms), finalizers (it stays, marked, until they are
     * removed), and the {@code orphan}/{@code foregroundDeletion} finalizers a propagation policy asks for.
     */
    public DeleteResult delete(
            RequestContext ctx, ResourceType type, String namespace, String name, DeleteOptions options) {
        return new Deletion(this, ctx, type, namespace, name, options).run();
    }

    /** The object as its resource's version serves it. */
    ObjectNode served(ResourceType type, ObjectNode stored) {
        return type.conversion().fromStorage(stored);
    }

    Admission admission() {
        return admission;
    }

    Clock clock() {
        return clock;
    }

    static void requireValid(ResourceType type, String name, List<Cause> causes) {
        if (!causes.isEmpty()) {
            throw ApiException.invalid(type, name, causes);
        }
    }

    /** A stored object's revision changed between read and write: the caller reads again and retries. */
    static final class StorageConflict extends RuntimeException {
        StorageConflict() {
            super(null, null, false, false);
        }
    }

    private static void checkUidPrecondition(ResourceType type, String name, ObjectNode meta, ObjectNode oldMeta) {
        String uid = meta.path("uid").asText("");
        String stored = oldMeta.path("uid").asText("");
        if (!uid.isEmpty() && !uid.equals(stored)) {
            throw ApiException.uidPreconditionFailed(type, name, uid, stored);
        }
    }

    /**
     * Upstream's APIObjectVersioner.ObjectResourceVersion: strconv.ParseUint of a non-empty resourceVersion, "0" being
     * as good as none. Its error is not a Status, so upstream answers it as a 500 with the parser's own words; a
     * client's bad input is no server error, so Capstan answers 400 BadRequest with the same words.
     */
    static long parseRevision(String rv) {
        if (rv.isEmpty()) {
            return 0;
        }
        try {
            return GoFormat.parseUint(rv);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }

    private static void placeInNamespace(ResourceType type, String namespace, ObjectNode meta) {
        if (!type.namespaced()) {
            meta.remove("namespace");
            return;
        }
        String given = meta.path("namespace").asText("");
        if (!given.isEmpty() && !given.equals(namespace)) {
            throw ApiException.badRequest(
                    "the namespace of the provided object does not match the namespace sent on the request");
        }
        meta.put("namespace", namespace);
    }

    private static void copyOrRemove(ObjectNode from, ObjectNode to, String field) {
        JsonNode value = from.get(field);
        if (value == null || value.isNull()) {
            to.remove(field);
        } else {
            to.set(field, value.deepCopy());
        }
    }

    /**
     * Whether two objects would be stored as the same JSON: equal trees, where two numbers are equal when they read
     * back the same after a write (a number set as a long and the same number read back as an int are; 1 and 1.0 are
     * not). Only unequal numbers go through bytes, not the whole objects.
     */
    static boolean sameContent(ObjectNode a, ObjectNode b) {
        return a.equals(AS_STORED, b);
    }

    /** Jackson calls it on leaves only (containers compare their children); 0 when equal as stored. */
    private static final Comparator<JsonNode> AS_STORED = (x, y) ->
            x.equals(y) || (x.isNumber() && y.isNumber() && readBack(x).equals(readBack(y))) ? 0 : 1;

    private static JsonNode readBack(JsonNode number) {
        return KubeJson.readTree(Json.bytes(number));
    }

    static ObjectNode withoutResourceVersion(ObjectNode object) {
        ObjectNode copy = object.deepCopy();
        Json.metadata(copy).remove("resourceVersion");
        return copy;
    }

    static ArrayNode finalizers(ObjectNode object) {
        JsonNode f = Json.metadata(object).get("finalizers");
        return f instanceof ArrayNode a ? a : Json.metadata(object).putArray("finalizers");
    }
}
