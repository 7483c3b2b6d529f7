package dev.capstan.api.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.validation.Cause;
import java.util.List;
import java.util.function.BiFunction;

/**
 * A status strategy made of its validation (upstream's ValidateXxxStatusUpdate): everything but metadata and
 * status comes from the stored object.
 */
public record StatusRules(BiFunction<ObjectNode, ObjectNode, List<Cause>> validation) implements StatusStrategy {
    @Override
    public List<Cause> validateUpdate(ObjectNode object, ObjectNode old) {
        return validation.apply(object, old);
    }
}
