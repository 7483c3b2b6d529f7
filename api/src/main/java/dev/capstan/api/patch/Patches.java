package dev.capstan.api.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.ApiException;
import dev.capstan.api.Json;
import java.io.IOException;
import java.util.Map;

/** Applies the patch formats kube-apiserver accepts for every resource. */
public final class Patches {
    public static final String JSON_PATCH = "application/json-patch+json";
    public static final String MERGE_PATCH = "application/merge-patch+json";
    public static final String STRATEGIC_MERGE_PATCH = "application/strategic-merge-patch+json";
    public static final String APPLY_PATCH = "application/apply-patch+yaml";

    private Patches() {}

    public static ObjectNode apply(String contentType, ObjectNode target, byte[] body) {
        JsonNode patch;
        try {
            patch = Json.MAPPER.readTree(body);
        } catch (IOException e) {
            throw ApiException.badRequest("the patch is not valid JSON: " + e.getMessage());
        }
        JsonNode result = switch (contentType) {
            case JSON_PATCH -> JsonPatch.apply(target.deepCopy(), patch);
            case MERGE_PATCH -> mergePatch(target.deepCopy(), patch);
            default ->
                throw new ApiException(
                        415,
                        "UnsupportedMediaType",
                        "the server does not yet support the patch type " + contentType
                                + "; use application/json-patch+json or application/merge-patch+json",
                        null);
        };
        if (!(result instanceof ObjectNode object)) {
            throw ApiException.badRequest("the patch must leave a JSON object");
        }
        return object;
    }

    /** RFC 7386: objects merge recursively, null removes, anything else replaces. */
    public static JsonNode mergePatch(JsonNode target, JsonNode patch) {
        if (!patch.isObject()) {
            return patch.deepCopy();
        }
        ObjectNode result = target != null && target.isObject() ? (ObjectNode) target : Json.object();
        for (Map.Entry<String, JsonNode> field : patch.properties()) {
            if (field.getValue().isNull()) {
                result.remove(field.getKey());
            } else {
                result.set(field.getKey(), mergePatch(result.get(field.getKey()), field.getValue()));
            }
        }
        return result;
    }

    /** Whether {@code node} is a JSON array of operations (a JSON Patch) — for a clear error otherwise. */
    static ArrayNode operations(JsonNode patch) {
        if (!(patch instanceof ArrayNode ops)) {
            throw ApiException.badRequest("a JSON patch must be an array of operations");
        }
        return ops;
    }
}
