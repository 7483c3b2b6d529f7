package dev.capstan.api.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.ApiException;
import dev.capstan.api.Json;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;

/** Applies the patch formats kube-apiserver accepts: JSON patch, merge patch and strategic merge patch. */
public final class Patches {
    public static final String JSON_PATCH = "application/json-patch+json";
    public static final String MERGE_PATCH = "application/merge-patch+json";
    public static final String STRATEGIC_MERGE_PATCH = "application/strategic-merge-patch+json";
    public static final String APPLY_PATCH = "application/apply-patch+yaml";

    /**
     * How deep a patched object may nest: the depth every JSON body is read with (Jackson's default nesting limit;
     * upstream's JSON decoder allows 10,000).
     */
    static final int MAX_DEPTH = 1000;

    private Patches() {}

    /**
     * Applies a PATCH body without schema information: JSON patch and merge patch only; a strategic merge patch is
     * answered 415 as for a resource without a schema. Same as {@code apply(contentType, target, body,
     * Optional.empty())}.
     */
    public static ObjectNode apply(String contentType, ObjectNode target, byte[] body) {
        return apply(contentType, target, body, Optional.empty());
    }

    /**
     * Applies a PATCH body to an object, as kube-apiserver's patch handler does before admission and validation.
     *
     * <p>Contract:
     *
     * <ul>
     *   <li>{@code contentType} is the request's media type; parameters ({@code ; charset=utf-8}) are ignored.
     *       {@link #JSON_PATCH} (RFC 6902), {@link #MERGE_PATCH} (RFC 7386) and {@link #STRATEGIC_MERGE_PATCH} are
     *       applied; any other type is a 415 UnsupportedMediaType.
     *   <li>{@code target} is the object as stored; it is never modified. The result is a new object.
     *   <li>{@code schema} is the kind's strategic-merge-patch schema, e.g. from
     *       {@code OpenApiPatchSchema.forKind(documents, group, version, kind)}; it is used only for
     *       {@link #STRATEGIC_MERGE_PATCH}. When it is empty (a resource without a schema, such as a custom resource)
     *       a strategic merge patch is answered 415 UnsupportedMediaType with upstream's message, before the body is
     *       read, as kube-apiserver answers it for custom resources.
     *   <li>A strategic merge patch follows k8s.io/apimachinery strategicpatch of Kubernetes 1.32 (see
     *       {@link StrategicMergePatch}). Its body must be a JSON object ({@code null} changes nothing); a malformed
     *       body or patch is a 400 BadRequest with upstream's message, a list of lists a 422 Invalid. The result is
     *       upstream's merged map: like a PUT body, it still needs the caller's decoding checks (unknown fields,
     *       kind, name, validation), which is where upstream drops what a typed object has no field for.
     *   <li>All failures are {@link ApiException}s carrying the Status to answer.
     * </ul>
     */
    public static ObjectNode apply(String contentType, ObjectNode target, byte[] body, Optional<PatchSchema> schema) {
        String type = mediaType(contentType);
        if (type.equals(STRATEGIC_MERGE_PATCH) && schema.isEmpty()) {
            throw new ApiException(
                    415,
                    "UnsupportedMediaType",
                    "the body of the request was in an unknown format - accepted media types include: " + JSON_PATCH
                            + ", " + MERGE_PATCH + ", " + APPLY_PATCH,
                    null);
        }
        JsonNode patch;
        try {
            patch = Json.MAPPER.readTree(body);
        } catch (IOException e) {
            throw ApiException.badRequest("the patch is not valid JSON: " + e.getMessage());
        }
        JsonNode result = switch (type) {
            case JSON_PATCH -> JsonPatch.apply(target.deepCopy(), patch);
            case MERGE_PATCH -> mergePatch(target.deepCopy(), patch);
            case STRATEGIC_MERGE_PATCH -> strategicMergePatch(target, patch, schema.orElseThrow());
            default ->
                throw new ApiException(
                        415,
                        "UnsupportedMediaType",
                        "the server does not yet support the patch type " + contentType
                                + "; use application/json-patch+json, application/merge-patch+json or "
                                + "application/strategic-merge-patch+json",
                        null);
        };
        if (!(result instanceof ObjectNode object)) {
            throw ApiException.badRequest("the patch must leave a JSON object");
        }
        // A JSON patch can place a value deeper than any body may nest; such an object could not be read back.
        if (JsonSize.deeperThan(object, MAX_DEPTH)) {
            throw new ApiException(
                    422, "Invalid", "the patched object nests deeper than " + MAX_DEPTH + " levels", Json.object());
        }
        return object;
    }

    /** The body must decode into a Go map[string]interface{}, as upstream's patch handler decodes it. */
    private static ObjectNode strategicMergePatch(ObjectNode target, JsonNode patch, PatchSchema schema) {
        if (patch == null || patch.isMissingNode()) {
            throw ApiException.badRequest("the patch is not valid JSON: unexpected end of JSON input");
        }
        if (patch.isNull()) {
            return target.deepCopy();
        }
        if (!(patch instanceof ObjectNode object)) {
            String goType =
                    patch.isArray() ? "array" : patch.isTextual() ? "string" : patch.isBoolean() ? "bool" : "number";
            throw ApiException.badRequest(
                    "json: cannot unmarshal " + goType + " into Go value of type map[string]interface {}");
        }
        return StrategicMergePatch.apply(target, object, schema);
    }

    private static String mediaType(String contentType) {
        if (contentType == null) {
            return "";
        }
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim();
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
