package dev.capstan.api.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.Json;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/** Steps many kinds' strategies share, as upstream's strategies repeat them. */
public final class Strategies {
    private Strategies() {}

    /** {@code x.Status = XStatus{}}: a create starts from an empty status; the kind's controllers fill it. */
    public static void resetStatus(ObjectNode object) {
        object.putObject("status");
    }

    /** {@code newX.Status = oldX.Status}: writes of the main resource never change status. */
    public static void keepStatus(ObjectNode object, ObjectNode old) {
        JsonNode status = old.get("status");
        if (status == null) {
            object.remove("status");
        } else {
            object.set("status", status.deepCopy());
        }
    }

    /** Field-selector attributes read straight from the object at their JSON paths. */
    public static Map<String, Function<JsonNode, String>> jsonPathFields(String... paths) {
        Map<String, Function<JsonNode, String>> fields = new LinkedHashMap<>();
        for (String path : paths) {
            fields.put(path, object -> Json.text(object, path));
        }
        return Map.copyOf(fields);
    }
}
