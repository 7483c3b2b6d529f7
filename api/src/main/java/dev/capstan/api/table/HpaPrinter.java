package dev.capstan.api.table;

import static dev.capstan.api.table.Descriptions.HPA_SPEC_MAX_REPLICAS;
import static dev.capstan.api.table.Descriptions.HPA_SPEC_METRICS;
import static dev.capstan.api.table.Descriptions.HPA_SPEC_MIN_REPLICAS;
import static dev.capstan.api.table.Descriptions.HPA_SPEC_SCALE_TARGET_REF;
import static dev.capstan.api.table.Descriptions.HPA_STATUS_CURRENT_REPLICAS;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.model.json.JsonReads;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * autoscaling HorizontalPodAutoscaler, read as v2 JSON; autoscaling/v1's targetCPUUtilizationPercentage is mapped
 * to the equivalent v2 resource metric, as the API server's conversion does.
 */
public final class HpaPrinter {
    private static final int MAX_METRICS = 2;
    private static final int DEFAULT_CPU_UTILIZATION = 80;

    private HpaPrinter() {}

    /** The table of HorizontalPodAutoscalers. */
    public static final KindTable HORIZONTAL_POD_AUTOSCALER = new KindTable(
            List.of(
                    Columns.name(),
                    Columns.string("Reference", HPA_SPEC_SCALE_TARGET_REF),
                    Columns.string("Targets", HPA_SPEC_METRICS),
                    Columns.string("MinPods", HPA_SPEC_MIN_REPLICAS),
                    Columns.string("MaxPods", HPA_SPEC_MAX_REPLICAS),
                    Columns.string("Replicas", HPA_STATUS_CURRENT_REPLICAS),
                    Columns.age()),
            HpaPrinter::cells);

    /** An absent minReplicas prints as 1, the value the API server defaults it to. */
    static List<Object> cells(JsonNode hpa, Instant now) {
        JsonNode spec = JsonReads.at(hpa, "spec");
        return List.of(
                Nodes.name(hpa),
                JsonReads.str(spec, "scaleTargetRef", "kind") + "/" + JsonReads.str(spec, "scaleTargetRef", "name"),
                formatMetrics(specMetrics(spec), currentMetrics(hpa)),
                Long.toString(JsonReads.numOr(spec, 1, "minReplicas")),
                JsonReads.numOr(spec, 0, "maxReplicas"),
                JsonReads.numOr(hpa, 0, "status", "currentReplicas"),
                Nodes.age(hpa, now));
    }

    private static List<JsonNode> specMetrics(JsonNode spec) {
        if (JsonReads.size(spec, "metrics") > 0) {
            return JsonReads.items(spec, "metrics");
        }
        // v2 defaulting gives a metric-less autoscaler an 80% CPU target; v1 states its own target.
        long target = JsonReads.numOr(spec, DEFAULT_CPU_UTILIZATION, "targetCPUUtilizationPercentage");
        ObjectNode metric = JsonNodeFactory.instance.objectNode().put("type", "Resource");
        ObjectNode resource = metric.putObject("resource").put("name", "cpu");
        resource.putObject("target").put("type", "Utilization").put("averageUtilization", target);
        return List.of(metric);
    }

    private static List<JsonNode> currentMetrics(JsonNode hpa) {
        JsonNode status = JsonReads.at(hpa, "status");
        if (!JsonReads.has(status, "currentCPUUtilizationPercentage")) {
            return JsonReads.items(status, "currentMetrics");
        }
        ObjectNode metric = JsonNodeFactory.instance.objectNode().put("type", "Resource");
        ObjectNode resource = metric.putObject("resource").put("name", "cpu");
        resource.putObject("current")
                .put("averageUtilization", JsonReads.numOr(status, 0, "currentCPUUtilizationPercentage"));
        return List.of(metric);
    }

    /** Upstream's formatHPAMetrics; statuses are matched to specs by position, as upstream does. */
    static String formatMetrics(List<JsonNode> specs, List<JsonNode> statuses) {
        if (specs.isEmpty()) {
            return "<none>";
        }
        List<String> list = new ArrayList<>();
        for (int i = 0; i < specs.size(); i++) {
            JsonNode spec = specs.get(i);
            JsonNode status = i < statuses.size() ? statuses.get(i) : null;
            list.add(
                    switch (JsonReads.str(spec, "type")) {
                        case "External" -> valueMetric(spec, status, "external");
                        case "Object" -> valueMetric(spec, status, "object");
                        case "Pods" -> {
                            String current = JsonReads.has(status, "pods")
                                    ? Nodes.quantityPointer(status, "pods", "current", "averageValue")
                                    : "<unknown>";
                            yield current + "/" + Nodes.quantityPointer(spec, "pods", "target", "averageValue");
                        }
                        case "Resource" -> resourceMetric(spec, status, "resource");
                        case "ContainerResource" -> resourceMetric(spec, status, "containerResource");
                        default -> "<unknown type>";
                    });
        }
        if (list.size() > MAX_METRICS) {
            return String.join(", ", list.subList(0, MAX_METRICS)) + " + " + (list.size() - MAX_METRICS) + " more...";
        }
        return String.join(", ", list);
    }

    /** External and Object metrics: an average-value target is marked "(avg)". */
    private static String valueMetric(JsonNode spec, JsonNode status, String source) {
        boolean hasStatus = JsonReads.has(status, source);
        if (JsonReads.has(spec, source, "target", "averageValue")) {
            String current = hasStatus && JsonReads.has(status, source, "current", "averageValue")
                    ? Nodes.quantityPointer(status, source, "current", "averageValue")
                    : "<unknown>";
            return current + "/" + Nodes.quantityPointer(spec, source, "target", "averageValue") + " (avg)";
        }
        String current = hasStatus ? Nodes.quantityPointer(status, source, "current", "value") : "<unknown>";
        return current + "/" + Nodes.quantityPointer(spec, source, "target", "value");
    }

    /** Resource and ContainerResource metrics: "cpu: 10%/50%" or "memory: 100Mi/200Mi". */
    private static String resourceMetric(JsonNode spec, JsonNode status, String source) {
        String name = JsonReads.str(spec, source, "name");
        boolean hasStatus = JsonReads.has(status, source);
        if (JsonReads.has(spec, source, "target", "averageValue")) {
            String current = hasStatus ? Nodes.quantityPointer(status, source, "current", "averageValue") : "<unknown>";
            return name + ": " + current + "/" + Nodes.quantityPointer(spec, source, "target", "averageValue");
        }
        String current = hasStatus && JsonReads.has(status, source, "current", "averageUtilization")
                ? JsonReads.numOr(status, 0, source, "current", "averageUtilization") + "%"
                : "<unknown>";
        String target = JsonReads.has(spec, source, "target", "averageUtilization")
                ? JsonReads.numOr(spec, 0, source, "target", "averageUtilization") + "%"
                : "<auto>";
        return name + ": " + current + "/" + target;
    }
}
