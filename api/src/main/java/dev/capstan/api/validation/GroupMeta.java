package dev.capstan.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.model.json.JsonReads;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * ObjectMeta checks as the API-group validations call them (core's ValidateObjectMeta with a name rule and the
 * namespace scope), plus the field.Error shapes that {@link Errors} has no method for.
 */
final class GroupMeta {
    private GroupMeta() {}

    /** A name rule: (name, isGenerateNamePrefix) to upstream's messages. */
    interface NameCheck extends BiFunction<String, Boolean, List<String>> {}

    static final NameCheck DNS_SUBDOMAIN = (name, prefix) -> NameRules.NameRule.DNS_SUBDOMAIN.check(name, prefix);

    /** RBAC's ValidateRBACName: IsValidPathSegmentName whether or not the value is a prefix. */
    static final NameCheck PATH_SEGMENT = (name, prefix) -> NameRules.pathSegmentName(name, false);

    /**
     * ValidateObjectMeta: generateName, name, the namespace scope, generation, then labels, annotations, owner
     * references and finalizers. Namespaced kinds need a namespace (a DNS label); cluster-scoped ones must have none.
     */
    static void create(JsonNode meta, boolean namespaced, NameCheck rule, Errors errs) {
        String generateName = JsonReads.str(meta, "generateName");
        if (!generateName.isEmpty()) {
            errs.invalidEach("metadata.generateName", generateName, rule.apply(generateName, true));
        }
        String name = JsonReads.str(meta, "name");
        if (name.isEmpty()) {
            if (generateName.isEmpty()) {
                errs.required("metadata.name", "name or generateName is required");
            }
        } else {
            errs.invalidEach("metadata.name", name, rule.apply(name, false));
        }
        String namespace = JsonReads.str(meta, "namespace");
        if (namespaced) {
            if (namespace.isEmpty()) {
                errs.required("metadata.namespace", "");
            } else {
                errs.invalidEach("metadata.namespace", namespace, NameRules.dns1123Label(namespace));
            }
        } else if (!namespace.isEmpty()) {
            errs.forbidden("metadata.namespace", "not allowed on this type");
        }
        errs.nonNegative("metadata.generation", JsonReads.num(meta, "generation"));
        MetadataValidation.validateUpdate(meta, "metadata", errs);
    }

    /** ValidateObjectMetaUpdate's checks on the new metadata; immutability of identity is the server's. */
    static void update(JsonNode meta, Errors errs) {
        MetadataValidation.validateUpdate(meta, "metadata", errs);
    }

    static JsonNode meta(JsonNode obj) {
        return JsonReads.obj(obj, "metadata");
    }

    /** ValidateImmutableField: an Invalid "field is immutable" carrying the new value, when not semantically equal. */
    static void immutable(JsonNode now, JsonNode before, String path, Object shown, Errors errs) {
        if (!PodUpdateValidation.semanticEqual(now, before)) {
            errs.invalid(path, shown, "field is immutable");
        }
    }

    static JsonNode get(JsonNode parent, String field) {
        return parent == null ? null : parent.get(field);
    }

    /** field.TooMany with a known count: {@code Too many: 1001: must have at most 1000 items}. */
    static void tooMany(String path, int actual, int max, Errors errs) {
        String items = max == 1 ? "item" : "items";
        errs.list()
                .add(new Cause(
                        "FieldValueTooMany", "Too many: " + actual + ": must have at most " + max + " " + items, path));
    }

    /** field.Invalid with field.OmitValueType: the message carries no value. */
    static void invalidNoValue(String path, String detail, Errors errs) {
        errs.list().add(new Cause("FieldValueInvalid", "Invalid value: " + detail, path));
    }

    /** field.InternalError. */
    static void internal(String path, String detail, Errors errs) {
        errs.list().add(new Cause("InternalError", "Internal error: " + detail, path));
    }

    /** A Go pointer field read for messages: the JSON value, or Go's nil when absent. */
    static Object pointer(JsonNode parent, String field) {
        return JsonReads.has(parent, field) ? parent.get(field) : null;
    }

    /** A Go map[string]string as reflect.DeepEqual sees it: null for nil, which differs from an empty map. */
    static Map<String, String> stringMap(JsonNode parent, String field) {
        JsonNode m = JsonReads.obj(parent, field);
        if (m == null) {
            return null;
        }
        Map<String, String> out = new HashMap<>();
        JsonReads.entries(m).forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    /** A defaulter for a Go pointer field: set only when absent or null, an empty string stays. */
    static void defaultPointer(ObjectNode obj, String field, String value) {
        if (!JsonReads.has(obj, field)) {
            obj.put(field, value);
        }
    }

    /** Puts a Go integer as the node type Jackson reads it back as: an int when it fits, else a long. */
    static void putInt(ObjectNode node, String field, long value) {
        if (value >= Integer.MIN_VALUE && value <= Integer.MAX_VALUE) {
            node.put(field, (int) value);
        } else {
            node.put(field, value);
        }
    }
}
