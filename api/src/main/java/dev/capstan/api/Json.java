package dev.capstan.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.model.json.KubeJson;

/**
 * The API server's view of {@link KubeJson}, the one mapper: the same helpers, with a malformed request body turned
 * into the API's 400 and unreadable stored bytes into an internal error.
 */
public final class Json {
    public static final ObjectMapper MAPPER = KubeJson.MAPPER;

    private Json() {}

    public static ObjectNode object() {
        return KubeJson.object();
    }

    /** Parses a request body that must be a JSON object; malformed input is a 400 with the parser's reason. */
    public static ObjectNode parseObject(byte[] body) {
        try {
            return KubeJson.parseObject(body);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }

    /** Reads what the server itself stored; failure here means corrupt storage, not bad input. */
    public static ObjectNode readStored(byte[] bytes) {
        try {
            return KubeJson.parseObject(bytes);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("stored object is not JSON", e);
        }
    }

    public static byte[] bytes(JsonNode node) {
        return KubeJson.bytes(node);
    }

    /** The text at a dotted path such as {@code spec.nodeName}, or "" when absent (as field selectors see it). */
    public static String text(JsonNode node, String dottedPath) {
        return KubeJson.text(node, dottedPath);
    }

    public static ObjectNode metadata(ObjectNode object) {
        return KubeJson.metadata(object);
    }
}
