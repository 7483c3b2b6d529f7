package dev.capstan.api.validation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.model.json.JsonReads;

/**
 * spec.behavior in the annotation autoscaling/v1 keeps it in. Upstream marshals the internal Go type, which has no
 * JSON tags, so the keys are Go field names ({@code ScaleUp}, {@code StabilizationWindowSeconds}, ...) and unset
 * pointers are written as null.
 */
final class HpaBehavior {
    private HpaBehavior() {}

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    /** The v2 behavior in the internal type's encoding. */
    static ObjectNode encode(JsonNode behavior) {
        ObjectNode out = F.objectNode();
        out.set("ScaleUp", rules(JsonReads.obj(behavior, "scaleUp")));
        out.set("ScaleDown", rules(JsonReads.obj(behavior, "scaleDown")));
        return out;
    }

    private static JsonNode rules(JsonNode rules) {
        if (rules == null) {
            return F.nullNode();
        }
        ObjectNode out = F.objectNode();
        out.set("StabilizationWindowSeconds", orNull(rules, "stabilizationWindowSeconds"));
        out.set("SelectPolicy", orNull(rules, "selectPolicy"));
        if (!JsonReads.has(rules, "policies")) {
            out.putNull("Policies");
        } else {
            ArrayNode policies = out.putArray("Policies");
            for (JsonNode p : JsonReads.items(rules, "policies")) {
                ObjectNode policy = policies.addObject();
                policy.put("Type", JsonReads.str(p, "type"));
                GroupMeta.putInt(policy, "Value", JsonReads.numOr(p, 0, "value"));
                GroupMeta.putInt(policy, "PeriodSeconds", JsonReads.numOr(p, 0, "periodSeconds"));
            }
        }
        return out;
    }

    private static JsonNode orNull(JsonNode parent, String field) {
        return JsonReads.has(parent, field) ? parent.get(field).deepCopy() : F.nullNode();
    }

    /**
     * The v2 behavior from the annotation, or null when it is absent, does not decode, or sets neither direction
     * (upstream then leaves spec.behavior unset).
     */
    static ObjectNode decode(String json) {
        if (json == null) {
            return null;
        }
        JsonNode in;
        try {
            in = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            return null;
        }
        if (in == null || !in.isObject()) {
            return null;
        }
        ObjectNode out = F.objectNode();
        decodeRules(HpaMetricsV1.field(in, "ScaleUp"), out, "scaleUp");
        decodeRules(HpaMetricsV1.field(in, "ScaleDown"), out, "scaleDown");
        return out.isEmpty() ? null : out;
    }

    private static void decodeRules(JsonNode rules, ObjectNode out, String name) {
        if (rules == null || !rules.isObject()) {
            return;
        }
        ObjectNode r = out.putObject(name);
        JsonNode window = HpaMetricsV1.field(rules, "StabilizationWindowSeconds");
        if (window != null) {
            r.set("stabilizationWindowSeconds", window.deepCopy());
        }
        JsonNode select = HpaMetricsV1.field(rules, "SelectPolicy");
        if (select != null) {
            r.set("selectPolicy", select.deepCopy());
        }
        JsonNode policies = HpaMetricsV1.field(rules, "Policies");
        if (policies != null && policies.isArray()) {
            ArrayNode list = r.putArray("policies");
            for (JsonNode p : policies) {
                ObjectNode policy = list.addObject();
                JsonNode type = HpaMetricsV1.field(p, "Type");
                policy.put("type", type == null ? "" : type.asText());
                GroupMeta.putInt(policy, "value", numberOr0(HpaMetricsV1.field(p, "Value")));
                GroupMeta.putInt(policy, "periodSeconds", numberOr0(HpaMetricsV1.field(p, "PeriodSeconds")));
            }
        }
    }

    private static long numberOr0(JsonNode n) {
        return n == null ? 0 : n.asLong();
    }
}
