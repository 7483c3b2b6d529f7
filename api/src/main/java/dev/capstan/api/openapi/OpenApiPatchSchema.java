package dev.capstan.api.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import dev.capstan.api.patch.PatchSchema;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Strategic merge patch's view of the served OpenAPI v3 schemas: the merge keys and strategies are the
 * {@code x-kubernetes-patch-merge-key} and {@code x-kubernetes-patch-strategy} extensions kubectl reads from the same
 * documents, so server and client agree on them. Lookups follow upstream's {@code PatchMetaFromOpenAPIV3}
 * (strategicpatch/meta.go): the extensions sit on the property, whose schema is reached through its {@code allOf}
 * wrapper and {@code $ref}; map values are reached through {@code additionalProperties}.
 *
 * <p>A position is built the first time a patch reaches it and kept: the documents are immutable once built, so one
 * kind's positions serve every later request.
 */
public final class OpenApiPatchSchema implements PatchSchema {
    private static final int MAX_REF_DEPTH = 16;

    private final JsonNode components;
    private final JsonNode schema;
    private final String mergeKey;
    private final Set<Strategy> strategies;
    private final ConcurrentHashMap<String, PatchSchema> fields = new ConcurrentHashMap<>();
    private volatile PatchSchema items;
    private volatile PatchSchema values;

    /**
     * @param components the {@code components.schemas} node references resolve against
     * @param property the schema where the position's extensions are (a property, list items, or a kind's schema)
     */
    private OpenApiPatchSchema(JsonNode components, JsonNode property) {
        this.components = components;
        this.mergeKey = property.path("x-kubernetes-patch-merge-key").asText("");
        this.strategies =
                strategies(property.path("x-kubernetes-patch-strategy").asText(""));
        this.schema = resolve(components, property);
    }

    /**
     * The strategic-merge-patch schema of a served kind, or empty when the documents have no schema for it (a
     * custom resource, say); cached per kind by {@code docs}.
     */
    public static Optional<PatchSchema> forKind(OpenApiDocuments docs, String group, String version, String kind) {
        return docs.patchSchema(group, version, kind);
    }

    /** The position of a whole object of the named component schema. */
    static PatchSchema root(JsonNode components, String schemaName) {
        return new OpenApiPatchSchema(components, components.get(schemaName));
    }

    @Override
    public PatchSchema field(String name) {
        JsonNode property = schema.path("properties").get(name);
        if (property != null) {
            return fields.computeIfAbsent(name, n -> new OpenApiPatchSchema(components, property));
        }
        JsonNode additional = schema.get("additionalProperties");
        if (additional != null && additional.isObject()) {
            PatchSchema result = values;
            if (result == null) {
                result = new OpenApiPatchSchema(components, additional);
                values = result;
            }
            return result;
        }
        return NONE;
    }

    @Override
    public PatchSchema items() {
        JsonNode itemSchema = schema.get("items");
        if (itemSchema == null || !itemSchema.isObject()) {
            return NONE;
        }
        PatchSchema result = items;
        if (result == null) {
            result = new OpenApiPatchSchema(components, itemSchema);
            items = result;
        }
        return result;
    }

    @Override
    public String mergeKey() {
        return mergeKey;
    }

    @Override
    public Set<Strategy> strategies() {
        return strategies;
    }

    @Override
    public String type() {
        String type = schema.path("type").asText("");
        return type.isEmpty() && schema.has("properties") ? "object" : type;
    }

    @Override
    public String toString() {
        return "OpenApiPatchSchema" + schema;
    }

    /** The comma-separated strategies; unknown names are ignored, as upstream only acts on the ones it knows. */
    private static Set<Strategy> strategies(String extension) {
        Set<Strategy> result = EnumSet.noneOf(Strategy.class);
        for (String part : extension.split(",")) {
            switch (part.trim()) {
                case "merge" -> result.add(Strategy.MERGE);
                case "replace" -> result.add(Strategy.REPLACE);
                case "retainKeys" -> result.add(Strategy.RETAIN_KEYS);
                default -> {}
            }
        }
        if (result.contains(Strategy.MERGE) && result.contains(Strategy.REPLACE)) {
            throw new IllegalStateException("unexpected patch strategy: " + extension);
        }
        return Set.copyOf(result);
    }

    /** Follows {@code allOf} wrappers and {@code $ref}s to the schema that declares the value's shape. */
    private static JsonNode resolve(JsonNode components, JsonNode schema) {
        JsonNode current = schema;
        for (int depth = 0; depth < MAX_REF_DEPTH; depth++) {
            if (current.has("allOf")) {
                current = current.get("allOf").get(0);
            } else if (current.has("$ref")) {
                String ref = current.get("$ref").asText();
                JsonNode target = components.get(ref.substring(SchemaNames.REF_PREFIX.length()));
                if (target == null) {
                    throw new IllegalStateException("unable to resolve " + ref + " in OpenAPI V3");
                }
                current = target;
            } else {
                return current;
            }
        }
        throw new IllegalStateException("too many references from " + schema);
    }
}
