package dev.capstan.api.handlers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.ApiException;
import dev.capstan.api.Json;
import dev.capstan.api.openapi.OpenApiDocuments;
import dev.capstan.api.protobuf.ProtobufBodies;
import dev.capstan.api.registry.ResourceType;
import dev.capstan.api.request.FieldValidation;
import dev.capstan.api.request.RequestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The decoding stage of every write: the body's media type, JSON or Kubernetes protobuf into the object tree, its
 * apiVersion and kind against the endpoint's, and the fields the kind's schema lacks as {@code fieldValidation}
 * asks (Strict refuses them, Warn answers with a warning per field). Stricter checks of the body against the schema
 * belong here too.
 */
public final class BodyDecoder {
    private final OpenApiDocuments openApi;

    public BodyDecoder(OpenApiDocuments openApi) {
        this.openApi = openApi;
    }

    /** An object of {@code type}'s kind, as POST and PUT send it; its apiVersion and kind are filled when absent. */
    public ObjectNode decodeObject(RequestContext ctx, ResourceType type, Body body) {
        ObjectNode object = parse(body);
        checkTypeMeta(type, object);
        checkFields(ctx, type, List.of(), openApi.unknownFields(type.group(), type.version(), type.kind(), object));
        return object;
    }

    /** A body of another kind (Scale, Binding, DeleteOptions): parsed, not checked against the resource's schema. */
    public ObjectNode decodeOther(Body body) {
        return parse(body);
    }

    /** fieldValidation for a PATCH: the unknown fields the patch brings into the object it was applied to. */
    public void checkPatched(RequestContext ctx, ResourceType type, ObjectNode before, ObjectNode after) {
        if (ctx.fieldValidation() == FieldValidation.IGNORE) {
            return;
        }
        List<String> had = openApi.unknownFields(type.group(), type.version(), type.kind(), before);
        checkFields(ctx, type, had, openApi.unknownFields(type.group(), type.version(), type.kind(), after));
    }

    private static ObjectNode parse(Body body) {
        String contentType = body.contentType();
        if (contentType.equals(ProtobufBodies.MEDIA_TYPE)) {
            try {
                return ProtobufBodies.decode(body.bytes());
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("the protobuf body could not be decoded: " + e.getMessage());
            }
        }
        // kubectl's `scale --current-replicas` PUTs a Scale with no Content-Type at all: JSON is the default.
        if (contentType.isEmpty() || contentType.equals("application/json")) {
            return Json.parseObject(body.bytes());
        }
        throw new ApiException(
                415,
                "UnsupportedMediaType",
                "the body of the request was in an unknown format - accepted media types include: application/json,"
                        + " application/vnd.kubernetes.protobuf (got " + contentType + ")",
                null);
    }

    private static void checkTypeMeta(ResourceType type, ObjectNode body) {
        String apiVersion = body.path("apiVersion").asText("");
        String kind = body.path("kind").asText("");
        if (!apiVersion.isEmpty() && !apiVersion.equals(type.groupVersion())) {
            throw ApiException.badRequest("the API version in the data (" + apiVersion
                    + ") does not match the expected API version (" + type.groupVersion() + ")");
        }
        if (!kind.isEmpty() && !kind.equals(type.kind())) {
            throw ApiException.badRequest(
                    "the kind in the data (" + kind + ") does not match the expected kind (" + type.kind() + ")");
        }
        body.put("apiVersion", type.groupVersion());
        body.put("kind", type.kind());
    }

    private static void checkFields(RequestContext ctx, ResourceType type, List<String> known, List<String> found) {
        if (ctx.fieldValidation() == FieldValidation.IGNORE) {
            return;
        }
        List<String> unknown = new ArrayList<>(found);
        unknown.removeAll(known);
        if (unknown.isEmpty()) {
            return;
        }
        if (ctx.fieldValidation() == FieldValidation.STRICT) {
            throw ApiException.badRequest("strict decoding error: "
                    + unknown.stream().map(f -> "unknown field \"" + f + "\"").collect(Collectors.joining(", ")));
        }
        unknown.forEach(f -> ctx.warn("unknown field \"" + f + "\""));
    }
}
