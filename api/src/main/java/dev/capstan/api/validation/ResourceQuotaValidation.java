package dev.capstan.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.model.json.JsonReads;
import dev.capstan.model.quantity.Quantity;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * ResourceQuota: core validation's ValidateResourceQuota, ValidateResourceQuotaUpdate and
 * ValidateResourceQuotaStatusUpdate, and the v1 defaults (every quantity rounded up to milli precision).
 *
 * <p>The strategy (pkg/registry/core/resourcequota) clears the status on create and keeps the stored status on update
 * ({@link #prepareForCreate}, {@link #prepareForUpdate}); the status strategy keeps the stored spec. The main update
 * runs ValidateResourceQuotaUpdate alone, which does not look at the status. Upstream's status update also requires a
 * resourceVersion; the server fills it before validation (as upstream's store does for unconditional updates), so that
 * rule is left to it.
 */
public final class ResourceQuotaValidation {
    private ResourceQuotaValidation() {}

    private static final Set<String> SCOPES = Set.of(
            "Terminating",
            "NotTerminating",
            "BestEffort",
            "NotBestEffort",
            "PriorityClass",
            "CrossNamespacePodAffinity");
    private static final Set<String> POD_COMPUTE =
            Set.of("cpu", "memory", "limits.cpu", "limits.memory", "requests.cpu", "requests.memory");
    private static final List<List<String>> CONFLICTS =
            List.of(List.of("BestEffort", "NotBestEffort"), List.of("Terminating", "NotTerminating"));

    /** ValidateResourceQuota: metadata, spec and status. */
    public static List<Cause> validateResourceQuota(ObjectNode obj) {
        Errors errs = new Errors();
        quota(obj, errs);
        return errs.list();
    }

    /** The strategy's ValidateUpdate, ValidateResourceQuotaUpdate: metadata, spec, and scopes immutable. */
    public static List<Cause> validateResourceQuotaUpdate(ObjectNode obj, ObjectNode old) {
        Errors errs = new Errors();
        CoreObjectMeta.update(obj, errs);
        spec(JsonReads.obj(obj, "spec"), errs);
        List<String> scopes = JsonReads.strings(JsonReads.obj(obj, "spec"), "scopes");
        List<String> oldScopes = JsonReads.strings(JsonReads.obj(old, "spec"), "scopes");
        if (!new HashSet<>(scopes).equals(new HashSet<>(oldScopes))) {
            errs.invalid("spec.scopes", scopeSlice(JsonReads.obj(obj, "spec")), "field is immutable");
        }
        return errs.list();
    }

    /** ValidateResourceQuotaStatusUpdate: metadata update checks and the status hard and used lists. */
    public static List<Cause> validateResourceQuotaStatusUpdate(ObjectNode obj, ObjectNode old) {
        Errors errs = new Errors();
        CoreObjectMeta.update(obj, errs);
        resources(JsonReads.obj(obj, "status"), "hard", "status.hard", errs);
        resources(JsonReads.obj(obj, "status"), "used", "status.used", errs);
        return errs.list();
    }

    /** SetObjectDefaults_ResourceQuota: spec.hard, status.hard and status.used rounded up to milli precision. */
    public static void defaultResourceQuota(ObjectNode obj) {
        ResourceRules.roundUpToMilli(JsonReads.obj(obj, "spec", "hard"));
        ResourceRules.roundUpToMilli(JsonReads.obj(obj, "status", "hard"));
        ResourceRules.roundUpToMilli(JsonReads.obj(obj, "status", "used"));
    }

    /** PrepareForCreate: the status is cleared. */
    public static void prepareForCreate(ObjectNode obj) {
        obj.remove("status");
    }

    /** PrepareForUpdate: the stored status is kept. */
    public static void prepareForUpdate(ObjectNode obj, ObjectNode old) {
        if (JsonReads.has(old, "status")) {
            obj.set("status", old.get("status").deepCopy());
        } else {
            obj.remove("status");
        }
    }

    /** The status strategy's PrepareForUpdate: the stored spec is kept. */
    public static void prepareForStatusUpdate(ObjectNode obj, ObjectNode old) {
        if (JsonReads.has(old, "spec")) {
            obj.set("spec", old.get("spec").deepCopy());
        } else {
            obj.remove("spec");
        }
    }

    private static void quota(ObjectNode obj, Errors errs) {
        CoreObjectMeta.create(obj, NameRules.NameRule.DNS_SUBDOMAIN, true, errs);
        spec(JsonReads.obj(obj, "spec"), errs);
        resources(JsonReads.obj(obj, "status"), "hard", "status.hard", errs);
        resources(JsonReads.obj(obj, "status"), "used", "status.used", errs);
    }

    private static void spec(JsonNode spec, Errors errs) {
        resources(spec, "hard", "spec.hard", errs);
        scopes(spec, errs);
        if (JsonReads.has(spec, "scopeSelector")) {
            scopeSelector(spec, errs);
        }
    }

    private static void resources(JsonNode parent, String list, String path, Errors errs) {
        for (Map.Entry<String, String> e : JsonReads.entries(parent, list)) {
            String rp = Errors.key(path, e.getKey());
            ResourceRules.quotaName(e.getKey(), rp, errs);
            Quantity q = ResourceRules.parse(e.getValue(), rp, errs);
            if (q != null) {
                ResourceRules.quantityValue(e.getKey(), e.getValue(), q, rp, errs);
            }
        }
    }

    /** The hard resource names, sorted as upstream's sets.List returns them. */
    private static Set<String> hard(JsonNode spec) {
        Set<String> out = new TreeSet<>();
        JsonReads.entries(spec, "hard").forEach(e -> out.add(e.getKey()));
        return out;
    }

    /** IsResourceQuotaScopeValidForResource. */
    private static boolean validFor(String scope, String resource) {
        return switch (scope) {
            case "Terminating", "NotTerminating", "NotBestEffort", "PriorityClass", "CrossNamespacePodAffinity" ->
                resource.equals("pods") || POD_COMPUTE.contains(resource);
            case "BestEffort" -> resource.equals("pods");
            default -> true;
        };
    }

    private static void scopes(JsonNode spec, Errors errs) {
        List<String> scopes = JsonReads.strings(spec, "scopes");
        if (scopes.isEmpty()) {
            return;
        }
        Set<String> hard = hard(spec);
        Set<String> seen = new HashSet<>();
        for (String scope : scopes) {
            if (!SCOPES.contains(scope)) {
                errs.invalid("spec.scopes", scopeSlice(spec), "unsupported scope");
            }
            for (String k : hard) {
                if (ResourceRules.isStandardQuotaResource(k) && !validFor(scope, k)) {
                    errs.invalid("spec.scopes", scopeSlice(spec), "unsupported scope applied to resource");
                }
            }
            seen.add(scope);
        }
        for (List<String> pair : CONFLICTS) {
            if (seen.containsAll(pair)) {
                errs.invalid("spec.scopes", scopeSlice(spec), "conflicting scopes");
            }
        }
    }

    private static void scopeSelector(JsonNode spec, Errors errs) {
        String path = "spec.scopeSelector.matchExpressions";
        Set<String> hard = hard(spec);
        Set<String> seen = new HashSet<>();
        for (JsonNode req : JsonReads.items(JsonReads.obj(spec, "scopeSelector"), "matchExpressions")) {
            String scope = JsonReads.str(req, "scopeName");
            String op = JsonReads.str(req, "operator");
            List<String> values = JsonReads.strings(req, "values");
            if (!SCOPES.contains(scope)) {
                errs.invalid(path + ".scopeName", scope, "unsupported scope");
            }
            for (String k : hard) {
                if (ResourceRules.isStandardQuotaResource(k) && !validFor(scope, k)) {
                    errs.invalid(
                            path,
                            selectorLiteral(JsonReads.obj(spec, "scopeSelector")),
                            "unsupported scope applied to resource");
                }
            }
            if (List.of("BestEffort", "NotBestEffort", "Terminating", "NotTerminating", "CrossNamespacePodAffinity")
                            .contains(scope)
                    && !op.equals("Exists")) {
                errs.invalid(
                        path + ".operator",
                        op,
                        "must be 'Exists' when scope is any of ResourceQuotaScopeTerminating,"
                                + " ResourceQuotaScopeNotTerminating, ResourceQuotaScopeBestEffort,"
                                + " ResourceQuotaScopeNotBestEffort or ResourceQuotaScopeCrossNamespacePodAffinity");
            }
            switch (op) {
                case "In", "NotIn" -> {
                    if (values.isEmpty()) {
                        errs.required(
                                path + ".values",
                                "must be at least one value when `operator` is 'In' or 'NotIn' for scope selector");
                    }
                }
                case "Exists", "DoesNotExist" -> {
                    if (!values.isEmpty()) {
                        errs.invalid(
                                path + ".values",
                                GoFormat.stringSlice(values),
                                "must be no value when `operator` is 'Exist' or 'DoesNotExist' for scope selector");
                    }
                }
                default -> errs.invalid(path + ".operator", op, "not a valid selector operator");
            }
            seen.add(scope);
        }
        for (List<String> pair : CONFLICTS) {
            if (seen.containsAll(pair)) {
                // upstream reports the spec's scopes list here, not the selector
                errs.invalid(path, scopeSlice(spec), "conflicting scopes");
            }
        }
    }

    private static GoFormat.Literal scopeSlice(JsonNode spec) {
        if (!JsonReads.has(spec, "scopes")) {
            return new GoFormat.Literal("[]core.ResourceQuotaScope(nil)");
        }
        return new GoFormat.Literal(JsonReads.strings(spec, "scopes").stream()
                .map(GoFormat::quote)
                .collect(Collectors.joining(", ", "[]core.ResourceQuotaScope{", "}")));
    }

    private static GoFormat.Literal selectorLiteral(JsonNode selector) {
        String exprs = JsonReads.items(selector, "matchExpressions").stream()
                .map(r -> "core.ScopedResourceSelectorRequirement{ScopeName:"
                        + GoFormat.quote(JsonReads.str(r, "scopeName"))
                        + ", Operator:" + GoFormat.quote(JsonReads.str(r, "operator")) + ", Values:"
                        + GoFormat.stringSlice(JsonReads.has(r, "values") ? JsonReads.strings(r, "values") : null)
                                .text()
                        + "}")
                .collect(Collectors.joining(", ", "[]core.ScopedResourceSelectorRequirement{", "}"));
        if (!JsonReads.has(selector, "matchExpressions")) {
            exprs = "[]core.ScopedResourceSelectorRequirement(nil)";
        }
        return new GoFormat.Literal("core.ScopeSelector{MatchExpressions:" + exprs + "}");
    }
}
