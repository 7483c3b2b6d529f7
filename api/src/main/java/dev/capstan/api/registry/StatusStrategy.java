package dev.capstan.api.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The {@code /status} subresource of a kind (upstream's xxxStatusStrategy): a status write keeps the spec and
 * everything else but metadata and status from the stored object, and is validated as upstream's
 * ValidateXxxStatusUpdate.
 */
public interface StatusStrategy extends UpdateStrategy {
    /**
     * The fields other than {@code metadata} and {@code status} come from the stored object; kinds that keep more
     * (a pod's owner references, a deployment's labels) extend this.
     */
    @Override
    default void prepareForUpdate(ObjectNode object, ObjectNode old) {
        keepAllButMetadataAndStatus(object, old);
    }

    static void keepAllButMetadataAndStatus(ObjectNode object, ObjectNode old) {
        var names = new java.util.ArrayList<String>();
        object.fieldNames().forEachRemaining(names::add);
        old.fieldNames().forEachRemaining(names::add);
        for (String field : names) {
            if (field.equals("metadata")
                    || field.equals("status")
                    || field.equals("apiVersion")
                    || field.equals("kind")) {
                continue;
            }
            if (old.has(field)) {
                object.set(field, old.get(field).deepCopy());
            } else {
                object.remove(field);
            }
        }
    }
}
