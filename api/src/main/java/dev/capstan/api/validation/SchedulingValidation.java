package dev.capstan.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.model.json.JsonReads;
import java.util.List;
import java.util.Map;

/**
 * scheduling.k8s.io/v1 PriorityClass (pkg/apis/scheduling/validation). That only one class is the global default
 * is enforced by the Priority admission plugin, not here.
 */
public final class SchedulingValidation {
    private SchedulingValidation() {}

    static final long HIGHEST_USER_DEFINABLE_PRIORITY = 1_000_000_000L;
    private static final String SYSTEM_PREFIX = "system-";

    /** The built-in classes that alone may carry the system- prefix: value and globalDefault are fixed. */
    private static final Map<String, Long> SYSTEM_CLASSES =
            Map.of("system-node-critical", 2_000_001_000L, "system-cluster-critical", 2_000_000_000L);

    private static final List<String> PREEMPTION_POLICIES = List.of("PreemptLowerPriority", "Never");

    /** ValidatePriorityClass. */
    public static List<Cause> validatePriorityClass(ObjectNode obj) {
        Errors errs = new Errors();
        priorityClass(obj, errs);
        return errs.list();
    }

    /**
     * ValidatePriorityClassUpdate, all the strategy runs on update: value and preemptionPolicy are fixed (the create
     * rules are not repeated, so a stored class keeps passing).
     */
    public static List<Cause> validatePriorityClassUpdate(ObjectNode obj, ObjectNode old) {
        Errors errs = new Errors();
        GroupMeta.update(GroupMeta.meta(obj), errs);
        if (JsonReads.numOr(obj, 0, "value") != JsonReads.numOr(old, 0, "value")) {
            errs.forbidden("value", "may not be changed in an update.");
        }
        GroupMeta.immutable(
                GroupMeta.get(obj, "preemptionPolicy"),
                GroupMeta.get(old, "preemptionPolicy"),
                "preemptionPolicy",
                GroupMeta.pointer(obj, "preemptionPolicy"),
                errs);
        return errs.list();
    }

    private static void priorityClass(JsonNode pc, Errors errs) {
        GroupMeta.create(GroupMeta.meta(pc), false, GroupMeta.DNS_SUBDOMAIN, errs);
        String name = JsonReads.str(GroupMeta.meta(pc), "name");
        long value = JsonReads.numOr(pc, 0, "value");
        if (name.startsWith(SYSTEM_PREFIX)) {
            String err = knownSystemClass(name, value, JsonReads.bool(pc, "globalDefault"));
            if (err != null) {
                errs.forbidden(
                        "metadata.name",
                        "priority class names with '" + SYSTEM_PREFIX
                                + "' prefix are reserved for system use only. error: " + err);
            }
        } else if (value > HIGHEST_USER_DEFINABLE_PRIORITY) {
            errs.forbidden(
                    "value", "maximum allowed value of a user defined priority is " + HIGHEST_USER_DEFINABLE_PRIORITY);
        }
        if (JsonReads.has(pc, "preemptionPolicy")) {
            String policy = JsonReads.str(pc, "preemptionPolicy");
            if (policy.isEmpty()) {
                errs.required("preemptionPolicy", "");
            } else if (!PREEMPTION_POLICIES.contains(policy)) {
                errs.notSupported("preemptionPolicy", policy, PREEMPTION_POLICIES);
            }
        }
    }

    /** IsKnownSystemPriorityClass: null when known and matching, else upstream's error text. */
    private static String knownSystemClass(String name, long value, boolean globalDefault) {
        Long expected = SYSTEM_CLASSES.get(name);
        if (expected == null) {
            return name + " is not a known system priority class";
        }
        if (expected != value) {
            return "value of " + name + " PriorityClass must be " + expected;
        }
        if (globalDefault) {
            return "globalDefault of " + name + " PriorityClass must be false";
        }
        return null;
    }

    /** scheduling/v1 SetDefaults_PriorityClass. */
    public static void defaultPriorityClass(ObjectNode obj) {
        GroupMeta.defaultPointer(obj, "preemptionPolicy", "PreemptLowerPriority");
    }
}
