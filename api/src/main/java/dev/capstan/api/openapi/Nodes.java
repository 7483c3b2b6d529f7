package dev.capstan.api.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Small helpers for building the documents as Jackson trees. */
final class Nodes {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private Nodes() {}

    static ObjectNode object() {
        return NODES.objectNode();
    }

    static ArrayNode array(String... values) {
        ArrayNode array = NODES.arrayNode();
        for (String value : values) {
            array.add(value);
        }
        return array;
    }

    static ObjectNode ref(String schemaName) {
        return object().put("$ref", SchemaNames.ref(schemaName));
    }

    static ObjectNode gvk(String group, String version, String kind) {
        return object().put("group", group).put("kind", kind).put("version", version);
    }

    /** Sorts object keys recursively, so documents are deterministic whatever order they were built in. */
    static JsonNode sorted(JsonNode node) {
        if (node instanceof ObjectNode object) {
            List<Map.Entry<String, JsonNode>> entries = new ArrayList<>(object.properties());
            entries.sort(Map.Entry.comparingByKey());
            ObjectNode result = object();
            for (Map.Entry<String, JsonNode> entry : entries) {
                result.set(entry.getKey(), sorted(entry.getValue()));
            }
            return result;
        }
        if (node instanceof ArrayNode array) {
            ArrayNode result = NODES.arrayNode();
            array.forEach(element -> result.add(sorted(element)));
            return result;
        }
        return node;
    }
}
