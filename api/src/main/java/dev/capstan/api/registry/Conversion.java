package dev.capstan.api.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Conversion between the version a resource is served at and the version its objects are stored in; the identity
 * for all but resources served at several versions (autoscaling/v1 HorizontalPodAutoscalers are stored as v2).
 */
public interface Conversion {
    Conversion IDENTITY = new Conversion() {
        @Override
        public ObjectNode toStorage(ObjectNode served) {
            return served;
        }

        @Override
        public ObjectNode fromStorage(ObjectNode stored) {
            return stored;
        }
    };

    /** The object in the storage version; may return its argument, changed or not. */
    ObjectNode toStorage(ObjectNode served);

    /** The object in the served version; may return its argument, changed or not. */
    ObjectNode fromStorage(ObjectNode stored);
}
