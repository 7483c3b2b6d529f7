package dev.capstan.api.registry.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.registry.ObjectMetaRules;
import java.time.Clock;

/** Upstream's podutil.UpdatePodCondition, for the conditions the API server itself sets on a pod. */
final class PodConditions {
    private PodConditions() {}

    /**
     * Sets condition {@code type} to True on the pod's status, added or replaced; a condition that was True already
     * keeps its transition time.
     *
     * @param reason null for none (as the binding's PodScheduled has)
     * @param message null for none
     */
    static void setTrue(ObjectNode pod, String type, String reason, String message, Clock clock) {
        ObjectNode status = pod.withObjectProperty("status");
        ArrayNode conditions = status.get("conditions") instanceof ArrayNode a ? a : status.putArray("conditions");
        String now = ObjectMetaRules.timestamp(clock.instant());
        ObjectNode condition = null;
        for (JsonNode c : conditions) {
            if (c instanceof ObjectNode o && o.path("type").asText().equals(type)) {
                condition = o;
            }
        }
        String transition = now;
        if (condition == null) {
            condition = conditions.addObject();
        } else if (condition.path("status").asText().equals("True")) {
            transition = condition.path("lastTransitionTime").asText(now);
        }
        condition.removeAll();
        condition.put("type", type).put("status", "True");
        condition.putNull("lastProbeTime");
        condition.put("lastTransitionTime", transition);
        if (reason != null) {
            condition.put("reason", reason);
        }
        if (message != null) {
            condition.put("message", message);
        }
    }
}
