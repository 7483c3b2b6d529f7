package dev.capstan.client.node;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A pod condition as the kubelet's status manager writes it into a status patch: {@code lastProbeTime} null, reason
 * and message only when set. Shared by the node agent and the node simulator so both write the same shape.
 */
public final class KubeletPodConditions {
    private KubeletPodConditions() {}

    /** Appends the condition; {@code lastTransitionTime} is RFC 3339 (the caller keeps the old one when unchanged). */
    public static void append(
            ArrayNode conditions,
            String type,
            String status,
            String lastTransitionTime,
            String reason,
            String message) {
        ObjectNode c = conditions.addObject();
        c.put("type", type);
        c.put("status", status);
        c.putNull("lastProbeTime");
        c.put("lastTransitionTime", lastTransitionTime);
        if (!reason.isEmpty()) {
            c.put("reason", reason);
        }
        if (!message.isEmpty()) {
            c.put("message", message);
        }
    }
}
