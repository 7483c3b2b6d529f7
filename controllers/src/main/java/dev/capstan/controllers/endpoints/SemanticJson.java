package dev.capstan.controllers.endpoints;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.model.json.KubeJson;
import java.util.Iterator;
import java.util.Map;

/**
 * apimachinery's {@code equality.Semantic.DeepEqual} for API values: absent, null, empty strings, empty lists and
 * empty maps are all the same value, as Go's zero values and omitempty make them after a trip through the server.
 */
public final class SemanticJson {
    private SemanticJson() {}

    public static boolean equal(Object a, Object b) {
        return normalised(a).equals(normalised(b));
    }

    /** The value as a JSON tree with every empty member removed. */
    public static JsonNode normalised(Object value) {
        JsonNode tree = value == null ? KubeJson.object() : KubeJson.tree(value).deepCopy();
        strip(tree);
        return tree;
    }

    private static boolean strip(JsonNode node) {
        if (node == null || node.isNull()) {
            return true;
        }
        if (node instanceof ObjectNode object) {
            Iterator<Map.Entry<String, JsonNode>> fields = object.properties().iterator();
            while (fields.hasNext()) {
                if (strip(fields.next().getValue())) {
                    fields.remove();
                }
            }
            return object.isEmpty();
        }
        if (node instanceof ArrayNode array) {
            for (JsonNode item : array) {
                strip(item);
            }
            return array.isEmpty();
        }
        return node.isTextual() && node.asText().isEmpty();
    }
}
