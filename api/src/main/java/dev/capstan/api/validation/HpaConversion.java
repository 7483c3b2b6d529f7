package dev.capstan.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.model.json.JsonReads;
import dev.capstan.model.json.KubeJson;
import java.util.List;

/**
 * HorizontalPodAutoscaler conversion between autoscaling/v1 and autoscaling/v2, as pkg/apis/autoscaling/v1's
 * conversion.go does it through the internal type. v1 carries one CPU utilization target; everything else it cannot
 * express travels in annotations, in upstream's encodings so that objects written by either server read the same:
 *
 * <ul>
 *   <li>{@value #METRICS}: the spec metrics other than CPU utilization, as a JSON list of autoscaling/v1 MetricSpec,
 *   <li>{@value #CURRENT_METRICS}: all status metrics, as autoscaling/v1 MetricStatus,
 *   <li>{@value #CONDITIONS}: the status conditions, as autoscaling/v1 HorizontalPodAutoscalerCondition,
 *   <li>{@value #BEHAVIOR}: spec.behavior in the internal type's JSON, whose keys are Go field names.
 * </ul>
 *
 * Reading v1 turns the annotations back into fields and drops them; writing v1 replaces any stale ones. Both
 * directions round-trip, with upstream's own exceptions: the CPU utilization metric moves to the end of the list,
 * and a v1 object or pods metric (or a status value) always carries the quantity v1 cannot leave unset.
 */
public final class HpaConversion {
    private HpaConversion() {}

    public static final String METRICS = "autoscaling.alpha.kubernetes.io/metrics";
    public static final String CURRENT_METRICS = "autoscaling.alpha.kubernetes.io/current-metrics";
    public static final String CONDITIONS = "autoscaling.alpha.kubernetes.io/conditions";
    public static final String BEHAVIOR = "autoscaling.alpha.kubernetes.io/behavior";
    private static final List<String> ROUND_TRIP = List.of(METRICS, CURRENT_METRICS, CONDITIONS, BEHAVIOR);

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    /** An autoscaling/v1 HorizontalPodAutoscaler as autoscaling/v2. The input is not changed. */
    public static ObjectNode toV2(ObjectNode v1) {
        ObjectNode out = header(v1, "autoscaling/v2");
        ObjectNode meta = v1.get("metadata") instanceof ObjectNode m ? m.deepCopy() : null;
        JsonNode annotations = JsonReads.obj(meta, "annotations");
        String metricsAnn = annotation(annotations, METRICS);
        String behaviorAnn = annotation(annotations, BEHAVIOR);
        String currentAnn = annotation(annotations, CURRENT_METRICS);
        String conditionsAnn = annotation(annotations, CONDITIONS);
        if (meta != null) {
            dropRoundTripAnnotations(meta);
            out.set("metadata", meta);
        }
        JsonNode spec = JsonReads.obj(v1, "spec");
        ObjectNode s = out.putObject("spec");
        s.set("scaleTargetRef", HpaMetricsV1.crossRef(JsonReads.obj(spec, "scaleTargetRef")));
        if (JsonReads.has(spec, "minReplicas")) {
            s.set("minReplicas", spec.get("minReplicas").deepCopy());
        }
        GroupMeta.putInt(s, "maxReplicas", JsonReads.numOr(spec, 0, "maxReplicas"));
        ArrayNode metrics = F.arrayNode();
        ArrayNode other = HpaMetricsV1.parseList(metricsAnn);
        if (other != null) {
            other.forEach(m -> metrics.add(HpaMetricsV1.specToV2(m)));
        }
        if (JsonReads.has(spec, "targetCPUUtilizationPercentage")) {
            metrics.add(AutoscalingValidation.cpuUtilizationMetric(
                    JsonReads.numOr(spec, 0, "targetCPUUtilizationPercentage")));
        }
        ObjectNode behavior = HpaBehavior.decode(behaviorAnn);
        if (metrics.isEmpty()) {
            // autoscaling/v1 once left this default to the controller; it is applied here where all metrics are known
            metrics.add(AutoscalingValidation.cpuUtilizationMetric(AutoscalingValidation.DEFAULT_CPU_UTILIZATION));
        }
        s.set("metrics", metrics);
        if (behavior != null) {
            s.set("behavior", behavior);
        }
        out.set("status", statusToV2(JsonReads.obj(v1, "status"), currentAnn, conditionsAnn));
        return out;
    }

    private static ObjectNode statusToV2(JsonNode status, String currentAnn, String conditionsAnn) {
        ObjectNode st = F.objectNode();
        copyIfPresent(status, st, "observedGeneration");
        copyIfPresent(status, st, "lastScaleTime");
        long current = JsonReads.numOr(status, 0, "currentReplicas");
        if (current != 0) {
            GroupMeta.putInt(st, "currentReplicas", current);
        }
        GroupMeta.putInt(st, "desiredReplicas", JsonReads.numOr(status, 0, "desiredReplicas"));
        ArrayNode annotated = HpaMetricsV1.parseList(currentAnn);
        if (annotated != null) {
            ArrayNode metrics = st.putArray("currentMetrics");
            annotated.forEach(m -> metrics.add(HpaMetricsV1.statusToV2(m)));
        } else if (JsonReads.has(status, "currentCPUUtilizationPercentage")) {
            ObjectNode m = st.putArray("currentMetrics").addObject();
            m.put("type", "Resource");
            ObjectNode r = m.putObject("resource");
            r.put("name", "cpu");
            GroupMeta.putInt(
                    r.putObject("current"),
                    "averageUtilization",
                    JsonReads.numOr(status, 0, "currentCPUUtilizationPercentage"));
        }
        ArrayNode conditions = HpaMetricsV1.parseList(conditionsAnn);
        if (conditions != null) {
            ArrayNode out = st.putArray("conditions");
            conditions.forEach(c -> out.add(HpaMetricsV1.conditionToV2(c)));
        }
        return st;
    }

    /** An autoscaling/v2 HorizontalPodAutoscaler as autoscaling/v1. The input is not changed. */
    public static ObjectNode toV1(ObjectNode v2) {
        ObjectNode out = header(v2, "autoscaling/v1");
        ObjectNode meta = v2.get("metadata") instanceof ObjectNode m ? m.deepCopy() : null;
        if (meta != null) {
            // only annotations this conversion writes may remain
            dropRoundTripAnnotations(meta);
        }
        JsonNode spec = JsonReads.obj(v2, "spec");
        JsonNode status = JsonReads.obj(v2, "status");
        ObjectNode s = F.objectNode();
        s.set("scaleTargetRef", HpaMetricsV1.crossRef(JsonReads.obj(spec, "scaleTargetRef")));
        if (JsonReads.has(spec, "minReplicas")) {
            s.set("minReplicas", spec.get("minReplicas").deepCopy());
        }
        GroupMeta.putInt(s, "maxReplicas", JsonReads.numOr(spec, 0, "maxReplicas"));
        ArrayNode other = F.arrayNode();
        for (JsonNode m : JsonReads.items(spec, "metrics")) {
            Long cpu = cpuUtilization(m, "target");
            if (cpu != null) {
                if (!JsonReads.has(s, "targetCPUUtilizationPercentage")) {
                    GroupMeta.putInt(s, "targetCPUUtilizationPercentage", cpu);
                }
                continue;
            }
            other.add(HpaMetricsV1.specToV1(m));
        }
        ObjectNode st = F.objectNode();
        copyIfPresent(status, st, "observedGeneration");
        copyIfPresent(status, st, "lastScaleTime");
        GroupMeta.putInt(st, "currentReplicas", JsonReads.numOr(status, 0, "currentReplicas"));
        GroupMeta.putInt(st, "desiredReplicas", JsonReads.numOr(status, 0, "desiredReplicas"));
        ArrayNode current = F.arrayNode();
        for (JsonNode m : JsonReads.items(status, "currentMetrics")) {
            Long cpu = cpuUtilization(m, "current");
            if (cpu != null) {
                GroupMeta.putInt(st, "currentCPUUtilizationPercentage", cpu);
            }
            current.add(HpaMetricsV1.statusToV1(m));
        }
        ArrayNode conditions = F.arrayNode();
        JsonReads.items(status, "conditions").forEach(c -> conditions.add(HpaMetricsV1.conditionToV1(c)));
        ObjectNode annotations = F.objectNode();
        if (!other.isEmpty()) {
            annotations.put(METRICS, HpaMetricsV1.goJson(other));
        }
        if (!current.isEmpty()) {
            annotations.put(CURRENT_METRICS, HpaMetricsV1.goJson(current));
        }
        if (JsonReads.has(spec, "behavior")) {
            annotations.put(BEHAVIOR, HpaMetricsV1.goJson(HpaBehavior.encode(JsonReads.obj(spec, "behavior"))));
        }
        if (!conditions.isEmpty()) {
            annotations.put(CONDITIONS, HpaMetricsV1.goJson(conditions));
        }
        if (!annotations.isEmpty()) {
            if (meta == null) {
                meta = F.objectNode();
            }
            KubeJson.child(meta, "annotations").setAll(annotations);
        }
        if (meta != null) {
            out.set("metadata", meta);
        }
        out.set("spec", s);
        out.set("status", st);
        return out;
    }

    /** The utilization of a CPU resource metric (spec: target, status: current), or null for any other metric. */
    private static Long cpuUtilization(JsonNode metric, String valueField) {
        JsonNode resource = JsonReads.obj(metric, "resource");
        if (!JsonReads.str(metric, "type").equals("Resource")
                || resource == null
                || !JsonReads.str(resource, "name").equals("cpu")) {
            return null;
        }
        return JsonReads.num(JsonReads.obj(resource, valueField), "averageUtilization");
    }

    private static ObjectNode header(ObjectNode in, String apiVersion) {
        ObjectNode out = F.objectNode();
        out.put("apiVersion", apiVersion);
        out.put("kind", JsonReads.has(in, "kind") ? JsonReads.str(in, "kind") : "HorizontalPodAutoscaler");
        return out;
    }

    private static String annotation(JsonNode annotations, String key) {
        return JsonReads.has(annotations, key) ? JsonReads.str(annotations, key) : null;
    }

    private static void dropRoundTripAnnotations(ObjectNode meta) {
        if (meta.get("annotations") instanceof ObjectNode annotations) {
            annotations.remove(ROUND_TRIP);
            if (annotations.isEmpty()) {
                meta.remove("annotations");
            }
        }
    }

    private static void copyIfPresent(JsonNode from, ObjectNode to, String field) {
        if (JsonReads.has(from, field)) {
            to.set(field, from.get(field).deepCopy());
        }
    }
}
