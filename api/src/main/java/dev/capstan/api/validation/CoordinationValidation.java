package dev.capstan.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.model.json.JsonReads;
import java.util.List;

/**
 * coordination.k8s.io/v1 Lease (pkg/apis/coordination/validation). holderIdentity and the times are free-form
 * upstream; only the counts and the coordinated-election strategy fields are checked.
 *
 * <p>Strategy: CoordinatedLeaderElection is alpha and off in 1.32, so {@link #prepareForCreate} drops
 * spec.strategy and spec.preferredHolder, and {@link #prepareForUpdate} drops them unless the stored Lease had them.
 * Lease has no status subresource and no defaults.
 */
public final class CoordinationValidation {
    private CoordinationValidation() {}

    private static final List<String> STRATEGIES = List.of("OldestEmulationVersion");

    /** ValidateLease. */
    public static List<Cause> validateLease(ObjectNode obj) {
        Errors errs = new Errors();
        GroupMeta.create(GroupMeta.meta(obj), true, GroupMeta.DNS_SUBDOMAIN, errs);
        spec(JsonReads.obj(obj, "spec"), errs);
        return errs.list();
    }

    /** ValidateLeaseUpdate: nothing is immutable; the spec is checked as on create. */
    public static List<Cause> validateLeaseUpdate(ObjectNode obj, ObjectNode old) {
        Errors errs = new Errors();
        GroupMeta.update(GroupMeta.meta(obj), errs);
        spec(JsonReads.obj(obj, "spec"), errs);
        return errs.list();
    }

    private static void spec(JsonNode spec, Errors errs) {
        Long duration = JsonReads.num(spec, "leaseDurationSeconds");
        if (duration != null && duration <= 0) {
            errs.invalid("spec.leaseDurationSeconds", duration, "must be greater than 0");
        }
        Long transitions = JsonReads.num(spec, "leaseTransitions");
        if (transitions != null && transitions < 0) {
            errs.invalid("spec.leaseTransitions", transitions, "must be greater than or equal to 0");
        }
        if (JsonReads.has(spec, "strategy")) {
            // upstream appends "strategy" to the path it was handed, which already ends in strategy
            String strategy = JsonReads.str(spec, "strategy");
            if (!strategy.contains("/")) {
                if (!STRATEGIES.contains(strategy)) {
                    errs.notSupported("spec.strategy.strategy", strategy, STRATEGIES);
                }
            } else {
                errs.invalidEach("spec.strategy.strategy", strategy, NameRules.qualifiedName(strategy));
            }
        }
        if (!JsonReads.str(spec, "preferredHolder").isEmpty()
                && JsonReads.str(spec, "strategy").isEmpty()) {
            errs.forbidden("spec.preferredHolder", "may only be specified if `strategy` is defined");
        }
    }

    /** The Lease strategy's PrepareForCreate with CoordinatedLeaderElection off. */
    public static void prepareForCreate(ObjectNode obj) {
        if (obj.get("spec") instanceof ObjectNode spec) {
            spec.remove(List.of("strategy", "preferredHolder"));
        }
    }

    /** PrepareForUpdate with CoordinatedLeaderElection off: fields the stored Lease already had may stay. */
    public static void prepareForUpdate(ObjectNode obj, ObjectNode old) {
        JsonNode oldSpec = JsonReads.obj(old, "spec");
        if (obj.get("spec") instanceof ObjectNode spec) {
            for (String f : List.of("strategy", "preferredHolder")) {
                if (!JsonReads.has(oldSpec, f)) {
                    spec.remove(f);
                }
            }
        }
    }
}
