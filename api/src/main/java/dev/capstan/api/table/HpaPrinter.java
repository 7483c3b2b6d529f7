package dev.capstan.api.table;

import static dev.capstan.api.table.Descriptions.HPA_SPEC_MAX_REPLICAS;
import static dev.capstan.api.table.Descriptions.HPA_SPEC_METRICS;
import static dev.capstan.api.table.Descriptions.HPA_SPEC_MIN_REPLICAS;
import static dev.capstan.api.table.Descriptions.HPA_SPEC_SCALE_TARGET_REF;
import static dev.capstan.api.table.Descriptions.HPA_STATUS_CURRENT_REPLICAS;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * autoscaling HorizontalPodAutoscaler, read as v2 JSON; autoscaling/v1's targetCPUUtilizationPercentage is mapped
 * to the equivalent v2 resource metric, as the API server's conversion does.
 */
final class HpaPrinter {
    private static final int MAX_METRICS = 2;
    private static final int DEFAULT_CPU_UTILIZATION = 80;

    private HpaPrinter() {}

    static void register(Map<String, KindTable> tables) {
        KindTable.put(
                tables,
                "autoscaling",
                "HorizontalPodAutoscaler",
                List.of(
                        Columns.name(),
                        Columns.string("Reference", HPA_SPEC_SCALE_TARGET_REF),
                        Columns.string("Targets", HPA_SPEC_METRICS),
                        Columns.string("MinPods", HPA_SPEC_MIN_REPLICAS),
                        Columns.string("MaxPods", HPA_SPEC_MAX_REPLICAS),
                        Columns.string("Replicas", HPA_STATUS_CURRENT_REPLICAS),
                        Columns.age()),
                HpaPrinter::cells);
    }

    /** An absent minReplicas prints as 1, the value the API server defaults it to. */
    static List<Object> cells(JsonNode hpa, Instant now) {
        JsonNode spec = Nodes.at(hpa, "spec");
        return List.of(
                Nodes.name(hpa),
                Nodes.text(spec, "scaleTargetRef", "kind") + "/" + Nodes.text(spec, "scaleTargetRef", "name"),
                formatMetrics(specMetrics(spec), currentMetrics(hpa)),
                Long.toString(Nodes.numberOr(spec, 1, "minReplicas")),
                Nodes.number(spec, "maxReplicas"),
                Nodes.number(hpa, "status", "currentReplicas"),
                Nodes.age(hpa, now));
    }

    private static List<JsonNode> specMetrics(JsonNode spec) {
        if (Nodes.size(spec, "metrics") > 0) {
            return Nodes.list(spec, "metrics");
        }
        // v2 defaulting gives a metric-less autoscaler an 80% CPU target; v1 states its own target.
        long target = Nodes.numberOr(spec, DEFAULT_CPU_UTILIZATION, "targetCPUUtilizationPercentage");
        ObjectNode metric = JsonNodeFactory.instance.objectNode().put("type", "Resource");
        ObjectNode resource = metric.putObject("resource").put("name", "cpu");
        resource.putObject("target").put("type", "Utilization").put("averageUtilization", target);
        return List.of(metric);
    }

    private static List<JsonNode> currentMetrics(JsonNode hpa) {
        JsonNode status = Nodes.at(hpa, "status");
        if (!Nodes.present(status, "currentCPUUtilizationPercentage")) {
            return Nodes.list(status, "currentMetrics");
        }
        ObjectNode metric = JsonNodeFactory.instance.objectNode().put("type", "Resource");
        ObjectNode resource = metric.putObject("resource").put("name", "cpu");
        resource.putObject("current")
                .put("averageUtilization", Nodes.number(status, "currentCPUUtilizationPercentage"));
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
                    switch (Nodes.text(spec, "type")) {
                        case "External" -> valueMetric(spec, status, "external");
                        case "Object" -> valueMetric(spec, status, "object");
                        case "Pods" -> {
                            String current = Nodes.present(status, "pods")
                                    ? Quantities.formatPointer(status, "pods", "current", "averageValue")
                                    : "<unknown>";
                            yield current + "/" + Quantities.formatPointer(spec, "pods", "target", "averageValue");
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
        boolean hasStatus = Nodes.present(status, source);
        if (Nodes.present(spec, source, "target", "averageValue")) {
            String current = hasStatus && Nodes.present(status, source, "current", "averageValue")
                    ? Quantities.formatPointer(status, source, "current", "averageValue")
                    : "<unknown>";
            return current + "/" + Quantities.formatPointer(spec, source, "target", "averageValue") + " (avg)";
        }
        String current = hasStatus ? Quantities.formatPointer(status, source, "current", "value") : "<unknown>";
        return current + "/" + Quantities.formatPointer(spec, source, "target", "value");
    }

    /** Resource and ContainerResource metrics: "cpu: 10%/50%" or "memory: 100Mi/200Mi". */
    private static String resourceMetric(JsonNode spec, JsonNode status, String source) {
        String name = Nodes.text(spec, source, "name");
        boolean hasStatus = Nodes.present(status, source);
        if (Nodes.present(spec, source, "target", "averageValue")) {
            String current =
                    hasStatus ? Quantities.formatPointer(status, source, "current", "averageValue") : "<unknown>";
            return name + ": " + current + "/" + Quantities.formatPointer(spec, source, "target", "averageValue");
        }
        String current = hasStatus && Nodes.present(status, source, "current", "averageUtilization")
                ? Nodes.number(status, source, "current", "averageUtilization") + "%"
                : "<unknown>";
        String target = Nodes.present(spec, source, "target", "averageUtilization")
                ? Nodes.number(spec, source, "target", "averageUtilization") + "%"
                : "<auto>";
        return name + ": " + current + "/" + target;
    }
}
