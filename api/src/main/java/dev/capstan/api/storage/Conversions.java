package dev.capstan.api.storage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.registry.ResourceType;

/**
 * Conversion between the stored version of a resource and the other versions it is served at. Only the
 * HorizontalPodAutoscaler has two (stored as autoscaling/v2, served also as v1 for {@code kubectl autoscale}).
 */
public final class Conversions {
    private Conversions() {}

    /** Converts an object of {@code type}'s version into the stored version. */
    public static ObjectNode toStorage(ResourceType type, ObjectNode object) {
        if (isHpaV1(type)) {
            ObjectNode v2 = object.deepCopy();
            v2.put("apiVersion", "autoscaling/v2");
            JsonNode spec = v2.path("spec");
            if (spec instanceof ObjectNode s && s.has("targetCPUUtilizationPercentage")) {
                int target = s.remove("targetCPUUtilizationPercentage").asInt();
                ArrayNode metrics = s.putArray("metrics");
                ObjectNode resource =
                        metrics.addObject().put("type", "Resource").putObject("resource");
                resource.put("name", "cpu");
                resource.putObject("target").put("type", "Utilization").put("averageUtilization", target);
            }
            if (v2.path("status") instanceof ObjectNode st && st.has("currentCPUUtilizationPercentage")) {
                int current = st.remove("currentCPUUtilizationPercentage").asInt();
                ObjectNode resource = st.putArray("currentMetrics")
                        .addObject()
                        .put("type", "Resource")
                        .putObject("resource");
                resource.put("name", "cpu");
                resource.putObject("current").put("averageUtilization", current);
            }
            return v2;
        }
        return object;
    }

    /** Converts a stored object into {@code type}'s version. */
    public static ObjectNode fromStorage(ResourceType type, ObjectNode stored) {
        if (isHpaV1(type)) {
            ObjectNode v1 = stored.deepCopy();
            v1.put("apiVersion", "autoscaling/v1");
            if (v1.path("spec") instanceof ObjectNode s) {
                JsonNode metrics = s.remove("metrics");
                if (metrics != null) {
                    for (JsonNode m : metrics) {
                        if (m.path("resource").path("name").asText().equals("cpu")) {
                            s.put(
                                    "targetCPUUtilizationPercentage",
                                    m.path("resource")
                                            .path("target")
                                            .path("averageUtilization")
                                            .asInt());
                        }
                    }
                }
                s.remove("behavior");
            }
            if (v1.path("status") instanceof ObjectNode st) {
                JsonNode current = st.remove("currentMetrics");
                if (current != null) {
                    for (JsonNode m : current) {
                        if (m.path("resource").path("name").asText().equals("cpu")) {
                            st.put(
                                    "currentCPUUtilizationPercentage",
                                    m.path("resource")
                                            .path("current")
                                            .path("averageUtilization")
                                            .asInt());
                        }
                    }
                }
                st.remove("conditions");
            }
            return v1;
        }
        return stored;
    }

    private static boolean isHpaV1(ResourceType type) {
        return type.group().equals("autoscaling") && type.version().equals("v1");
    }
}
