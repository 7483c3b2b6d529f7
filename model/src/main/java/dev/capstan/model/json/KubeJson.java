package dev.capstan.model.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/**
 * The one Jackson mapper of Capstan, and small helpers on JSON trees. Trailing tokens fail a parse (a body is one
 * document), and floats read as BigDecimal so that no number is rounded on its way through.
 */
public final class KubeJson {
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            // fabric8 types a Lease's MicroTimes as ZonedDateTime (with their wire pattern)
            .addModule(new com.fasterxml.jackson.datatype.jsr310.JavaTimeModule())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    /*
     * Converting a tree has no trailing tokens to refuse, but fabric8's Quantity deserializer reads a nested tree
     * through the mapper, which FAIL_ON_TRAILING_TOKENS would then fail mid-document. Conversions use this copy.
     */
    private static final ObjectMapper CONVERTER = MAPPER.copy().disable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private KubeJson() {}

    /**
     * A reader of typed objects (fabric8 classes) from bytes: as {@link #MAPPER}, but without the trailing-token
     * check that fabric8's Quantity deserializer trips over (see {@code CONVERTER}). A caller that needs one document
     * checks that with {@link #readTree} first.
     */
    public static com.fasterxml.jackson.databind.ObjectReader typedReader(Class<?> type) {
        return CONVERTER.readerFor(type);
    }

    public static ObjectNode object() {
        return JsonNodeFactory.instance.objectNode();
    }

    public static ArrayNode array() {
        return JsonNodeFactory.instance.arrayNode();
    }

    /**
     * Parses bytes that must hold one JSON object.
     *
     * @throws IllegalArgumentException with the parser's first-line reason; at the API edge that is a 400
     */
    public static ObjectNode parseObject(byte[] bytes) {
        if (!(readTree(bytes) instanceof ObjectNode object)) {
            throw new IllegalArgumentException("the request body must be a JSON object");
        }
        return object;
    }

    /**
     * Parses one JSON document of any kind.
     *
     * @throws IllegalArgumentException "the request body is not valid JSON: " and the parser's first-line reason
     */
    public static JsonNode readTree(byte[] bytes) {
        try {
            JsonNode node = MAPPER.readTree(bytes);
            if (node == null || node.isMissingNode()) {
                throw new IllegalArgumentException("the request body is not valid JSON: no content");
            }
            return node;
        } catch (IOException e) {
            throw new IllegalArgumentException("the request body is not valid JSON: " + firstLine(e.getMessage()), e);
        }
    }

    public static byte[] bytes(JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            // a tree always serialises; this is a bug, not bad input
            throw new IllegalStateException(e);
        }
    }

    /** The object's metadata, created empty when absent. */
    public static ObjectNode metadata(ObjectNode object) {
        return child(object, "metadata");
    }

    /** The object field {@code field} of {@code parent}, created empty when absent or not an object. */
    public static ObjectNode child(ObjectNode parent, String field) {
        return parent.get(field) instanceof ObjectNode o ? o : parent.putObject(field);
    }

    /**
     * The text at a dotted path such as {@code spec.nodeName}, or "" when absent or null (as field selectors see a
     * Go zero value); an object or array reads as its JSON text.
     */
    public static String text(JsonNode node, String dottedPath) {
        JsonNode current = node;
        for (String part : dottedPath.split("\\.")) {
            if (current == null) {
                return "";
            }
            current = current.get(part);
        }
        if (current == null || current.isNull()) {
            return "";
        }
        return current.isValueNode() ? current.asText() : current.toString();
    }

    /**
     * A tree as a typed object, e.g. a fabric8 {@code PodSpec}.
     *
     * @throws IllegalArgumentException when the tree does not fit the type
     */
    public static <T> T convert(JsonNode node, Class<T> type) {
        return CONVERTER.convertValue(node, type);
    }

    /** A typed object (e.g. a fabric8 model object) as a tree. */
    public static JsonNode tree(Object value) {
        return CONVERTER.valueToTree(value);
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "malformed";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
