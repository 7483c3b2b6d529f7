package dev.capstan.api.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.request.DeleteOptions;
import dev.capstan.api.table.DefaultTable;
import dev.capstan.api.table.KindTable;
import dev.capstan.api.validation.Cause;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Function;

/**
 * Everything that is particular to one kind, in one place (upstream's pkg/registry/&lt;group&gt;/&lt;kind&gt;/strategy.go
 * and the kind's REST storage options): defaulting, what create and update reset, validation, the status
 * subresource, table printing, field-selector attributes, graceful deletion and the hooks around storage. The
 * generic store ({@link GenericStore}) applies these in upstream's order and knows no kind by name.
 *
 * <p>Objects are Kubernetes JSON trees in the kind's storage version.
 */
public interface Strategy extends UpdateStrategy {
    /** Upstream's defaulting (defaults.go), applied when a request body is decoded. */
    default void applyDefaults(ObjectNode object) {}

    /** What the server resets or sets on create before validation: status, generation (PrepareForCreate). */
    void prepareForCreate(ObjectNode object);

    /** The field errors of a create, metadata included; empty when valid. */
    List<Cause> validate(ObjectNode object);

    /** The {@code /status} subresource's strategy, or null when the kind has none. */
    default StatusStrategy status() {
        return null;
    }

    /** The columns and cells {@code kubectl get} shows. */
    default KindTable table() {
        return DefaultTable.TABLE;
    }

    /**
     * The fields a field selector may name besides {@code metadata.name} and {@code metadata.namespace}, each with
     * the function giving its value (upstream's GetAttrs/SelectableFields).
     */
    default Map<String, Function<JsonNode, String>> fieldAttributes() {
        return Map.of();
    }

    /**
     * Graceful deletion (upstream's CheckGracefulDelete): the grace period this delete gets, or empty when the
     * kind is never deleted gracefully. A period of 0 deletes at once.
     */
    default OptionalLong gracePeriod(ObjectNode object, DeleteOptions options) {
        return OptionalLong.empty();
    }

    /**
     * Refuses a delete the kind never allows (system PriorityClasses) by throwing a Status error; the default
     * allows all.
     */
    default void checkDelete(ObjectNode object) {}

    /** A warning for a delete with these options (a Job's pods kept by default), or empty. */
    default java.util.Optional<String> deleteWarning(DeleteOptions options) {
        return java.util.Optional.empty();
    }

    /** What happens to dependents when no propagation policy is given. */
    default GcPolicy gcPolicy() {
        return GcPolicy.DELETE_DEPENDENTS;
    }

    /**
     * Whether a delete answers with the deleted object (pods, services, namespaces, ...) rather than a Success
     * Status naming it, as upstream's ReturnDeletedObject.
     */
    default boolean returnsDeletedObject() {
        return false;
    }

    /** Claims what the object needs before it is stored (a Service's IPs and ports); undone if the write fails. */
    default WriteHook beginCreate(ObjectNode object, boolean dryRun) {
        return WriteHook.NONE;
    }

    /** As {@link #beginCreate} for an update of {@code old} into {@code object}. */
    default WriteHook beginUpdate(ObjectNode object, ObjectNode old, boolean dryRun) {
        return WriteHook.NONE;
    }

    /** Releases what a deleted object held; runs once the object is gone from storage (never for a dry run). */
    default void afterDelete(ObjectNode deleted) {}

    /**
     * Whether an update that finishes a pending deletion (the last finalizer gone) may delete the object now, beyond
     * the generic rule; a namespace also waits for its spec.finalizers.
     */
    default boolean mayDeleteDuringUpdate(ObjectNode object) {
        return true;
    }
}
