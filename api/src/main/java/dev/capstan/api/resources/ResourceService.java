package dev.capstan.api.resources;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.ApiException;
import dev.capstan.api.Json;
import dev.capstan.api.cache.CachedObject;
import dev.capstan.api.cache.WatchCache;
import dev.capstan.api.patch.Patches;
import dev.capstan.api.registry.ResourceRegistry;
import dev.capstan.api.registry.ResourceType;
import dev.capstan.api.storage.Conversions;
import dev.capstan.api.storage.ObjectStorage;
import dev.capstan.api.storage.StoredObject;
import dev.capstan.api.validation.Cause;
import dev.capstan.api.validation.Defaulting;
import dev.capstan.api.validation.Validation;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BiConsumer;
import java.util.function.UnaryOperator;

/**
 * The write and read semantics of every resource: what kube-apiserver's generic registry and the per-kind
 * strategies do for the fields that clients depend on.
 */
public final class ResourceService {
    /** Retries of a read-modify-write whose caller did not pin a resourceVersion. */
    private static final int UNCONDITIONAL_RETRIES = 16;

    private final ResourceRegistry registry;
    private final ObjectStorage storage;
    private final WatchCache cache;
    private final ServiceAllocator allocator;
    private final Clock clock;

    /** {@code cache} may be null: namespaces are then always looked up in the store. */
    public ResourceService(
            ResourceRegistry registry,
            ObjectStorage storage,
            WatchCache cache,
            ServiceAllocator allocator,
            Clock clock) {
        this.registry = registry;
        this.cache = cache;
        this.storage = storage;
        this.allocator = allocator;
        this.clock = clock;
    }

    public ObjectStorage storage() {
        return storage;
    }

    public ObjectNode get(ResourceType type, String namespace, String name) {
        return storage.require(type, namespace, name).object();
    }

    public ObjectNode create(ResourceType type, String namespace, ObjectNode body, boolean dryRun) {
        checkTypeMeta(type, body);
        ObjectNode object = Conversions.toStorage(type, body);
        ObjectNode meta = Json.metadata(object);
        String name = meta.path("name").asText("");
        if (name.isEmpty() && meta.hasNonNull("generateName")) {
            name = ObjectMeta.generatedName(meta.get("generateName").asText());
        }
        if (name.isEmpty()) {
            throw ApiException.invalid(
                    type,
                    "",
                    List.of(new Cause(
                            "FieldValueRequired",
                            "Required value: name or generateName is required",
                            "metadata.name")));
        }
        meta.put("name", name);
        placeInNamespace(type, namespace, meta);
        if (type.namespaced()) {
            requireLiveNamespace(type, namespace, name);
        }
        for (String field : List.of(
                "resourceVersion", "deletionTimestamp", "deletionGracePeriodSeconds", "selfLink", "managedFields")) {
            meta.remove(field);
        }
        meta.put("uid", UUID.randomUUID().toString());
        meta.put("creationTimestamp", ObjectMeta.timestamp(clock.instant()));
        Lifecycle.prepareForCreate(type, object);
        Defaulting.apply(type.group(), type.kind(), object);
        if (object.has("spec")) {
            meta.put("generation", 1);
        }
        validate(type, name, object, null);
        if (type.kind().equals("Service") && type.group().isEmpty()) {
            allocator.allocate(object, dryRun);
        }
        if (dryRun) {
            return Conversions.fromStorage(type, object);
        }
        try {
            return storage.create(type, namespace, name, object).object();
        } catch (ApiException e) {
            if (type.kind().equals("Service")) {
                allocator.release(object);
            }
            throw e;
        }
    }

    /** PUT of the main resource: status is kept from the stored object when the kind has a status subresource. */
    public ObjectNode update(ResourceType type, String namespace, String name, ObjectNode body) {
        checkTypeMeta(type, body);
        checkName(name, body);
        ObjectNode incoming = Conversions.toStorage(type, body);
        long pinned = pinnedRevision(incoming);
        return readModifyWrite(type, namespace, name, pinned, current -> {
            ObjectNode next = incoming.deepCopy();
            carryServerFields(current, next);
            if (type.hasStatus() && current.has("status")) {
                next.set("status", current.get("status").deepCopy());
            } else if (type.hasStatus()) {
                next.remove("status");
            }
            Defaulting.apply(type.group(), type.kind(), next);
            bumpGeneration(current, next);
            validate(type, name, next, current);
            if (type.kind().equals("Service") && type.group().isEmpty()) {
                allocator.keepAllocations(current, next);
            }
            return next;
        });
    }

    /** PUT of {@code /status}: only status changes. */
    public ObjectNode updateStatus(ResourceType type, String namespace, String name, ObjectNode body) {
        checkName(name, body);
        ObjectNode incoming = Conversions.toStorage(type, body);
        long pinned = pinnedRevision(incoming);
        return readModifyWrite(type, namespace, name, pinned, current -> {
            ObjectNode next = current.deepCopy();
            if (incoming.has("status")) {
                next.set("status", incoming.get("status").deepCopy());
            } else {
                next.remove("status");
            }
            return next;
        });
    }

    /** PATCH of the main resource or of {@code /status}. */
    public ObjectNode patch(
            ResourceType type, String namespace, String name, String contentType, byte[] body, boolean status) {
        return patch(type, namespace, name, contentType, body, status, (before, after) -> {});
    }

    /**
     * PATCH with a check of the patched object against the one it was made from before it is written, such as
     * {@code fieldValidation}'s; the check throws to refuse the patch.
     */
    public ObjectNode patch(
            ResourceType type,
            String namespace,
            String name,
            String contentType,
            byte[] body,
            boolean status,
            BiConsumer<ObjectNode, ObjectNode> check) {
        for (int attempt = 0; ; attempt++) {
            StoredObject current = storage.require(type, namespace, name);
            ObjectNode patched = Patches.apply(contentType, current.object(), body);
            check.accept(current.object(), patched);
            // A patch that names a resourceVersion is conditional on it; otherwise it applies to what was read.
            String pinned = Json.metadata(patched).path("resourceVersion").asText("");
            if (pinned.isEmpty() || pinned.equals(Long.toString(current.revision()))) {
                Json.metadata(patched).put("resourceVersion", Long.toString(current.revision()));
            }
            try {
                return status ? updateStatus(type, namespace, name, patched) : update(type, namespace, name, patched);
            } catch (ApiException e) {
                if (e.code() != 409 || !pinned.isEmpty() || attempt >= UNCONDITIONAL_RETRIES) {
                    throw e;
                }
            }
        }
    }

    /**
     * DELETE: an object with finalizers, a scheduled pod with a grace period, or a namespace is marked for
     * deletion; everything else goes at once. Answers the object as it was last stored.
     */
    public ObjectNode delete(ResourceType type, String namespace, String name, ObjectNode options, boolean dryRun) {
        for (int attempt = 0; ; attempt++) {
            StoredObject current = storage.require(type, namespace, name);
            checkPreconditions(type, name, current, options);
            ObjectNode object = current.object();
            long grace = Lifecycle.gracePeriodSeconds(type, object, options);
            boolean graceful = ObjectMeta.hasFinalizers(object) || grace > 0 || Lifecycle.isNamespace(type);
            if (dryRun) {
                return object;
            }
            try {
                if (!graceful) {
                    ObjectNode deleted = storage.delete(type, namespace, name, current.revision())
                            .object();
                    afterDelete(type, deleted);
                    return deleted;
                }
                if (ObjectMeta.isBeingDeleted(object)) {
                    return object;
                }
                ObjectNode marked = object.deepCopy();
                Lifecycle.markDeleted(type, marked, clock.instant(), grace);
                return storage.update(type, namespace, name, marked, current.revision())
                        .object();
            } catch (ApiException e) {
                if (e.code() != 409 || attempt >= UNCONDITIONAL_RETRIES) {
                    throw e;
                }
            }
        }
    }

    /** Reads, changes and writes one object with compare-and-swap, retrying only when the caller pinned nothing. */
    ObjectNode readModifyWrite(
            ResourceType type, String namespace, String name, long pinned, UnaryOperator<ObjectNode> change) {
        for (int attempt = 0; ; attempt++) {
            StoredObject current = storage.require(type, namespace, name);
            if (pinned > 0 && pinned != current.revision()) {
                throw ApiException.staleObject(type, name);
            }
            ObjectNode next = change.apply(current.object());
            Json.metadata(next).remove("resourceVersion");
            if (next.equals(withoutResourceVersion(current.object()))) {
                return current.object();
            }
            try {
                if (ObjectMeta.isBeingDeleted(next) && Lifecycle.deletionCanComplete(type, next)) {
                    // The last finalizer is gone: the deletion completes now.
                    ObjectNode deleted = storage.delete(type, namespace, name, current.revision())
                            .object();
                    afterDelete(type, deleted);
                    return deleted;
                }
                return storage.update(type, namespace, name, next, current.revision())
                        .object();
            } catch (ApiException e) {
                if (e.code() != 409 || pinned > 0 || attempt >= UNCONDITIONAL_RETRIES) {
                    throw e;
                }
            }
        }
    }

    private void afterDelete(ResourceType type, ObjectNode deleted) {
        if (type.kind().equals("Service") && type.group().isEmpty()) {
            allocator.release(deleted);
        }
    }

    private static ObjectNode withoutResourceVersion(ObjectNode object) {
        ObjectNode copy = object.deepCopy();
        Json.metadata(copy).remove("resourceVersion");
        return copy;
    }

    private void validate(ResourceType type, String name, ObjectNode object, ObjectNode old) {
        List<Cause> causes = Validation.validate(type.group(), type.kind(), type.namespaced(), object, old);
        if (!causes.isEmpty()) {
            throw ApiException.invalid(type, name, causes);
        }
    }

    private static void carryServerFields(ObjectNode current, ObjectNode next) {
        ObjectNode from = Json.metadata(current);
        ObjectNode to = Json.metadata(next);
        if (to.hasNonNull("uid")
                && !to.get("uid").asText().equals(from.path("uid").asText())) {
            throw new ApiException(
                    409,
                    "Conflict",
                    "Precondition failed: UID in precondition: " + to.get("uid").asText() + ", UID in object meta: "
                            + from.path("uid").asText(),
                    null);
        }
        for (String field : List.of(
                "uid",
                "creationTimestamp",
                "deletionTimestamp",
                "deletionGracePeriodSeconds",
                "namespace",
                "generation")) {
            if (from.has(field)) {
                to.set(field, from.get(field).deepCopy());
            } else {
                to.remove(field);
            }
        }
        to.remove("selfLink");
        to.remove("managedFields");
    }

    private static void bumpGeneration(ObjectNode current, ObjectNode next) {
        if (!next.has("spec")) {
            return;
        }
        long generation = Json.metadata(current).path("generation").asLong(0);
        if (generation == 0) {
            generation = 1;
        } else if (ObjectMeta.specChanged(current, next)) {
            generation++;
        }
        Json.metadata(next).put("generation", generation);
    }

    private static long pinnedRevision(ObjectNode object) {
        String rv = Json.metadata(object).path("resourceVersion").asText("");
        if (rv.isEmpty()) {
            return 0;
        }
        try {
            return Long.parseLong(rv);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("metadata.resourceVersion: Invalid value: \"" + rv + "\": must be a number");
        }
    }

    private static void checkName(String name, ObjectNode body) {
        String bodyName = ObjectMeta.name(body);
        if (!bodyName.isEmpty() && !bodyName.equals(name)) {
            throw ApiException.badRequest(
                    "the name of the object (" + bodyName + ") does not match the name on the URL (" + name + ")");
        }
        Json.metadata(body).put("name", name);
    }

    private void checkPreconditions(ResourceType type, String name, StoredObject current, ObjectNode options) {
        JsonNode pre = options == null ? null : options.get("preconditions");
        if (pre == null || pre.isNull()) {
            return;
        }
        String uid = pre.path("uid").asText("");
        if (!uid.isEmpty()
                && !uid.equals(Json.metadata(current.object()).path("uid").asText())) {
            throw ApiException.conflict(
                    type,
                    name,
                    "Precondition failed: UID in precondition: " + uid + ", UID in object meta: "
                            + Json.metadata(current.object()).path("uid").asText());
        }
        String rv = pre.path("resourceVersion").asText("");
        if (!rv.isEmpty() && !rv.equals(Long.toString(current.revision()))) {
            throw ApiException.conflict(
                    type,
                    name,
                    "Precondition failed: ResourceVersion in precondition: " + rv + ", ResourceVersion in object meta: "
                            + current.revision());
        }
    }

    private static void checkTypeMeta(ResourceType type, ObjectNode body) {
        String apiVersion = body.path("apiVersion").asText("");
        String kind = body.path("kind").asText("");
        if (!apiVersion.isEmpty() && !apiVersion.equals(type.groupVersion())) {
            throw ApiException.badRequest("the API version in the data (" + apiVersion
                    + ") does not match the expected API version (" + type.groupVersion() + ")");
        }
        if (!kind.isEmpty() && !kind.equals(type.kind())) {
            throw ApiException.badRequest(
                    "the kind in the data (" + kind + ") does not match the expected kind (" + type.kind() + ")");
        }
        body.put("apiVersion", type.groupVersion());
        body.put("kind", type.kind());
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

    private void requireLiveNamespace(ResourceType type, String namespace, String name) {
        ResourceType namespaces = registry.find("", "v1", "namespaces").orElseThrow();
        // The cache answers as upstream's namespace informer does; a namespace it has not seen yet (created a
        // moment ago) is looked up in the store.
        ObjectNode ns = Optional.ofNullable(cache)
                .flatMap(c -> c.get(namespaces, null, namespace))
                .map(CachedObject::tree)
                .or(() -> storage.get(namespaces, null, namespace).map(StoredObject::object))
                .orElseThrow(() -> ApiException.notFound(namespaces, namespace));
        if (ObjectMeta.isBeingDeleted(ns)) {
            throw ApiException.forbidden(
                    type,
                    name,
                    "unable to create new content in namespace " + namespace + " because it is being terminated");
        }
    }

    /** The namespaced resources, for namespace deletion. */
    List<ResourceType> storedNamespacedTypes() {
        return registry.all().stream()
                .filter(ResourceType::namespaced)
                .filter(t -> t.group().equals(t.storageGroup())
                        && !(t.group().equals("autoscaling") && t.version().equals("v1")))
                .toList();
    }

    static ArrayNode finalizers(ObjectNode object) {
        JsonNode f = Json.metadata(object).get("finalizers");
        return f instanceof ArrayNode a ? a : Json.metadata(object).putArray("finalizers");
    }
}
