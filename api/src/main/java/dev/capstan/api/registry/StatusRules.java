package dev.capstan.api.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.validation.Cause;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;

/**
 * A status strategy made of its preparation and its validation (upstream's ValidateXxxStatusUpdate); by default
 * everything but metadata and status comes from the stored object.
 */
public record StatusRules(
        BiConsumer<ObjectNode, ObjectNode> preparation, BiFunction<ObjectNode, ObjectNode, List<Cause>> validation)
        implements StatusStrategy {

    public StatusRules(BiFunction<ObjectNode, ObjectNode, List<Cause>> validation) {
        this(StatusStrategy::keepAllButMetadataAndStatus, validation);
    }

    @Override
    public void prepareForUpdate(ObjectNode object, ObjectNode old) {
        preparation.accept(object, old);
    }

    @Override
    public List<Cause> validateUpdate(ObjectNode object, ObjectNode old) {
        return validation.apply(object, old);
    }
}
