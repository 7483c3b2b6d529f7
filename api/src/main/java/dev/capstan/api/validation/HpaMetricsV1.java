package dev.capstan.api.validation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.model.json.JsonReads;
import dev.capstan.model.quantity.Quantity;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * The autoscaling/v1 metric, metric status and condition types that HPA conversion stores in annotations, converted
 * to and from autoscaling/v2. Output follows Go's encoding/json for the v1 structs (field order, omitempty, canonical
 * quantities, sorted map keys, HTML-safe escaping); input is read as Go reads it, with case-insensitive keys.
 */
final class HpaMetricsV1 {
    private HpaMetricsV1() {}

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final String[] SOURCES = {"object", "pods", "resource", "containerResource", "external"};

    /** An annotation's JSON list, or null when absent or not decodable (upstream then ignores it). */
    static ArrayNode parseList(String json) {
        if (json == null) {
            return null;
        }
        try {
            JsonNode n = MAPPER.readTree(json);
            if (n != null && n.isNull()) {
                return F.arrayNode();
            }
            return n instanceof ArrayNode a ? a : null;
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    /** Compact JSON as Go's json.Marshal writes it: {@code <}, {@code >}, {@code &} and U+2028/9 escaped. */
    static String goJson(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node)
                    .replace("<", "\\u003c")
                    .replace(">", "\\u003e")
                    .replace("&", "\\u0026")
                    .replace("\u2028", "\\u2028")
                    .replace("\u2029", "\\u2029");
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A field as Go's decoder finds it: the exact key first, else one that matches ignoring case. */
    static JsonNode field(JsonNode node, String name) {
        if (node == null || !node.isObject()) {
            return null;
        }
        JsonNode exact = node.get(name);
        if (exact != null) {
            return exact.isNull() ? null : exact;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.properties().iterator(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equalsIgnoreCase(name)) {
                return e.getValue().isNull() ? null : e.getValue();
            }
        }
        return null;
    }

    private static String text(JsonNode node, String name) {
        JsonNode v = field(node, name);
        return v == null ? "" : v.asText();
    }

    /** A quantity in canonical form, "0" when unset (a v1 non-pointer Quantity). */
    private static String quantity(JsonNode q) {
        if (q == null || q.isNull()) {
            return "0";
        }
        try {
            return Quantity.parse(q.asText()).canonical();
        } catch (IllegalArgumentException e) {
            return q.asText();
        }
    }

    private static void putQuantity(ObjectNode out, String name, JsonNode q) {
        if (q != null && !q.isNull()) {
            out.put(name, quantity(q));
        }
    }

    private static void copy(ObjectNode out, String name, JsonNode v) {
        if (v != null && !v.isNull()) {
            out.set(name, v.deepCopy());
        }
    }

    /** A CrossVersionObjectReference: kind, name, and apiVersion when set. */
    static ObjectNode crossRef(JsonNode ref) {
        ObjectNode out = F.objectNode();
        out.put("kind", text(ref, "kind"));
        out.put("name", text(ref, "name"));
        if (!text(ref, "apiVersion").isEmpty()) {
            out.put("apiVersion", text(ref, "apiVersion"));
        }
        return out;
    }

    /** A metav1.LabelSelector as Go encodes it: sorted matchLabels, empty parts omitted. */
    private static ObjectNode selector(JsonNode sel) {
        ObjectNode out = F.objectNode();
        Map<String, String> labels = new TreeMap<>();
        JsonReads.entries(field(sel, "matchLabels")).forEach(e -> labels.put(e.getKey(), e.getValue()));
        if (!labels.isEmpty()) {
            ObjectNode ml = out.putObject("matchLabels");
            labels.forEach(ml::put);
        }
        JsonNode exprs = field(sel, "matchExpressions");
        if (exprs != null && exprs.isArray() && !exprs.isEmpty()) {
            ArrayNode out2 = out.putArray("matchExpressions");
            for (JsonNode e : exprs) {
                ObjectNode x = out2.addObject();
                x.put("key", text(e, "key"));
                x.put("operator", text(e, "operator"));
                JsonNode values = field(e, "values");
                if (values != null && values.isArray() && !values.isEmpty()) {
                    x.set("values", values.deepCopy());
                }
            }
        }
        return out;
    }

    private static void putSelector(ObjectNode out, String name, JsonNode sel) {
        if (sel != null && !sel.isNull()) {
            out.set(name, selector(sel));
        }
    }

    private static ObjectNode metricId(String name, JsonNode sel) {
        ObjectNode id = F.objectNode();
        id.put("name", name);
        copy(id, "selector", sel);
        return id;
    }

    /** A v2 MetricSpec as v1's, for the metrics annotation. */
    static ObjectNode specToV1(JsonNode m) {
        ObjectNode out = F.objectNode();
        out.put("type", JsonReads.str(m, "type"));
        for (String source : SOURCES) {
            JsonNode src = JsonReads.obj(m, source);
            if (src == null) {
                continue;
            }
            JsonNode metric = JsonReads.obj(src, "metric");
            JsonNode target = JsonReads.obj(src, "target");
            ObjectNode o = out.putObject(source);
            switch (source) {
                case "object" -> {
                    o.set("target", crossRef(JsonReads.obj(src, "describedObject")));
                    o.put("metricName", JsonReads.str(metric, "name"));
                    o.put("targetValue", quantity(JsonReads.has(target, "value") ? target.get("value") : null));
                    putSelector(o, "selector", JsonReads.obj(metric, "selector"));
                    putQuantity(o, "averageValue", GroupMeta.get(target, "averageValue"));
                }
                case "pods" -> {
                    o.put("metricName", JsonReads.str(metric, "name"));
                    o.put("targetAverageValue", quantity(GroupMeta.get(target, "averageValue")));
                    putSelector(o, "selector", JsonReads.obj(metric, "selector"));
                }
                case "external" -> {
                    o.put("metricName", JsonReads.str(metric, "name"));
                    putSelector(o, "metricSelector", JsonReads.obj(metric, "selector"));
                    putQuantity(o, "targetValue", GroupMeta.get(target, "value"));
                    putQuantity(o, "targetAverageValue", GroupMeta.get(target, "averageValue"));
                }
                default -> {
                    o.put("name", JsonReads.str(src, "name"));
                    copy(o, "targetAverageUtilization", GroupMeta.get(target, "averageUtilization"));
                    putQuantity(o, "targetAverageValue", GroupMeta.get(target, "averageValue"));
                    if (source.equals("containerResource")) {
                        o.put("container", JsonReads.str(src, "container"));
                    }
                }
            }
        }
        return out;
    }

    /** A v1 MetricSpec from the annotation as v2's; the target type follows from which values are set. */
    static ObjectNode specToV2(JsonNode m) {
        ObjectNode out = F.objectNode();
        out.put("type", text(m, "type"));
        for (String source : SOURCES) {
            JsonNode src = field(m, source);
            if (src == null) {
                continue;
            }
            ObjectNode o = out.putObject(source);
            ObjectNode target = F.objectNode();
            switch (source) {
                case "object" -> {
                    o.set("describedObject", crossRef(field(src, "target")));
                    o.set("metric", metricId(text(src, "metricName"), field(src, "selector")));
                    JsonNode average = field(src, "averageValue");
                    target.put("type", average == null ? "Value" : "AverageValue");
                    target.put("value", quantity(field(src, "targetValue")));
                    copy(target, "averageValue", average);
                }
                case "pods" -> {
                    o.set("metric", metricId(text(src, "metricName"), field(src, "selector")));
                    target.put("type", "AverageValue");
                    target.put("averageValue", quantity(field(src, "targetAverageValue")));
                }
                case "external" -> {
                    o.set("metric", metricId(text(src, "metricName"), field(src, "metricSelector")));
                    JsonNode value = field(src, "targetValue");
                    target.put("type", value == null ? "AverageValue" : "Value");
                    copy(target, "value", value);
                    copy(target, "averageValue", field(src, "targetAverageValue"));
                }
                default -> {
                    o.put("name", text(src, "name"));
                    if (source.equals("containerResource")) {
                        o.put("container", text(src, "container"));
                    }
                    JsonNode utilization = field(src, "targetAverageUtilization");
                    target.put("type", utilization == null ? "AverageValue" : "Utilization");
                    copy(target, "averageValue", field(src, "targetAverageValue"));
                    copy(target, "averageUtilization", utilization);
                }
            }
            o.set("target", target);
        }
        return out;
    }

    /** A v2 MetricStatus as v1's, for the current-metrics annotation. */
    static ObjectNode statusToV1(JsonNode m) {
        ObjectNode out = F.objectNode();
        out.put("type", JsonReads.str(m, "type"));
        for (String source : SOURCES) {
            JsonNode src = JsonReads.obj(m, source);
            if (src == null) {
                continue;
            }
            JsonNode metric = JsonReads.obj(src, "metric");
            JsonNode current = JsonReads.obj(src, "current");
            ObjectNode o = out.putObject(source);
            switch (source) {
                case "object" -> {
                    o.set("target", crossRef(JsonReads.obj(src, "describedObject")));
                    o.put("metricName", JsonReads.str(metric, "name"));
                    o.put("currentValue", quantity(GroupMeta.get(current, "value")));
                    putSelector(o, "selector", JsonReads.obj(metric, "selector"));
                    putQuantity(o, "averageValue", GroupMeta.get(current, "averageValue"));
                }
                case "pods" -> {
                    o.put("metricName", JsonReads.str(metric, "name"));
                    o.put("currentAverageValue", quantity(GroupMeta.get(current, "averageValue")));
                    putSelector(o, "selector", JsonReads.obj(metric, "selector"));
                }
                case "external" -> {
                    o.put("metricName", JsonReads.str(metric, "name"));
                    putSelector(o, "metricSelector", JsonReads.obj(metric, "selector"));
                    o.put("currentValue", quantity(GroupMeta.get(current, "value")));
                    putQuantity(o, "currentAverageValue", GroupMeta.get(current, "averageValue"));
                }
                default -> {
                    o.put("name", JsonReads.str(src, "name"));
                    copy(o, "currentAverageUtilization", GroupMeta.get(current, "averageUtilization"));
                    o.put("currentAverageValue", quantity(GroupMeta.get(current, "averageValue")));
                    if (source.equals("containerResource")) {
                        o.put("container", JsonReads.str(src, "container"));
                    }
                }
            }
        }
        return out;
    }

    /** A v1 MetricStatus from the annotation as v2's. */
    static ObjectNode statusToV2(JsonNode m) {
        ObjectNode out = F.objectNode();
        out.put("type", text(m, "type"));
        for (String source : SOURCES) {
            JsonNode src = field(m, source);
            if (src == null) {
                continue;
            }
            ObjectNode o = out.putObject(source);
            ObjectNode current = F.objectNode();
            switch (source) {
                case "object" -> {
                    o.set("metric", metricId(text(src, "metricName"), field(src, "selector")));
                    current.put("value", quantity(field(src, "currentValue")));
                    copy(current, "averageValue", field(src, "averageValue"));
                    o.set("current", current);
                    o.set("describedObject", crossRef(field(src, "target")));
                }
                case "pods" -> {
                    o.set("metric", metricId(text(src, "metricName"), field(src, "selector")));
                    current.put("averageValue", quantity(field(src, "currentAverageValue")));
                    o.set("current", current);
                }
                case "external" -> {
                    o.set("metric", metricId(text(src, "metricName"), field(src, "metricSelector")));
                    current.put("value", quantity(field(src, "currentValue")));
                    copy(current, "averageValue", field(src, "currentAverageValue"));
                    o.set("current", current);
                }
                default -> {
                    o.put("name", text(src, "name"));
                    if (source.equals("containerResource")) {
                        o.put("container", text(src, "container"));
                    }
                    current.put("averageValue", quantity(field(src, "currentAverageValue")));
                    copy(current, "averageUtilization", field(src, "currentAverageUtilization"));
                    o.set("current", current);
                }
            }
        }
        return out;
    }

    /** A v2 condition as v1's: a zero lastTransitionTime is written as null, reason and message only when set. */
    static ObjectNode conditionToV1(JsonNode c) {
        ObjectNode out = F.objectNode();
        out.put("type", JsonReads.str(c, "type"));
        out.put("status", JsonReads.str(c, "status"));
        JsonNode t = GroupMeta.get(c, "lastTransitionTime");
        out.set("lastTransitionTime", t == null || t.isNull() ? F.nullNode() : t.deepCopy());
        for (String f : new String[] {"reason", "message"}) {
            if (!JsonReads.str(c, f).isEmpty()) {
                out.put(f, JsonReads.str(c, f));
            }
        }
        return out;
    }

    static ObjectNode conditionToV2(JsonNode c) {
        ObjectNode out = F.objectNode();
        out.put("type", text(c, "type"));
        out.put("status", text(c, "status"));
        copy(out, "lastTransitionTime", field(c, "lastTransitionTime"));
        for (String f : new String[] {"reason", "message"}) {
            if (!text(c, f).isEmpty()) {
                out.put(f, text(c, f));
            }
        }
        return out;
    }
}
