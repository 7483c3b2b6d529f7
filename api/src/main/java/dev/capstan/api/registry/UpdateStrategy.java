package dev.capstan.api.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.validation.Cause;
import java.util.List;

/**
 * How one kind of write changes a stored object (upstream's RESTUpdateStrategy): the main resource's strategy, a
 * status strategy and the namespace finalize strategy each implement it.
 */
public interface UpdateStrategy {
    /** What the server keeps or resets from {@code old} before validation (upstream PrepareForUpdate). */
    void prepareForUpdate(ObjectNode object, ObjectNode old);

    /** The field errors of this update, metadata included; empty when valid. */
    List<Cause> validateUpdate(ObjectNode object, ObjectNode old);

    /** Whether a PUT of an object that does not exist creates it (Endpoints, Leases, Events, ...). */
    default boolean allowCreateOnUpdate() {
        return false;
    }

    /** Whether a PUT without {@code metadata.resourceVersion} applies to whatever is stored. */
    default boolean allowUnconditionalUpdate() {
        return true;
    }
}
