package dev.capstan.model.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Null-safe reads of Kubernetes JSON with Go's zero-value semantics: a missing or null field reads as "", 0, false,
 * an empty list or map, or the zero time. Every read takes a path of field names, so {@code str(pod, "spec",
 * "nodeName")} needs no checks in between; an empty path reads the node itself.
 */
public final class JsonReads {
    /** Go's zero {@code time.Time}, what an absent or unparsable timestamp reads as. */
    public static final Instant ZERO_TIME = Instant.parse("0001-01-01T00:00:00Z");

    private JsonReads() {}

    /** The node at the path, MissingNode when any step is absent. */
    public static JsonNode at(JsonNode node, String... path) {
        JsonNode current = node == null ? MissingNode.getInstance() : node;
        for (String field : path) {
            current = current.path(field);
        }
        return current;
    }

    /** True when the field exists and is not JSON null: a Go pointer that is set. */
    public static boolean has(JsonNode node, String... path) {
        JsonNode n = at(node, path);
        return !n.isMissingNode() && !n.isNull();
    }

    /** The object at the path, or null when absent or not an object. */
    public static ObjectNode obj(JsonNode node, String... path) {
        return at(node, path) instanceof ObjectNode o ? o : null;
    }

    /** The scalar at the path as text; "" when absent, null, an object or an array. */
    public static String str(JsonNode node, String... path) {
        JsonNode n = at(node, path);
        return n.isValueNode() && !n.isNull() ? n.asText() : "";
    }

    /** Like {@link #str}, but {@code fallback} when the text is empty. */
    public static String strOr(JsonNode node, String fallback, String... path) {
        String value = str(node, path);
        return value.isEmpty() ? fallback : value;
    }

    /** The number at the path, or null when absent or not an integral-convertible number (Go's nil *int64). */
    public static Long num(JsonNode node, String... path) {
        JsonNode n = at(node, path);
        return n.isNumber() && n.canConvertToLong() ? n.longValue() : null;
    }

    /** The number at the path, or {@code zero} when absent or not a number. */
    public static long numOr(JsonNode node, long zero, String... path) {
        Long value = num(node, path);
        return value == null ? zero : value;
    }

    public static boolean bool(JsonNode node, String... path) {
        return at(node, path).asBoolean(false);
    }

    /** The elements of the array at the path; empty when absent or not an array. */
    public static List<JsonNode> items(JsonNode node, String... path) {
        JsonNode n = at(node, path);
        List<JsonNode> out = new ArrayList<>();
        if (n.isArray()) {
            n.forEach(out::add);
        }
        return out;
    }

    /** The elements of the array at the path as text (a []string). */
    public static List<String> strings(JsonNode node, String... path) {
        return items(node, path).stream().map(v -> v.isNull() ? "" : v.asText()).toList();
    }

    /** The object of strings at the path (labels, annotations, data) in document order; null values read as "". */
    public static Map<String, String> stringMap(JsonNode node, String... path) {
        JsonNode n = at(node, path);
        Map<String, String> out = new LinkedHashMap<>();
        if (n.isObject()) {
            n.properties()
                    .forEach(e -> out.put(
                            e.getKey(),
                            e.getValue().isNull() ? "" : e.getValue().asText()));
        }
        return out;
    }

    /** {@link #stringMap} as a list of entries, for code that walks the pairs by index. */
    public static List<Map.Entry<String, String>> entries(JsonNode node, String... path) {
        return List.copyOf(stringMap(node, path).entrySet());
    }

    /** Length of the array, or number of fields of the object, at the path; 0 when absent. */
    public static int size(JsonNode node, String... path) {
        JsonNode n = at(node, path);
        return n.isArray() || n.isObject() ? n.size() : 0;
    }

    /** An RFC 3339 timestamp (metav1.Time or MicroTime); absent or unparsable values read as the zero time. */
    public static Instant time(JsonNode node, String... path) {
        String value = str(node, path);
        if (value.isEmpty()) {
            return ZERO_TIME;
        }
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            return ZERO_TIME;
        }
    }

    public static boolean isZeroTime(Instant time) {
        return time.equals(ZERO_TIME);
    }
}
