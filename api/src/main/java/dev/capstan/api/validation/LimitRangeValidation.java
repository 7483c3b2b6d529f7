package dev.capstan.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.model.json.JsonReads;
import dev.capstan.model.json.KubeJson;
import dev.capstan.model.quantity.Quantity;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * LimitRange: core validation's ValidateLimitRange and core/v1's SetDefaults_LimitRangeItem.
 *
 * <p>The strategy (pkg/registry/core/limitrange) resets nothing, and its update validation is ValidateLimitRange on the
 * new object alone: no metadata update rules. Upstream walks Go maps in random order; here lists are walked in document
 * order, so causes come in a stable order.
 */
public final class LimitRangeValidation {
    private LimitRangeValidation() {}

    private static final Set<String> TYPES = Set.of("Pod", "Container", "PersistentVolumeClaim");
    /** resource.MaxMilliValue: above it upstream compares whole units instead of milli-units. */
    private static final long MAX_MILLI_VALUE = Long.MAX_VALUE / 1000;

    /** ValidateLimitRange. */
    public static List<Cause> validateLimitRange(ObjectNode obj) {
        Errors errs = new Errors();
        CoreObjectMeta.create(obj, NameRules.NameRule.DNS_SUBDOMAIN, true, errs);
        Set<String> types = new HashSet<>();
        List<JsonNode> limits = JsonReads.items(JsonReads.obj(obj, "spec"), "limits");
        for (int i = 0; i < limits.size(); i++) {
            item(limits.get(i), Errors.index("spec.limits", i), types, errs);
        }
        return errs.list();
    }

    /** The strategy's ValidateUpdate: ValidateLimitRange on the new object only. */
    public static List<Cause> validateLimitRangeUpdate(ObjectNode obj, ObjectNode old) {
        return validateLimitRange(obj);
    }

    /**
     * SetObjectDefaults_LimitRange: for a Container item, max fills a missing default, then default and min fill a
     * missing defaultRequest; every list is then rounded up to milli precision.
     */
    public static void defaultLimitRange(ObjectNode obj) {
        for (JsonNode l : JsonReads.items(JsonReads.obj(obj, "spec"), "limits")) {
            ObjectNode item = (ObjectNode) l;
            if (JsonReads.str(item, "type").equals("Container")) {
                fill(item, "default", JsonReads.obj(item, "max"));
                fill(item, "defaultRequest", JsonReads.obj(item, "default"));
                fill(item, "defaultRequest", JsonReads.obj(item, "min"));
            }
            for (String list : List.of("max", "min", "default", "defaultRequest", "maxLimitRequestRatio")) {
                ResourceRules.roundUpToMilli(JsonReads.obj(item, list));
            }
        }
    }

    private static void fill(ObjectNode item, String target, ObjectNode from) {
        if (from == null || from.isEmpty()) {
            return;
        }
        ObjectNode to = KubeJson.child(item, target);
        from.properties().forEach(e -> {
            if (!to.has(e.getKey())) {
                to.set(e.getKey(), e.getValue().deepCopy());
            }
        });
    }

    private static void item(JsonNode limit, String path, Set<String> types, Errors errs) {
        String type = JsonReads.str(limit, "type");
        String typePath = Errors.child(path, "type");
        List<String> msgs = NameRules.qualifiedName(type);
        if (!msgs.isEmpty()) {
            errs.invalidEach(typePath, type, msgs);
        } else if (!type.contains("/") && !TYPES.contains(type)) {
            errs.invalid(typePath, type, "must be a standard limit type or fully qualified");
        }
        if (!types.add(type)) {
            errs.duplicate(typePath, type);
        }
        Set<String> keys = new LinkedHashSet<>();
        Map<String, ResourceRules.Parsed> max = named(limit, "max", type, path, keys, errs);
        Map<String, ResourceRules.Parsed> min = named(limit, "min", type, path, keys, errs);
        Map<String, ResourceRules.Parsed> defaults = new LinkedHashMap<>();
        Map<String, ResourceRules.Parsed> defaultRequests = new LinkedHashMap<>();
        if (type.equals("Pod")) {
            if (!JsonReads.entries(limit, "default").isEmpty()) {
                errs.forbidden(Errors.child(path, "default"), "may not be specified when `type` is 'Pod'");
            }
            if (!JsonReads.entries(limit, "defaultRequest").isEmpty()) {
                errs.forbidden(Errors.child(path, "defaultRequest"), "may not be specified when `type` is 'Pod'");
            }
        } else {
            defaults = named(limit, "default", type, path, keys, errs);
            defaultRequests = named(limit, "defaultRequest", type, path, keys, errs);
        }
        if (type.equals("PersistentVolumeClaim")
                && !JsonReads.has(JsonReads.obj(limit, "min"), "storage")
                && !JsonReads.has(JsonReads.obj(limit, "max"), "storage")) {
            errs.required(
                    Errors.child(path, "limits"),
                    "either minimum or maximum storage value is required, but neither was provided");
        }
        Map<String, ResourceRules.Parsed> ratios = named(limit, "maxLimitRequestRatio", type, path, keys, errs);
        for (String k : keys) {
            compare(k, path, min.get(k), max.get(k), defaults.get(k), defaultRequests.get(k), ratios.get(k), errs);
        }
    }

    private static Map<String, ResourceRules.Parsed> named(
            JsonNode limit, String list, String type, String path, Set<String> keys, Errors errs) {
        String lp = Errors.child(path, list);
        Map<String, ResourceRules.Parsed> out = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : JsonReads.entries(limit, list)) {
            String kp = Errors.key(lp, e.getKey());
            if (type.equals("Pod") || type.equals("Container")) {
                ResourceRules.containerName(e.getKey(), kp, errs);
            } else {
                ResourceRules.name(e.getKey(), kp, errs);
            }
            keys.add(e.getKey());
            Quantity q = ResourceRules.parse(e.getValue(), kp, errs);
            if (q != null) {
                out.put(e.getKey(), new ResourceRules.Parsed(e.getValue(), q));
            }
        }
        return out;
    }

    private static void compare(
            String k,
            String path,
            ResourceRules.Parsed min,
            ResourceRules.Parsed max,
            ResourceRules.Parsed def,
            ResourceRules.Parsed defReq,
            ResourceRules.Parsed ratio,
            Errors errs) {
        String minPath = Errors.key(Errors.child(path, "min"), k);
        String defPath = Errors.key(Errors.child(path, "default"), k);
        String defReqPath = Errors.key(Errors.child(path, "defaultRequest"), k);
        String ratioPath = Errors.key(Errors.child(path, "maxLimitRequestRatio"), k);
        if (min != null && max != null && gt(min, max)) {
            errs.invalid(minPath, go(min), "min value " + min.q() + " is greater than max value " + max.q());
        }
        if (defReq != null && min != null && gt(min, defReq)) {
            errs.invalid(
                    defReqPath,
                    go(defReq),
                    "min value " + min.q() + " is greater than default request value " + defReq.q());
        }
        if (defReq != null && max != null && gt(defReq, max)) {
            errs.invalid(
                    defReqPath,
                    go(defReq),
                    "default request value " + defReq.q() + " is greater than max value " + max.q());
        }
        if (defReq != null && def != null && gt(defReq, def)) {
            errs.invalid(
                    defReqPath,
                    go(defReq),
                    "default request value " + defReq.q() + " is greater than default limit value " + def.q());
        }
        if (def != null && min != null && gt(min, def)) {
            errs.invalid(defPath, go(min), "min value " + min.q() + " is greater than default value " + def.q());
        }
        if (def != null && max != null && gt(def, max)) {
            errs.invalid(defPath, go(max), "default value " + def.q() + " is greater than max value " + max.q());
        }
        if (ratio != null && ratio.q().amount().compareTo(BigDecimal.ONE) < 0) {
            errs.invalid(ratioPath, go(ratio), "ratio " + ratio.q() + " is less than 1");
        }
        if (ratio != null && min != null && max != null) {
            double ratioValue = value(ratio.q());
            long minValue = value(min.q());
            long maxValue = value(max.q());
            if (value(ratio.q()) < MAX_MILLI_VALUE && minValue < MAX_MILLI_VALUE && maxValue < MAX_MILLI_VALUE) {
                ratioValue = milli(ratio.q()) / 1000.0;
                minValue = milli(min.q());
                maxValue = milli(max.q());
            }
            double limit = (double) maxValue / (double) minValue;
            if (ratioValue > limit) {
                errs.invalid(
                        ratioPath, go(ratio), "ratio " + ratio.q() + " is greater than max/min = " + goFloat(limit));
            }
        }
        if (!ResourceRules.isOvercommitAllowed(k)
                && def != null
                && defReq != null
                && def.q().compareTo(defReq.q()) != 0) {
            errs.invalid(
                    defReqPath,
                    go(defReq),
                    "default value " + def.q() + " must equal to defaultRequest value " + defReq.q() + " in " + k);
        }
    }

    private static boolean gt(ResourceRules.Parsed a, ResourceRules.Parsed b) {
        return a.q().compareTo(b.q()) > 0;
    }

    /** The Go form of a quantity whose String() the message already called, so its string cache is filled. */
    private static GoFormat.Literal go(ResourceRules.Parsed p) {
        return GoQuantity.literal(p.raw(), true);
    }

    private static long value(Quantity q) {
        return q.amount().setScale(0, RoundingMode.UP).longValue();
    }

    private static long milli(Quantity q) {
        return q.amount().movePointRight(3).setScale(0, RoundingMode.UP).longValue();
    }

    /** Go's %f: six decimals, with +Inf and NaN for a zero minimum. */
    private static String goFloat(double d) {
        if (Double.isNaN(d)) {
            return "NaN";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "+Inf" : "-Inf";
        }
        return String.format(Locale.ROOT, "%f", d);
    }
}
