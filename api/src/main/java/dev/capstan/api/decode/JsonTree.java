package dev.capstan.api.decode;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.model.json.KubeJson;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * A request body read into a tree in one pass, keeping what Go's decoder sees and a tree forgets: the keys an object
 * repeats (the last value wins, as in Go) and the text of every non-integer number, which upstream's messages quote
 * ({@code number 1e999999}).
 */
public final class JsonTree {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final ObjectNode root;
    private final Map<ObjectNode, List<String>> repeated;

    private JsonTree(ObjectNode root, Map<ObjectNode, List<String>> repeated) {
        this.root = root;
        this.repeated = repeated;
    }

    /** A tree built elsewhere (a patch's result): nothing repeated, numbers as the tree holds them. */
    public static JsonTree of(ObjectNode root) {
        return new JsonTree(root, Map.of());
    }

    /**
     * Reads one JSON object.
     *
     * @throws IllegalArgumentException worded as {@link KubeJson#parseObject} words it
     */
    public static JsonTree parse(byte[] bytes) {
        Map<ObjectNode, List<String>> repeated = new IdentityHashMap<>();
        try (JsonParser parser = KubeJson.MAPPER.getFactory().createParser(bytes)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw new IllegalArgumentException("the request body is not valid JSON: no content");
            }
            JsonNode value = read(parser, first, repeated);
            if (parser.nextToken() != null) {
                throw new IllegalArgumentException("the request body is not valid JSON: trailing token (of type "
                        + parser.currentToken() + ") found after value");
            }
            if (!(value instanceof ObjectNode object)) {
                throw new IllegalArgumentException("the request body must be a JSON object");
            }
            return new JsonTree(object, repeated);
        } catch (IOException e) {
            throw new IllegalArgumentException("the request body is not valid JSON: " + firstLine(e.getMessage()), e);
        }
    }

    public ObjectNode root() {
        return root;
    }

    /** The keys {@code object} held more than once, each once; empty for most. */
    List<String> repeatedKeys(ObjectNode object) {
        return repeated.isEmpty() ? List.of() : repeated.getOrDefault(object, List.of());
    }

    /** The number as the body wrote it. */
    static String literal(JsonNode number) {
        return number instanceof Literal literal ? literal.text : number.asText();
    }

    private static JsonNode read(JsonParser parser, JsonToken token, Map<ObjectNode, List<String>> repeated)
            throws IOException {
        switch (token) {
            case START_OBJECT -> {
                ObjectNode object = NODES.objectNode();
                for (JsonToken t = parser.nextToken(); t != JsonToken.END_OBJECT; t = parser.nextToken()) {
                    String key = parser.currentName();
                    JsonNode value = read(parser, parser.nextToken(), repeated);
                    if (object.replace(key, value) != null) {
                        List<String> keys = repeated.computeIfAbsent(object, o -> new ArrayList<>());
                        if (!keys.contains(key)) {
                            keys.add(key);
                        }
                    }
                }
                return object;
            }
            case START_ARRAY -> {
                ArrayNode array = NODES.arrayNode();
                for (JsonToken t = parser.nextToken(); t != JsonToken.END_ARRAY; t = parser.nextToken()) {
                    array.add(read(parser, t, repeated));
                }
                return array;
            }
            case VALUE_STRING -> {
                return NODES.textNode(parser.getText());
            }
            case VALUE_NUMBER_INT -> {
                return switch (parser.getNumberType()) {
                    case INT -> NODES.numberNode(parser.getIntValue());
                    case LONG -> NODES.numberNode(parser.getLongValue());
                    default -> NODES.numberNode(parser.getBigIntegerValue());
                };
            }
            case VALUE_NUMBER_FLOAT -> {
                return new Literal(parser.getDecimalValue(), parser.getText());
            }
            case VALUE_TRUE -> {
                return NODES.booleanNode(true);
            }
            case VALUE_FALSE -> {
                return NODES.booleanNode(false);
            }
            case VALUE_NULL -> {
                return NODES.nullNode();
            }
            default -> throw new IOException("unexpected token " + token);
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "malformed";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    /** A decimal that remembers how the body wrote it; stored and compared as any decimal. */
    private static final class Literal extends DecimalNode {
        private final String text;

        Literal(BigDecimal value, String text) {
            super(value);
            this.text = text;
        }
    }
}
