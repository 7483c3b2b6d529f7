package dev.capstan.api.resources;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.ApiException;
import dev.capstan.api.registry.ResourceType;
import dev.capstan.api.validation.GoFormat;
import dev.capstan.model.fields.FieldSelector;
import dev.capstan.model.labels.LabelSelector;
import dev.capstan.model.labels.SelectorParseException;

/**
 * The query of a list or watch, parsed: the selectors (field values as the resource's kind defines them), limit,
 * continue and resourceVersion.
 */
public record ListOptions(
        ResourceType type,
        LabelSelector labels,
        FieldSelector fields,
        int limit,
        String continueToken,
        String resourceVersion,
        String resourceVersionMatch) {

    /** Everything of {@code type}, as the cache holds it now (resourceVersion "0"). */
    public static ListOptions all(ResourceType type) {
        return new ListOptions(type, LabelSelector.EVERYTHING, FieldSelector.EVERYTHING, 0, "", "0", "");
    }

    /**
     * Parses the selectors of a list or watch of {@code type}; a malformed selector, or a field the kind cannot be
     * selected by, is a 400 as kube-apiserver answers it.
     */
    public static ListOptions parse(
            ResourceType type,
            String labelSelector,
            String fieldSelector,
            int limit,
            String continueToken,
            String resourceVersion,
            String resourceVersionMatch) {
        if (limit < 0) {
            limit = 0; // upstream pages only for a positive limit: a negative one lists everything
        }
        // Checked before anything is read or a watch's stream starts, so a bad one is answered 400, not in the stream.
        revisionOf(resourceVersion == null ? "" : resourceVersion);
        LabelSelector labels;
        FieldSelector fields;
        try {
            labels = LabelSelector.parse(labelSelector == null ? "" : labelSelector);
            fields = FieldSelector.parse(fieldSelector == null ? "" : fieldSelector);
        } catch (SelectorParseException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        for (FieldSelector.Requirement term : fields.requirements()) {
            if (!type.supportsFieldSelector(term.field())) {
                throw ApiException.badRequest("field label not supported: " + term.field());
            }
        }
        return new ListOptions(type, labels, fields, limit, continueToken, resourceVersion, resourceVersionMatch);
    }

    /**
     * A resourceVersion as a revision, 0 for "" and "0": an unsigned 64-bit number as upstream's {@code
     * APIObjectVersioner.ParseResourceVersion} reads it, with its message; one beyond what a revision can reach is
     * read as the largest, which is then too large for the store.
     *
     * <p>Upstream answers this error 500 (the storage's InvalidError is not a Status); Capstan answers 400.
     */
    public static long revisionOf(String resourceVersion) {
        if (resourceVersion.isEmpty() || resourceVersion.equals("0")) {
            return 0;
        }
        long value;
        try {
            value = GoFormat.parseUint(resourceVersion);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest(
                    "resourceVersion: Invalid value: " + GoFormat.quote(resourceVersion) + ": " + e.getMessage());
        }
        return value < 0 ? Long.MAX_VALUE : value; // beyond 2^63 as unsigned
    }

    /** The same selection with no paging and no resourceVersion: every match as of now. */
    public ListOptions everyMatch() {
        return new ListOptions(type, labels, fields, 0, "", "", "");
    }

    /** Whether a label or field selector narrows the result. */
    public boolean filtered() {
        return !labels.isEmpty() || !fields.isEmpty();
    }

    /** Whether {@code object} passes both selectors. */
    public boolean matches(ObjectNode object) {
        return labels.matches(object) && fields.matches(field -> type.fieldValue(object, field));
    }
}
