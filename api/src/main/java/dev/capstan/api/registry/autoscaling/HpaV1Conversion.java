package dev.capstan.api.registry.autoscaling;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.registry.Conversion;

/**
 * autoscaling/v1 HorizontalPodAutoscalers as views of the stored autoscaling/v2 objects: v1 knows only a CPU
 * utilization target.
 */
final class HpaV1Conversion implements Conversion {
    @Override
    public ObjectNode toStorage(ObjectNode object) {
        {
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
    }

    @Override
    public ObjectNode fromStorage(ObjectNode stored) {
        {
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
    }
}
