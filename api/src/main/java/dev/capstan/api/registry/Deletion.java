package dev.capstan.api.registry;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.ApiException;
import dev.capstan.api.Json;
import dev.capstan.api.admission.AdmissionRequest;
import dev.capstan.api.admission.Operation;
import dev.capstan.api.registry.GenericStore.DeleteResult;
import dev.capstan.api.request.DeleteOptions;
import dev.capstan.api.request.RequestContext;
import dev.capstan.api.storage.ObjectStorage;
import dev.capstan.api.storage.StoredObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;

/**
 * One delete, as upstream's Store.Delete and rest.BeforeDelete decide it. An object is removed at once unless
 * something holds it: a grace period (pods on a node: marked with deletionTimestamp and
 * deletionGracePeriodSeconds until the node agent confirms), finalizers (marked with a grace period of 0 until the
 * last one is removed by an update), or a propagation policy that needs the garbage collector (the
 * {@code orphan} and {@code foregroundDeletion} finalizers). Kinds finished by a controller (namespaces) are only
 * marked by the first delete.
 */
final class Deletion {
    static final String ORPHAN_FINALIZER = "orphan";
    static final String FOREGROUND_FINALIZER = "foregroundDeletion";
    private static final int MAX_ATTEMPTS = 32;

    private final GenericStore store;
    private final ObjectStorage storage;
    private final RequestContext ctx;
    private final ResourceType type;
    private final Strategy strategy;
    private final String namespace;
    private final String name;
    private final DeleteOptions options;

    Deletion(
            GenericStore store,
            RequestContext ctx,
            ResourceType type,
            String namespace,
            String name,
            DeleteOptions options) {
        this.store = store;
        this.storage = store.storage();
        this.ctx = ctx;
        this.type = type;
        this.strategy = type.strategy();
        this.namespace = namespace;
        this.name = name;
        this.options = options.validated();
    }

    private boolean dryRun() {
        return ctx.dryRun() || options.isDryRun();
    }

    DeleteResult run() {
        StoredObject current = storage.require(type, namespace, name);
        strategy.checkDelete(current.object());
        strategy.deleteWarning(options).ifPresent(ctx::warn);
        if (strategy instanceof FinalizedByController controlled) {
            checkControllerPreconditions(current.object());
            if (!ObjectMetaRules.isBeingDeleted(current.object())) {
                return markForController(controlled, current);
            }
            if (controlled.controllerPending(current.object())) {
                return new DeleteResult(store.served(type, current.object()), false);
            }
        }
        return deleteGenerically(current);
    }

    private DeleteResult deleteGenerically(StoredObject current) {
        ObjectNode first = current.object().deepCopy();
        Decision decision = beforeDelete(first, options.gracePeriodSeconds());
        if (decision.pending()) {
            return finish(current.object(), false, false);
        }
        boolean needsUpdate = decision.graceful()
                || ObjectMetaRules.hasFinalizers(first)
                || gcFinalizers(first).isPresent();
        if (!needsUpdate) {
            admit(current.object());
            return deleteNow(current, null);
        }
        for (int attempt = 1; ; attempt++) {
            StoredObject existing = attempt == 1 ? current : storage.require(type, namespace, name);
            admit(existing.object());
            ObjectNode object = existing.object().deepCopy();
            Decision d = beforeDelete(object, options.gracePeriodSeconds());
            if (d.pending()) {
                return finish(existing.object(), false, false);
            }
            gcFinalizers(object).ifPresent(list -> setFinalizers(object, list));
            boolean pendingFinalizers = ObjectMetaRules.hasFinalizers(object);
            if (!d.graceful() && !pendingFinalizers) {
                return deleteNow(existing, null);
            }
            if (!d.graceful()) {
                markAsDeleting(object, store.clock().instant());
            }
            ObjectNode written;
            try {
                written = write(existing, object);
            } catch (GenericStore.StorageConflict e) {
                if (attempt >= MAX_ATTEMPTS) {
                    throw ApiException.staleObject(type, name);
                }
                continue;
            }
            if (pendingFinalizers || d.grace() > 0) {
                return new DeleteResult(store.served(type, written), false);
            }
            // Graceful with nothing left to wait for (a pod deleted with grace 0): delete it now; someone else may
            // have done so meanwhile, which is as good.
            return deleteNow(new StoredObject(written, revisionOf(written, existing)), written);
        }
    }

    /**
     * Upstream's namespace delete: the first delete marks it Terminating (and sets the orphan/foreground finalizers
     * the options ask for); later deletes return it until its controller has emptied it and cleared its spec
     * finalizers, and then delete it like any object.
     */
    private DeleteResult markForController(FinalizedByController controlled, StoredObject current) {
        for (int attempt = 1; ; attempt++) {
            StoredObject existing = attempt == 1 ? current : storage.require(type, namespace, name);
            admit(existing.object());
            ObjectNode object = existing.object().deepCopy();
            ObjectNode meta = Json.metadata(object);
            if (!meta.hasNonNull("deletionTimestamp")) {
                meta.put(
                        "deletionTimestamp",
                        ObjectMetaRules.timestamp(store.clock().instant()));
            }
            controlled.markDeleting(object);
            List<String> finalizers = new ArrayList<>(currentFinalizers(object));
            setMembership(finalizers, ORPHAN_FINALIZER, wantsFinalizer(ORPHAN_FINALIZER, finalizers));
            setMembership(finalizers, FOREGROUND_FINALIZER, wantsFinalizer(FOREGROUND_FINALIZER, finalizers));
            setFinalizers(object, finalizers);
            try {
                return new DeleteResult(store.served(type, write(existing, object)), false);
            } catch (GenericStore.StorageConflict e) {
                if (attempt >= MAX_ATTEMPTS) {
                    throw ApiException.staleObject(type, name);
                }
            }
        }
    }

    private boolean wantsFinalizer(String finalizer, List<String> present) {
        if (options.orphanDependents() != null) {
            return finalizer.equals(ORPHAN_FINALIZER) == options.orphanDependents();
        }
        if (options.propagationPolicy() != null) {
            return finalizer.equals(ORPHAN_FINALIZER)
                    ? options.propagationPolicy().equals(DeleteOptions.ORPHAN)
                    : options.propagationPolicy().equals(DeleteOptions.FOREGROUND);
        }
        return present.contains(finalizer);
    }

    private void checkControllerPreconditions(ObjectNode object) {
        ObjectNode meta = Json.metadata(object);
        String uid = options.preconditionUid();
        if (uid != null && !uid.equals(meta.path("uid").asText())) {
            throw ApiException.uidPreconditionFailed(
                    type, name, uid, meta.path("uid").asText());
        }
        String rv = options.preconditionResourceVersion();
        if (rv != null && !rv.equals(meta.path("resourceVersion").asText())) {
            throw ApiException.conflict(
                    type,
                    name,
                    "Precondition failed: ResourceVersion in precondition: " + rv + ", ResourceVersion in object meta: "
                            + meta.path("resourceVersion").asText());
        }
    }

    /** The outcome of upstream's rest.BeforeDelete for one read of the object. */
    private record Decision(boolean graceful, boolean pending, long grace) {}

    /**
     * Upstream's rest.BeforeDelete on {@code object} (changed in place when graceful): checks the preconditions, and
     * for kinds with graceful deletion sets deletionTimestamp and deletionGracePeriodSeconds, or reports that a
     * graceful deletion is already pending (a second delete may only shorten it).
     */
    private Decision beforeDelete(ObjectNode object, Long requestedGrace) {
        ObjectNode meta = Json.metadata(object);
        checkPreconditions(meta);
        Long grace = requestedGrace != null && requestedGrace < 0 ? Long.valueOf(1) : requestedGrace;
        if (meta.has("deletionGracePeriodSeconds")
                && meta.path("deletionGracePeriodSeconds").asLong() < 0) {
            meta.put("deletionGracePeriodSeconds", 1);
        }
        OptionalLong period = strategy.gracePeriod(object, options.withGracePeriod(grace));
        if (meta.hasNonNull("deletionTimestamp")) {
            if (period.isEmpty()) {
                return new Decision(false, false, 0);
            }
            long existingGrace = meta.path("deletionGracePeriodSeconds").asLong(0);
            if (!meta.hasNonNull("deletionGracePeriodSeconds") || existingGrace == 0) {
                return new Decision(false, false, 0);
            }
            if (grace == null || grace >= existingGrace) {
                return new Decision(false, true, existingGrace);
            }
            // Only a shorter grace period may be given; the deletion moves closer by the difference.
            Instant due = Instant.parse(meta.get("deletionTimestamp").asText())
                    .minusSeconds(existingGrace)
                    .plusSeconds(grace);
            meta.put("deletionTimestamp", ObjectMetaRules.timestamp(due));
            meta.put("deletionGracePeriodSeconds", grace);
            return new Decision(true, false, grace);
        }
        if (period.isEmpty()) {
            return new Decision(false, false, 0);
        }
        long seconds = period.getAsLong();
        meta.put(
                "deletionTimestamp",
                ObjectMetaRules.timestamp(store.clock().instant().plusSeconds(seconds)));
        meta.put("deletionGracePeriodSeconds", seconds);
        bumpGeneration(meta);
        return new Decision(true, false, seconds);
    }

    private void checkPreconditions(ObjectNode meta) {
        String kindResource = type.group().isEmpty() ? type.kind() : type.kind() + "." + type.group();
        String uid = options.preconditionUid();
        if (uid != null && !uid.equals(meta.path("uid").asText())) {
            throw preconditionFailed(
                    kindResource,
                    "the UID in the precondition (" + uid + ") does not match the UID in record ("
                            + meta.path("uid").asText() + "). The object might have been deleted and then recreated");
        }
        String rv = options.preconditionResourceVersion();
        if (rv != null && !rv.equals(meta.path("resourceVersion").asText())) {
            throw preconditionFailed(
                    kindResource,
                    "the ResourceVersion in the precondition (" + rv
                            + ") does not match the ResourceVersion in record ("
                            + meta.path("resourceVersion").asText() + "). The object might have been modified");
        }
    }

    private ApiException preconditionFailed(String kindResource, String why) {
        ObjectNode details = Json.object().put("name", name);
        if (!type.group().isEmpty()) {
            details.put("group", type.group());
        }
        details.put("kind", type.kind());
        return new ApiException(
                409,
                "Conflict",
                "Operation cannot be fulfilled on " + kindResource + " \"" + name + "\": " + why,
                details);
    }

    /**
     * The deletion finalizers the options (or, failing them, the finalizers present, then the kind's default policy)
     * ask for, as upstream's deletionFinalizersForGarbageCollection; empty when the list stays as it is.
     */
    private java.util.Optional<List<String>> gcFinalizers(ObjectNode object) {
        List<String> present = currentFinalizers(object);
        GcPolicy policy = strategy.gcPolicy();
        boolean orphan = false;
        boolean foreground = false;
        if (policy != GcPolicy.UNSUPPORTED) {
            if (options.orphanDependents() != null) {
                orphan = options.orphanDependents();
            } else if (options.propagationPolicy() != null) {
                orphan = options.propagationPolicy().equals(DeleteOptions.ORPHAN);
                foreground = options.propagationPolicy().equals(DeleteOptions.FOREGROUND);
            } else if (present.contains(ORPHAN_FINALIZER) || present.contains(FOREGROUND_FINALIZER)) {
                orphan = firstOf(present) == 1;
                foreground = firstOf(present) == 2;
            } else {
                orphan = policy == GcPolicy.ORPHAN_DEPENDENTS;
            }
        }
        List<String> next = new ArrayList<>();
        for (String f : present) {
            if (!f.equals(ORPHAN_FINALIZER) && !f.equals(FOREGROUND_FINALIZER)) {
                next.add(f);
            }
        }
        if (orphan) {
            next.add(ORPHAN_FINALIZER);
        }
        if (foreground) {
            next.add(FOREGROUND_FINALIZER);
        }
        Set<String> before = new LinkedHashSet<>(present);
        return before.equals(new LinkedHashSet<>(next)) ? java.util.Optional.empty() : java.util.Optional.of(next);
    }

    /** 1 when the orphan finalizer comes first among the two deletion finalizers, 2 for foreground, 0 for neither. */
    private static int firstOf(List<String> finalizers) {
        for (String f : finalizers) {
            if (f.equals(ORPHAN_FINALIZER)) {
                return 1;
            }
            if (f.equals(FOREGROUND_FINALIZER)) {
                return 2;
            }
        }
        return 0;
    }

    /** Upstream's markAsDeleting: a deletion with nothing graceful about it waits for finalizers with grace 0. */
    private static void markAsDeleting(ObjectNode object, Instant now) {
        ObjectNode meta = Json.metadata(object);
        if (!meta.hasNonNull("deletionTimestamp")) {
            bumpGeneration(meta);
        }
        if (!meta.hasNonNull("deletionTimestamp")
                || Instant.parse(meta.get("deletionTimestamp").asText()).isAfter(now)) {
            meta.put("deletionTimestamp", ObjectMetaRules.timestamp(now));
        }
        meta.put("deletionGracePeriodSeconds", 0);
    }

    private static void bumpGeneration(ObjectNode meta) {
        long generation = meta.path("generation").asLong(0);
        if (generation > 0) {
            meta.put("generation", generation + 1);
        }
    }

    private void admit(ObjectNode old) {
        store.admission().validate(new AdmissionRequest(ctx, Operation.DELETE, type, "", namespace, name, null, old));
    }

    /** Writes the marked object (nothing for a dry run) and answers it as stored. */
    private ObjectNode write(StoredObject existing, ObjectNode object) {
        if (dryRun()) {
            return object;
        }
        ObjectNode toStore = object.deepCopy();
        Json.metadata(toStore).remove("resourceVersion");
        if (GenericStore.sameContent(toStore, GenericStore.withoutResourceVersion(existing.object()))) {
            return existing.object();
        }
        try {
            return storage.update(type, namespace, name, toStore, existing.revision())
                    .object();
        } catch (ApiException e) {
            if (e.code() == 409) {
                throw new GenericStore.StorageConflict();
            }
            throw e;
        }
    }

    private static long revisionOf(ObjectNode written, StoredObject fallback) {
        String rv = Json.metadata(written).path("resourceVersion").asText("");
        return rv.isEmpty() ? fallback.revision() : Long.parseLong(rv);
    }

    /**
     * Removes the object from storage: conditional on the precondition's resourceVersion when one was given,
     * otherwise on what was read (read again if another write got in). {@code lastWritten} is our own marked
     * version of the object, whose disappearance meanwhile is no error.
     */
    private DeleteResult deleteNow(StoredObject read, ObjectNode lastWritten) {
        if (dryRun()) {
            // As upstream: the marked object when the dry run got that far, else what a delete would answer.
            return lastWritten != null
                    ? new DeleteResult(store.served(type, lastWritten), true)
                    : finish(read.object(), true, false);
        }
        StoredObject target = read;
        for (int attempt = 1; ; attempt++) {
            try {
                ObjectNode deleted =
                        storage.delete(type, namespace, name, target.revision()).object();
                return finish(deleted, true, true);
            } catch (ApiException e) {
                if (e.code() == 404 && lastWritten != null) {
                    return finish(lastWritten, true, true);
                }
                if (e.code() != 409 || options.preconditionResourceVersion() != null || attempt >= MAX_ATTEMPTS) {
                    throw e;
                }
                target = storage.require(type, namespace, name);
                checkPreconditions(Json.metadata(target.object().deepCopy()));
                if (ObjectMetaRules.hasFinalizers(target.object()) && lastWritten == null) {
                    // Someone added a finalizer meanwhile: go through the whole decision again.
                    return run();
                }
            }
        }
    }

    /** Upstream's finalizeDelete: the after-delete hook, then the object or a Success Status naming it. */
    private DeleteResult finish(ObjectNode object, boolean deleted, boolean runHooks) {
        if (runHooks) {
            strategy.afterDelete(object);
        }
        if (strategy.returnsDeletedObject() || !deleted) {
            return new DeleteResult(store.served(type, object), deleted);
        }
        ObjectNode status = Json.object().put("kind", "Status").put("apiVersion", "v1");
        status.putObject("metadata");
        status.put("status", "Success");
        ObjectNode details = status.putObject("details").put("name", name);
        if (!type.group().isEmpty()) {
            details.put("group", type.group());
        }
        details.put("kind", type.plural());
        details.put("uid", Json.metadata(object).path("uid").asText());
        return new DeleteResult(status, true);
    }

    private static List<String> currentFinalizers(ObjectNode object) {
        List<String> out = new ArrayList<>();
        Json.metadata(object).path("finalizers").forEach(f -> out.add(f.asText()));
        return out;
    }

    private static void setFinalizers(ObjectNode object, List<String> finalizers) {
        ObjectNode meta = Json.metadata(object);
        if (finalizers.isEmpty()) {
            meta.remove("finalizers");
            return;
        }
        ArrayNode list = meta.putArray("finalizers");
        finalizers.forEach(list::add);
    }

    private static void setMembership(List<String> list, String value, boolean member) {
        list.remove(value);
        if (member) {
            list.add(value);
        }
    }
}
