package dev.capstan.api.handlers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.ApiException;
import dev.capstan.api.Json;
import dev.capstan.api.decode.GoType;
import dev.capstan.api.decode.JsonTree;
import dev.capstan.api.decode.StrictDecoder;
import dev.capstan.api.decode.StrictDecoder.DecodeError;
import dev.capstan.api.openapi.OpenApiDocuments;
import dev.capstan.api.protobuf.ProtobufBodies;
import dev.capstan.api.registry.ResourceType;
import dev.capstan.api.request.FieldValidation;
import dev.capstan.api.request.RequestContext;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The decoding stage of every write, as upstream's JSON serializer and its callers in the handlers do it: the body's
 * media type; apiVersion and kind read first (meta.go's Interpret) and matched to the endpoint; every value decoded
 * against the kind's Go types ({@link StrictDecoder}), so a wrongly typed body is a 400 before anything else runs;
 * unknown and duplicate fields as {@code fieldValidation} asks (Strict refuses them, Warn warns, Ignore is silent),
 * unknown fields dropped in every case, as Go's structs drop them. Protobuf bodies are typed already.
 */
public final class BodyDecoder {
    /** The scheme upstream's "no kind is registered" errors name (runtime.NewScheme's call site). */
    private static final String SCHEME = "k8s.io/kubernetes/pkg/api/legacyscheme/scheme.go:29";

    private final OpenApiDocuments openApi;

    public BodyDecoder(OpenApiDocuments openApi) {
        this.openApi = openApi;
    }

    /** An object of {@code type}'s kind, as POST and PUT send it; its apiVersion and kind are filled when absent. */
    public ObjectNode decodeObject(RequestContext ctx, ResourceType type, Body body) {
        if (isProtobuf(body)) {
            ObjectNode object = parseProtobuf(body);
            checkProtobufTypeMeta(type, object);
            return object;
        }
        JsonTree tree = parseJson(body);
        ObjectNode object = tree.root();
        Gvk actual =
                interpret(type.kind(), body.bytes(), object).withDefaults(type.group(), type.version(), type.kind());
        Optional<GoType> goType = openApi.goType(actual.group(), actual.version(), actual.kind());
        String prefix =
                actual.kind() + " in version \"" + actual.version() + "\" cannot be handled as a " + type.kind() + ": ";
        if (goType.isEmpty()) {
            throw ApiException.badRequest(prefix + "no kind \"" + actual.kind() + "\" is registered for version \""
                    + actual.groupVersion() + "\" in scheme \"" + SCHEME + "\"");
        }
        StrictDecoder.Outcome outcome;
        try {
            outcome = StrictDecoder.decode(goType.get(), tree);
        } catch (DecodeError e) {
            throw ApiException.badRequest(prefix + e.getMessage());
        }
        if (!actual.kind().equals(type.kind())) {
            // decoded as its own kind, then the conversion to the endpoint's internal type has no function for it
            throw ApiException.badRequest(prefix + "converting (" + actual.version() + "." + actual.kind() + ") to ("
                    + internalPackage(type.group()) + "." + type.kind() + "): unknown conversion");
        }
        if (!actual.group().equals(type.group()) || !actual.version().equals(type.version())) {
            throw ApiException.badRequest("the API version in the data (" + actual.groupVersion()
                    + ") does not match the expected API version (" + type.groupVersion() + ")");
        }
        if (ctx.fieldValidation() == FieldValidation.STRICT
                && !outcome.strictErrors().isEmpty()) {
            throw ApiException.badRequest(prefix + strictError(outcome.strictErrors()));
        }
        warn(ctx, outcome.strictErrors());
        object.put("apiVersion", type.groupVersion());
        object.put("kind", type.kind());
        return object;
    }

    /**
     * A body of another kind (Scale, Binding), decoded against that kind's schema as {@link #decodeObject} decodes a
     * resource's; the caller checks its content.
     */
    public ObjectNode decodeOther(RequestContext ctx, String group, String version, String kind, Body body) {
        if (isProtobuf(body)) {
            return parseProtobuf(body);
        }
        JsonTree tree = parseJson(body);
        Optional<GoType> goType = openApi.goType(group, version, kind);
        if (goType.isEmpty()) {
            return tree.root();
        }
        Gvk actual = interpret(kind, body.bytes(), tree.root()).withDefaults(group, version, kind);
        String prefix =
                actual.kind() + " in version \"" + actual.version() + "\" cannot be handled as a " + kind + ": ";
        try {
            StrictDecoder.Outcome outcome = StrictDecoder.decode(goType.get(), tree);
            if (ctx.fieldValidation() == FieldValidation.STRICT
                    && !outcome.strictErrors().isEmpty()) {
                throw ApiException.badRequest(prefix + strictError(outcome.strictErrors()));
            }
            warn(ctx, outcome.strictErrors());
        } catch (DecodeError e) {
            throw ApiException.badRequest(prefix + e.getMessage());
        }
        return tree.root();
    }

    /**
     * A patch's result decoded as upstream's patcher decodes it: a value of the wrong type, or under Strict an unknown
     * field, is a 422 on the field {@code patch}; under Warn unknown fields are warned about; they are dropped.
     */
    public void decodePatched(RequestContext ctx, String group, String version, String kind, ObjectNode patched) {
        Optional<GoType> goType = openApi.goType(group, version, kind);
        if (goType.isEmpty()) {
            return;
        }
        StrictDecoder.Outcome outcome;
        try {
            outcome = StrictDecoder.decode(goType.get(), JsonTree.of(patched));
        } catch (DecodeError e) {
            throw ApiException.invalidPatch(quoted(patched), e.getMessage());
        }
        if (ctx.fieldValidation() == FieldValidation.STRICT
                && !outcome.strictErrors().isEmpty()) {
            throw ApiException.invalidPatch(quoted(patched), strictError(outcome.strictErrors()));
        }
        warn(ctx, outcome.strictErrors());
    }

    /**
     * The patched document as upstream quotes it in the error (Go marshals its maps with sorted keys); made only for
     * an error, as it costs a copy and a serialisation of the whole object.
     */
    private static String quoted(ObjectNode patched) {
        return Json.MAPPER.valueToTree(sorted(patched)).toString();
    }

    private static void warn(RequestContext ctx, List<String> strictErrors) {
        if (ctx.fieldValidation() == FieldValidation.WARN) {
            strictErrors.forEach(ctx::warn);
        }
    }

    private static String strictError(List<String> errors) {
        return "strict decoding error: " + String.join(", ", errors);
    }

    private record Gvk(String group, String version, String kind) {
        /** Upstream's gvkWithDefaults: what the body leaves out comes from the endpoint. */
        Gvk withDefaults(String defaultGroup, String defaultVersion, String defaultKind) {
            String k = kind.isEmpty() ? defaultKind : kind;
            if (version.isEmpty() && (group.isEmpty() || group.equals(defaultGroup))) {
                return new Gvk(defaultGroup, defaultVersion, k);
            }
            return new Gvk(group, version, k);
        }

        String groupVersion() {
            return group.isEmpty() ? version : group + "/" + version;
        }
    }

    /**
     * Upstream's SimpleMetaFactory.Interpret: apiVersion and kind must be strings; apiVersion at most one "/". Its
     * errors reach the client as "the object provided is unrecognized".
     */
    private static Gvk interpret(String endpointKind, byte[] body, ObjectNode object) {
        String apiVersion = "";
        String kind = "";
        for (Map.Entry<String, JsonNode> field : object.properties()) {
            boolean isVersion = field.getKey().equals("apiVersion");
            if (!isVersion && !field.getKey().equals("kind")) {
                continue;
            }
            JsonNode value = field.getValue();
            if (!value.isTextual() && !value.isNull()) {
                throw unrecognized(
                        endpointKind,
                        "couldn't get version/kind; json parse error: json: cannot unmarshal "
                                + StrictDecoder.kindOf(value) + " into Go struct field ." + field.getKey()
                                + " of type string",
                        body);
            }
            if (isVersion) {
                apiVersion = value.asText("");
            } else {
                kind = value.asText("");
            }
        }
        String[] parts = apiVersion.split("/", -1);
        if (parts.length > 2) {
            throw unrecognized(endpointKind, "unexpected GroupVersion string: " + apiVersion, body);
        }
        return parts.length == 2 ? new Gvk(parts[0], parts[1], kind) : new Gvk("", apiVersion, kind);
    }

    private static ApiException unrecognized(String kind, String error, byte[] body) {
        return ApiException.badRequest("the object provided is unrecognized (must be of type " + kind + "): " + error
                + " (" + summary(body) + ")");
    }

    /** Upstream's summarizeData(body, 30). */
    private static String summary(byte[] body) {
        if (body.length == 0) {
            return "<empty>";
        }
        int length = Math.min(body.length, 30);
        String more = body.length > 30 ? " ..." : "";
        if (body[0] == '{') {
            return new String(body, 0, length, StandardCharsets.UTF_8) + more;
        }
        return HexFormat.of().formatHex(body, 0, length) + more;
    }

    /** The Go package of a group's internal types: "core" for the legacy group, else the group's first label. */
    private static String internalPackage(String group) {
        if (group.isEmpty()) {
            return "core";
        }
        int dot = group.indexOf('.');
        return dot < 0 ? group : group.substring(0, dot);
    }

    private static JsonNode sorted(JsonNode node) {
        if (node.isObject()) {
            Map<String, JsonNode> fields = new TreeMap<>();
            node.properties().forEach(e -> fields.put(e.getKey(), sorted(e.getValue())));
            ObjectNode out = Json.object();
            fields.forEach(out::set);
            return out;
        }
        if (node.isArray()) {
            var out = Json.MAPPER.createArrayNode();
            node.forEach(e -> out.add(sorted(e)));
            return out;
        }
        return node;
    }

    /**
     * An options body (DeleteOptions) as sent: JSON, or protobuf from kubectl's typed clients ({@code drain} deletes
     * with one); other media types get 415.
     */
    public static ObjectNode decodeOptions(Body body) {
        return isProtobuf(body) ? parseProtobuf(body) : parseJson(body).root();
    }

    private static boolean isProtobuf(Body body) {
        return body.contentType().equals(ProtobufBodies.MEDIA_TYPE);
    }

    private static ObjectNode parseProtobuf(Body body) {
        try {
            return ProtobufBodies.decode(body.bytes());
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("the protobuf body could not be decoded: " + e.getMessage());
        }
    }

    private static JsonTree parseJson(Body body) {
        String contentType = body.contentType();
        // kubectl's `scale --current-replicas` PUTs a Scale with no Content-Type at all: JSON is the default.
        if (!contentType.isEmpty() && !contentType.equals("application/json")) {
            throw new ApiException(
                    415,
                    "UnsupportedMediaType",
                    "the body of the request was in an unknown format - accepted media types include: application/json,"
                            + " application/vnd.kubernetes.protobuf (got " + contentType + ")",
                    null);
        }
        try {
            return JsonTree.parse(body.bytes());
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }

    /** A protobuf body names its kind in its envelope; it must be the endpoint's. */
    private static void checkProtobufTypeMeta(ResourceType type, ObjectNode body) {
        String apiVersion = body.path("apiVersion").asText("");
        String kind = body.path("kind").asText("");
        if (!apiVersion.isEmpty() && !apiVersion.equals(type.groupVersion())) {
            throw ApiException.badRequest("the API version in the data (" + apiVersion
                    + ") does not match the expected API version (" + type.groupVersion() + ")");
        }
        if (!kind.isEmpty() && !kind.equals(type.kind())) {
            throw ApiException.badRequest(kind + " in version \"" + type.version() + "\" cannot be handled as a "
                    + type.kind() + ": converting (" + type.version() + "." + kind + ") to ("
                    + internalPackage(type.group()) + "." + type.kind() + "): unknown conversion");
        }
        body.put("apiVersion", type.groupVersion());
        body.put("kind", type.kind());
    }
}
