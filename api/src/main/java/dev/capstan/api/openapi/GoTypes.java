package dev.capstan.api.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import dev.capstan.api.decode.GoType;
import dev.capstan.api.decode.GoType.Kind;
import java.util.HashMap;
import java.util.Map;

/**
 * Compiles a kind's schema into the {@link GoType} tree strict decoding walks: the JSON names, types and formats the
 * schemas were generated with become Go's view of each field, once per kind.
 */
final class GoTypes {
    /**
     * Map fields upstream types map[string][]byte (base64 in JSON) that fabric8 models as strings, so their schemas
     * lack {@code format: byte}.
     */
    private static final java.util.Set<String> BYTE_MAPS =
            java.util.Set.of("io.k8s.api.core.v1.Secret.data", "io.k8s.api.core.v1.ConfigMap.binaryData");

    private final JsonNode schemas;
    private final Map<String, GoType> byName = new HashMap<>();

    /** @param schemas the {@code components.schemas} node references resolve against */
    GoTypes(JsonNode schemas) {
        this.schemas = schemas;
    }

    GoType named(String schemaName) {
        GoType known = byName.get(schemaName);
        if (known != null) {
            return known;
        }
        switch (schemaName) {
            case SchemaNames.TIME -> {
                return remember(schemaName, new GoType.Scalar(Kind.TIME));
            }
            case SchemaNames.MICRO_TIME -> {
                return remember(schemaName, new GoType.Scalar(Kind.MICRO_TIME));
            }
            case SchemaNames.QUANTITY -> {
                return remember(schemaName, new GoType.Scalar(Kind.QUANTITY));
            }
            case SchemaNames.INT_OR_STRING -> {
                return remember(schemaName, new GoType.Scalar(Kind.INT_OR_STRING));
            }
            case SchemaNames.RAW_EXTENSION -> {
                return remember(schemaName, GoType.ANY);
            }
            default -> {}
        }
        JsonNode schema = schemas.get(schemaName);
        if (schema == null) {
            return GoType.ANY;
        }
        JsonNode properties = schema.get("properties");
        if (properties == null || !properties.isObject()) {
            return remember(schemaName, type(schema));
        }
        GoType.Struct struct = new GoType.Struct(goName(schemaName), simpleName(schemaName));
        byName.put(schemaName, struct); // before the fields: a type may contain itself
        properties
                .properties()
                .forEach(p -> struct.fields()
                        .put(
                                p.getKey(),
                                BYTE_MAPS.contains(schemaName + "." + p.getKey())
                                        ? new GoType.MapOf(new GoType.Scalar(Kind.BYTES))
                                        : type(p.getValue())));
        return struct;
    }

    private GoType remember(String name, GoType type) {
        byName.put(name, type);
        return type;
    }

    /** The type of an inline schema or of the schema a reference (or an allOf wrapper) names. */
    private GoType type(JsonNode schema) {
        if (schema.has("allOf")) {
            return type(schema.get("allOf").get(0));
        }
        if (schema.has("$ref")) {
            return named(schema.get("$ref").asText().substring(SchemaNames.REF_PREFIX.length()));
        }
        String format = schema.path("format").asText("");
        return switch (schema.path("type").asText("")) {
            case "string" -> format.equals("byte") ? new GoType.Scalar(Kind.BYTES) : GoType.STRING;
            case "boolean" -> new GoType.Scalar(Kind.BOOL);
            case "integer" -> new GoType.Scalar(format.equals("int32") ? Kind.INT32 : Kind.INT64);
            case "number" -> new GoType.Scalar(format.equals("float") ? Kind.FLOAT32 : Kind.FLOAT64);
            case "array" -> new GoType.Slice(schema.has("items") ? type(schema.get("items")) : GoType.ANY);
            case "object" -> {
                if (schema.has("properties")) {
                    yield GoType.ANY; // an inline struct: the generator makes none
                }
                yield schema.has("additionalProperties")
                        ? new GoType.MapOf(type(schema.get("additionalProperties")))
                        : GoType.ANY; // FieldsV1, free-form objects
            }
            default -> GoType.ANY;
        };
    }

    /** "io.k8s.api.core.v1.Container" is Go's v1.Container (package v1, type Container). */
    private static String goName(String schemaName) {
        int last = schemaName.lastIndexOf('.');
        int previous = schemaName.lastIndexOf('.', last - 1);
        return schemaName.substring(previous + 1);
    }

    private static String simpleName(String schemaName) {
        return schemaName.substring(schemaName.lastIndexOf('.') + 1);
    }
}
