package dev.capstan.api.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Finds the fields of a JSON value that its schema does not declare, as strict field validation reports them. */
final class UnknownFields {
    private static final int MAX_REF_DEPTH = 16;

    private final JsonNode schemas;

    /** @param schemas the {@code components.schemas} node the references resolve against */
    UnknownFields(JsonNode schemas) {
        this.schemas = schemas;
    }

    List<String> find(String schemaName, JsonNode value) {
        List<String> unknown = new ArrayList<>();
        walk(schemas.get(schemaName), value, "", unknown);
        return unknown;
    }

    private void walk(JsonNode schema, JsonNode value, String path, List<String> unknown) {
        schema = resolve(schema);
        if (schema == null || value == null) {
            return;
        }
        if (value.isObject()) {
            JsonNode properties = schema.get("properties");
            JsonNode additional = schema.get("additionalProperties");
            if (properties == null && additional == null) {
                return; // a free-form object (RawExtension, FieldsV1): anything goes
            }
            for (Map.Entry<String, JsonNode> field : value.properties()) {
                String child = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
                JsonNode fieldSchema = properties != null ? properties.get(field.getKey()) : additional;
                if (fieldSchema == null) {
                    unknown.add(child);
                } else {
                    walk(fieldSchema, field.getValue(), child, unknown);
                }
            }
        } else if (value.isArray() && schema.has("items")) {
            for (int i = 0; i < value.size(); i++) {
                walk(schema.get("items"), value.get(i), path + "[" + i + "]", unknown);
            }
        }
    }

    /** Follows allOf wrappers and $refs to the schema that declares the value's shape. */
    private JsonNode resolve(JsonNode schema) {
        for (int depth = 0; schema != null && depth < MAX_REF_DEPTH; depth++) {
            if (schema.has("allOf")) {
                schema = schema.get("allOf").get(0);
            } else if (schema.has("$ref")) {
                schema = schemas.get(schema.get("$ref").asText().substring(SchemaNames.REF_PREFIX.length()));
            } else {
                return schema;
            }
        }
        return null;
    }
}
