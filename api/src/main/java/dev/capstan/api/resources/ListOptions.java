package dev.capstan.api.resources;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.selection.FieldSelector;
import dev.capstan.api.selection.LabelSelector;

/** The query of a list or watch, parsed. */
public record ListOptions(
        LabelSelector labels,
        FieldSelector fields,
        int limit,
        String continueToken,
        String resourceVersion,
        String resourceVersionMatch) {

    /** Everything, as the cache holds it now (resourceVersion "0"). */
    public static final ListOptions ALL =
            new ListOptions(LabelSelector.EVERYTHING, FieldSelector.EVERYTHING, 0, "", "0", "");

    /** Whether a label or field selector narrows the result. */
    public boolean filtered() {
        return !labels.isEmpty() || !fields.isEmpty();
    }

    /** Whether {@code object} passes both selectors. */
    public boolean matches(ObjectNode object) {
        return labels.matches(object) && fields.matches(object);
    }
}
