package dev.capstan.api.openapi;

import com.fasterxml.jackson.databind.JsonNode;

/** Test helper: walks a document's schemas the way kubectl does (allOf first element, then $ref). */
final class Schemas {
    private Schemas() {}

    static JsonNode schemas(JsonNode document) {
        return document.path("components").path("schemas");
    }

    /** The property schema (with its extensions) at the given path below a named schema. */
    static JsonNode property(JsonNode document, String schemaName, String... path) {
        JsonNode current = schemas(document).get(schemaName);
        JsonNode property = current;
        for (String name : path) {
            current = resolve(document, current);
            if (current.has("items")) {
                current = resolve(document, current.get("items"));
            }
            property = current.path("properties").get(name);
            if (property == null) {
                throw new AssertionError("no property " + name + " in " + current);
            }
            current = property;
        }
        return property;
    }

    static JsonNode resolve(JsonNode document, JsonNode schema) {
        while (true) {
            if (schema.has("allOf")) {
                schema = schema.get("allOf").get(0);
            } else if (schema.has("$ref")) {
                String ref = schema.get("$ref").asText();
                schema = schemas(document).get(ref.substring("#/components/schemas/".length()));
            } else {
                return schema;
            }
        }
    }
}
