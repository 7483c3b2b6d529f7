package dev.capstan.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.model.json.JsonReads;
import dev.capstan.model.json.KubeJson;
import dev.capstan.model.quantity.Quantity;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * autoscaling/v2 HorizontalPodAutoscaler (pkg/apis/autoscaling/validation) and the autoscaling/v2 and v1 defaults.
 * An autoscaling/v1 object is validated after {@link HpaConversion#toV2}, as upstream validates the internal form.
 * HPAScaleToZero is alpha and off in 1.32: minReplicas must be at least 1 unless the stored object already had 0.
 *
 * <p>Order of a write, as upstream runs it: an autoscaling/v2 body gets {@link #defaultHorizontalPodAutoscaler};
 * an autoscaling/v1 body gets {@link #defaultHorizontalPodAutoscalerV1} and then {@link HpaConversion#toV2} (which
 * adds the default CPU metric); either is then validated here in its v2 form. Upstream stores autoscaling/v2 and
 * applies the v2 defaults again when it decodes the stored object, so a v1-written behavior is completed on read.
 *
 * <p>Strategy: create clears the status; update keeps the stored status; a status write keeps the stored spec
 * ({@link #prepareForCreate}, {@link #prepareForUpdate}, {@link #prepareForStatusUpdate}).
 */
public final class AutoscalingValidation {
    private AutoscalingValidation() {}

    static final int DEFAULT_CPU_UTILIZATION = 80;
    private static final int MAX_PERIOD_SECONDS = 1800;
    private static final int MAX_STABILIZATION_WINDOW_SECONDS = 3600;
    private static final List<String> SOURCE_TYPES =
            List.of("ContainerResource", "External", "Object", "Pods", "Resource");
    private static final List<String> SELECT_POLICIES = List.of("Disabled", "Max", "Min");
    private static final List<String> POLICY_TYPES = List.of("Percent", "Pods");
    private static final Set<String> TARGET_TYPES = Set.of("Utilization", "Value", "AverageValue");
    private static final String POPULATE = "must populate information for the given metric source";

    /** ValidateHorizontalPodAutoscaler on the autoscaling/v2 form. */
    public static List<Cause> validateHorizontalPodAutoscaler(ObjectNode obj) {
        Errors errs = new Errors();
        GroupMeta.create(GroupMeta.meta(obj), true, GroupMeta.DNS_SUBDOMAIN, errs);
        spec(JsonReads.obj(obj, "spec"), 1, errs);
        return errs.list();
    }

    /** ValidateHorizontalPodAutoscalerUpdate: an autoscaler already at minReplicas 0 may stay there. */
    public static List<Cause> validateHorizontalPodAutoscalerUpdate(ObjectNode obj, ObjectNode old) {
        Errors errs = new Errors();
        GroupMeta.update(GroupMeta.meta(obj), errs);
        Long oldMin = JsonReads.num(JsonReads.obj(old, "spec"), "minReplicas");
        spec(JsonReads.obj(obj, "spec"), oldMin != null && oldMin == 0 ? 0 : 1, errs);
        return errs.list();
    }

    /** ValidateHorizontalPodAutoscalerStatusUpdate. */
    public static List<Cause> validateHorizontalPodAutoscalerStatusUpdate(ObjectNode obj, ObjectNode old) {
        Errors errs = new Errors();
        GroupMeta.update(GroupMeta.meta(obj), errs);
        JsonNode status = JsonReads.obj(obj, "status");
        errs.nonNegative("status.currentReplicas", JsonReads.numOr(status, 0, "currentReplicas"));
        errs.nonNegative("status.desiredReplicas", JsonReads.numOr(status, 0, "desiredReplicas"));
        return errs.list();
    }

    private static void spec(JsonNode spec, long minBound, Errors errs) {
        Long min = JsonReads.num(spec, "minReplicas");
        long max = JsonReads.numOr(spec, 0, "maxReplicas");
        if (min != null && min < minBound) {
            errs.invalid("spec.minReplicas", min, "must be greater than or equal to " + minBound);
        }
        if (max < 1) {
            errs.invalid("spec.maxReplicas", max, "must be greater than 0");
        }
        if (min != null && max < min) {
            errs.invalid("spec.maxReplicas", max, "must be greater than or equal to `minReplicas`");
        }
        crossVersionReference(JsonReads.obj(spec, "scaleTargetRef"), "spec.scaleTargetRef", errs);
        List<JsonNode> metrics = JsonReads.items(spec, "metrics");
        boolean objectOrExternal = false;
        for (int i = 0; i < metrics.size(); i++) {
            metricSpec(metrics.get(i), Errors.index("spec.metrics", i), errs);
            String type = JsonReads.str(metrics.get(i), "type");
            objectOrExternal |= type.equals("Object") || type.equals("External");
        }
        if (min != null && min == 0 && !objectOrExternal) {
            errs.forbidden(
                    "spec.metrics",
                    "must specify at least one Object or External metric to support scaling to zero replicas");
        }
        JsonNode behavior = JsonReads.obj(spec, "behavior");
        if (behavior != null) {
            scalingRules(JsonReads.obj(behavior, "scaleUp"), "spec.behavior.scaleUp", errs);
            scalingRules(JsonReads.obj(behavior, "scaleDown"), "spec.behavior.scaleDown", errs);
        }
    }

    /** ValidateCrossVersionObjectReference: kind and name are required path segments. */
    private static void crossVersionReference(JsonNode ref, String path, Errors errs) {
        for (String f : List.of("kind", "name")) {
            String v = JsonReads.str(ref, f);
            if (v.isEmpty()) {
                errs.required(path + "." + f, "");
            } else {
                errs.invalidEach(path + "." + f, v, NameRules.pathSegmentName(v, false));
            }
        }
    }

    private static void scalingRules(JsonNode rules, String path, Errors errs) {
        if (rules == null) {
            return;
        }
        Long window = JsonReads.num(rules, "stabilizationWindowSeconds");
        if (window != null && window < 0) {
            errs.invalid(path + ".stabilizationWindowSeconds", window, "must be greater than or equal to zero");
        }
        if (window != null && window > MAX_STABILIZATION_WINDOW_SECONDS) {
            errs.invalid(
                    path + ".stabilizationWindowSeconds",
                    window,
                    "must be less than or equal to " + MAX_STABILIZATION_WINDOW_SECONDS);
        }
        if (JsonReads.has(rules, "selectPolicy") && !SELECT_POLICIES.contains(JsonReads.str(rules, "selectPolicy"))) {
            errs.notSupported(path + ".selectPolicy", JsonReads.str(rules, "selectPolicy"), SELECT_POLICIES);
        }
        List<JsonNode> policies = JsonReads.items(rules, "policies");
        if (policies.isEmpty()) {
            errs.required(path + ".policies", "must specify at least one Policy");
        }
        for (int i = 0; i < policies.size(); i++) {
            JsonNode policy = policies.get(i);
            String pp = Errors.index(path + ".policies", i);
            String type = JsonReads.str(policy, "type");
            if (!POLICY_TYPES.contains(type)) {
                errs.notSupported(pp + ".type", type, POLICY_TYPES);
            }
            long value = JsonReads.numOr(policy, 0, "value");
            if (value <= 0) {
                errs.invalid(pp + ".value", value, "must be greater than zero");
            }
            long period = JsonReads.numOr(policy, 0, "periodSeconds");
            if (period <= 0) {
                errs.invalid(pp + ".periodSeconds", period, "must be greater than zero");
            }
            if (period > MAX_PERIOD_SECONDS) {
                errs.invalid(pp + ".periodSeconds", period, "must be less than or equal to " + MAX_PERIOD_SECONDS);
            }
        }
    }

    /** validateMetricSpec: the source its type names must be set, and only that one. */
    private static void metricSpec(JsonNode metric, String path, Errors errs) {
        String type = JsonReads.str(metric, "type");
        if (type.isEmpty()) {
            errs.required(path + ".type", "must specify a metric source type");
        }
        if (!SOURCE_TYPES.contains(type)) {
            errs.notSupported(path + ".type", type, SOURCE_TYPES);
        }
        Map<String, String> fieldByType = new LinkedHashMap<>();
        fieldByType.put("Object", "object");
        fieldByType.put("External", "external");
        fieldByType.put("Pods", "pods");
        fieldByType.put("Resource", "resource");
        fieldByType.put("ContainerResource", "containerResource");
        List<String> present = new ArrayList<>();
        for (String field : fieldByType.values()) {
            if (JsonReads.has(metric, field)) {
                present.add(field);
                if (present.size() == 1) {
                    source(field, JsonReads.obj(metric, field), path + "." + field, errs);
                }
            }
        }
        String expected = fieldByType.get(type);
        if (expected == null) {
            errs.notSupported(path + ".type", type, SOURCE_TYPES);
        } else if (!JsonReads.has(metric, expected)) {
            errs.required(path + "." + expected, POPULATE);
        }
        if (present.size() != 1) {
            present.remove(expected);
            for (String field : present) {
                errs.forbidden(path + "." + field, "must populate the given metric source only");
            }
        }
    }

    private static void source(String field, JsonNode src, String path, Errors errs) {
        JsonNode target = JsonReads.obj(src, "target");
        boolean value = JsonReads.has(target, "value");
        boolean averageValue = JsonReads.has(target, "averageValue");
        boolean utilization = JsonReads.has(target, "averageUtilization");
        String tp = path + ".target";
        switch (field) {
            case "object" -> {
                crossVersionReference(JsonReads.obj(src, "describedObject"), path + ".describedObject", errs);
                metricIdentifier(JsonReads.obj(src, "metric"), path + ".metric", errs);
                metricTarget(target, tp, errs);
                if (!value && !averageValue) {
                    errs.required(tp + ".averageValue", "must set either a target value or averageValue");
                }
            }
            case "external" -> {
                metricIdentifier(JsonReads.obj(src, "metric"), path + ".metric", errs);
                metricTarget(target, tp, errs);
                if (!value && !averageValue) {
                    errs.required(
                            tp + ".averageValue", "must set either a target value for metric or a per-pod target");
                }
                if (value && averageValue) {
                    errs.forbidden(tp + ".value", "may not set both a target value for metric and a per-pod target");
                }
            }
            case "pods" -> {
                metricIdentifier(JsonReads.obj(src, "metric"), path + ".metric", errs);
                metricTarget(target, tp, errs);
                if (!averageValue) {
                    errs.required(tp + ".averageValue", "must specify a positive target averageValue");
                }
            }
            default -> {
                String name = JsonReads.str(src, "name");
                if (name.isEmpty()) {
                    errs.required(path + ".name", "must specify a resource name");
                } else if (field.equals("containerResource")) {
                    ResourceRules.containerName(name, path + ".name", errs);
                }
                if (field.equals("containerResource")) {
                    String container = JsonReads.str(src, "container");
                    if (container.isEmpty()) {
                        errs.required(path + ".container", "must specify a container");
                    } else {
                        errs.invalidEach(path + ".container", container, NameRules.dns1123Label(container));
                    }
                }
                metricTarget(target, tp, errs);
                if (!utilization && !averageValue) {
                    errs.required(
                            tp + ".averageUtilization", "must set either a target raw value or a target utilization");
                }
                if (utilization && averageValue) {
                    errs.forbidden(
                            tp + ".averageValue", "may not set both a target raw value and a target utilization");
                }
            }
        }
    }

    private static void metricTarget(JsonNode target, String path, Errors errs) {
        String type = JsonReads.str(target, "type");
        if (type.isEmpty()) {
            errs.required(path + ".type", "must specify a metric target type");
        }
        if (!TARGET_TYPES.contains(type)) {
            errs.invalid(path + ".type", type, "must be either Utilization, Value, or AverageValue");
        }
        for (String f : List.of("value", "averageValue")) {
            Quantity q = quantity(target, f);
            if (q != null && q.sign() != 1) {
                errs.invalid(path + "." + f, new GoFormat.Literal(q.toString()), "must be positive");
            }
        }
        Long utilization = JsonReads.num(target, "averageUtilization");
        if (utilization != null && utilization < 1) {
            errs.invalid(path + ".averageUtilization", utilization, "must be greater than 0");
        }
    }

    /** A quantity field, or null when absent or unparseable (which fails decoding before validation). */
    static Quantity quantity(JsonNode parent, String field) {
        if (!JsonReads.has(parent, field)) {
            return null;
        }
        try {
            return Quantity.parse(JsonReads.str(parent, field));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static void metricIdentifier(JsonNode id, String path, Errors errs) {
        String name = JsonReads.str(id, "name");
        if (name.isEmpty()) {
            errs.required(path + ".name", "must specify a metric name");
        } else {
            errs.invalidEach(path + ".name", name, NameRules.pathSegmentName(name, false));
        }
    }

    /**
     * autoscaling/v2 defaults: minReplicas 1, a CPU utilization target of 80% when no metric is given, and a
     * behavior completed from upstream's scale-up and scale-down rules.
     */
    public static void defaultHorizontalPodAutoscaler(ObjectNode obj) {
        ObjectNode spec = KubeJson.child(obj, "spec");
        if (!JsonReads.has(spec, "minReplicas")) {
            spec.put("minReplicas", 1);
        }
        if (JsonReads.items(spec, "metrics").isEmpty()) {
            spec.putArray("metrics").add(cpuUtilizationMetric(DEFAULT_CPU_UTILIZATION));
        }
        if (spec.get("behavior") instanceof ObjectNode behavior) {
            behavior.set("scaleUp", rules(JsonReads.obj(behavior, "scaleUp"), true));
            behavior.set("scaleDown", rules(JsonReads.obj(behavior, "scaleDown"), false));
        }
    }

    /** autoscaling/v1 defaults: minReplicas 1; the CPU default is applied in conversion, where it can be seen. */
    public static void defaultHorizontalPodAutoscalerV1(ObjectNode obj) {
        ObjectNode spec = KubeJson.child(obj, "spec");
        if (!JsonReads.has(spec, "minReplicas")) {
            spec.put("minReplicas", 1);
        }
    }

    static ObjectNode cpuUtilizationMetric(long percent) {
        ObjectNode m = JsonNodeFactory.instance.objectNode();
        m.put("type", "Resource");
        ObjectNode resource = m.putObject("resource");
        resource.put("name", "cpu");
        ObjectNode target = resource.putObject("target");
        target.put("type", "Utilization");
        GroupMeta.putInt(target, "averageUtilization", percent);
        return m;
    }

    /** GenerateHPAScaleUpRules / GenerateHPAScaleDownRules: upstream's rules with the set fields taken over. */
    private static ObjectNode rules(JsonNode from, boolean up) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        if (up) {
            out.put("stabilizationWindowSeconds", 0);
        }
        out.put("selectPolicy", "Max");
        ArrayNode policies = out.putArray("policies");
        if (up) {
            policies.addObject().put("type", "Pods").put("value", 4).put("periodSeconds", 15);
        }
        policies.addObject().put("type", "Percent").put("value", 100).put("periodSeconds", 15);
        if (from != null) {
            for (String f : List.of("selectPolicy", "stabilizationWindowSeconds")) {
                if (JsonReads.has(from, f)) {
                    out.set(f, from.get(f).deepCopy());
                }
            }
            // a present but empty list is kept (and then fails validation), as Go keeps a non-nil empty slice
            if (JsonReads.has(from, "policies")) {
                out.set("policies", from.get("policies").deepCopy());
            }
        }
        return out;
    }

    /** PrepareForCreate: no status. */
    public static void prepareForCreate(ObjectNode obj) {
        obj.remove("status");
    }

    /** PrepareForUpdate: the stored status stays. */
    public static void prepareForUpdate(ObjectNode obj, ObjectNode old) {
        AppsValidation.copy(obj, old, "status");
    }

    /** The status strategy's PrepareForUpdate: the stored spec stays. */
    public static void prepareForStatusUpdate(ObjectNode obj, ObjectNode old) {
        AppsValidation.copy(obj, old, "spec");
    }
}
