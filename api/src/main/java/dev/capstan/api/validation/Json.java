package dev.capstan.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Null-safe reads with Go zero-value semantics: a missing or null field reads as "", 0 or an empty list. */
final class Json {
    private Json() {}

    /** True when the field is present and not JSON null (a Go pointer that is set). */
    static boolean has(JsonNode parent, String field) {
        return parent != null && parent.hasNonNull(field);
    }

    static ObjectNode obj(JsonNode parent, String field) {
        return parent != null && parent.get(field) instanceof ObjectNode o ? o : null;
    }

    static ObjectNode path(JsonNode root, String... fields) {
        JsonNode node = root;
        for (String f : fields) {
            node = obj(node, f);
        }
        return (ObjectNode) node;
    }

    static String str(JsonNode parent, String field) {
        if (!has(parent, field)) {
            return "";
        }
        JsonNode v = parent.get(field);
        return v.isTextual() ? v.textValue() : v.asText();
    }

    /** The field as a long, or null when absent: for Go pointer fields where nil differs from 0. */
    static Long num(JsonNode parent, String field) {
        return has(parent, field) && parent.get(field).canConvertToLong()
                ? parent.get(field).longValue()
                : null;
    }

    static long num(JsonNode parent, String field, long zero) {
        Long v = num(parent, field);
        return v == null ? zero : v;
    }

    static boolean bool(JsonNode parent, String field) {
        return has(parent, field) && parent.get(field).asBoolean();
    }

    static List<JsonNode> items(JsonNode parent, String field) {
        List<JsonNode> out = new ArrayList<>();
        if (parent != null && parent.get(field) instanceof ArrayNode a) {
            a.forEach(out::add);
        }
        return out;
    }

    static List<String> strings(JsonNode parent, String field) {
        return items(parent, field).stream().map(JsonNode::asText).toList();
    }

    /** A JSON object of strings (labels, annotations, data) as entries in document order. */
    static List<Map.Entry<String, String>> entries(JsonNode parent, String field) {
        return entries(obj(parent, field));
    }

    static List<Map.Entry<String, String>> entries(JsonNode map) {
        List<Map.Entry<String, String>> out = new ArrayList<>();
        if (map instanceof ObjectNode o) {
            o.properties()
                    .forEach(e -> out.add(Map.entry(
                            e.getKey(),
                            e.getValue().isNull() ? "" : e.getValue().asText())));
        }
        return out;
    }

    static ObjectNode child(ObjectNode parent, String field) {
        return parent.get(field) instanceof ObjectNode o ? o : parent.putObject(field);
    }
}
