package dev.capstan.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.model.json.JsonReads;
import dev.capstan.model.json.KubeJson;
import java.util.List;
import java.util.Objects;

/**
 * rbac.authorization.k8s.io/v1 Role, ClusterRole, RoleBinding and ClusterRoleBinding (pkg/apis/rbac/validation).
 * Names are path segments (ValidateRBACName). The strategies do nothing beyond validation; the roleRef is fixed
 * once a binding exists.
 */
public final class RbacValidation {
    private RbacValidation() {}

    static final String GROUP = "rbac.authorization.k8s.io";

    /** ValidateRole: namespaced, rules may not use non-resource URLs. */
    public static List<Cause> validateRole(ObjectNode obj) {
        Errors errs = new Errors();
        role(obj, true, false, errs);
        return errs.list();
    }

    /** ValidateRoleUpdate: the create rules, then the metadata update checks. */
    public static List<Cause> validateRoleUpdate(ObjectNode obj, ObjectNode old) {
        Errors errs = new Errors();
        role(obj, true, false, errs);
        GroupMeta.update(GroupMeta.meta(obj), errs);
        return errs.list();
    }

    /** ValidateClusterRole: cluster-scoped rules and the aggregation rule's selectors. */
    public static List<Cause> validateClusterRole(ObjectNode obj) {
        Errors errs = new Errors();
        role(obj, false, false, errs);
        return errs.list();
    }

    /**
     * ValidateClusterRoleUpdate. Selector values that are not valid label values stay accepted when the stored role
     * already had such selectors (AllowInvalidLabelValueInSelector).
     */
    public static List<Cause> validateClusterRoleUpdate(ObjectNode obj, ObjectNode old) {
        Errors errs = new Errors();
        role(obj, false, hasInvalidSelectorValues(old), errs);
        GroupMeta.update(GroupMeta.meta(obj), errs);
        return errs.list();
    }

    /** The strategy's test: any error in the stored role's selectors waives the value check on update. */
    private static boolean hasInvalidSelectorValues(JsonNode role) {
        Errors errs = new Errors();
        for (JsonNode sel : JsonReads.items(JsonReads.obj(role, "aggregationRule"), "clusterRoleSelectors")) {
            Selectors.validate(sel, false, "", errs);
        }
        return !errs.isEmpty();
    }

    private static void role(JsonNode role, boolean namespaced, boolean allowInvalidValues, Errors errs) {
        GroupMeta.create(GroupMeta.meta(role), namespaced, GroupMeta.PATH_SEGMENT, errs);
        List<JsonNode> rules = JsonReads.items(role, "rules");
        for (int i = 0; i < rules.size(); i++) {
            policyRule(rules.get(i), namespaced, Errors.index("rules", i), errs);
        }
        JsonNode aggregation = JsonReads.obj(role, "aggregationRule");
        if (!namespaced && aggregation != null) {
            List<JsonNode> selectors = JsonReads.items(aggregation, "clusterRoleSelectors");
            String path = "aggregationRule.clusterRoleSelectors";
            if (selectors.isEmpty()) {
                errs.required(path, "at least one clusterRoleSelector required if aggregationRule is non-nil");
            }
            for (int i = 0; i < selectors.size(); i++) {
                String sp = Errors.index(path, i);
                Selectors.validate(selectors.get(i), allowInvalidValues, sp, errs);
                if (Selectors.matches(selectors.get(i), null).isEmpty()) {
                    // upstream reports the failed conversion's nil result
                    errs.invalid(sp, null, "invalid label selector.");
                }
            }
        }
    }

    /** ValidatePolicyRule. */
    private static void policyRule(JsonNode rule, boolean namespaced, String path, Errors errs) {
        if (JsonReads.items(rule, "verbs").isEmpty()) {
            errs.required(path + ".verbs", "verbs must contain at least one value");
        }
        List<String> urls = JsonReads.strings(rule, "nonResourceURLs");
        if (!urls.isEmpty()) {
            GoFormat.Literal shown = GoFormat.stringSlice(urls);
            if (namespaced) {
                errs.invalid(path + ".nonResourceURLs", shown, "namespaced rules cannot apply to non-resource URLs");
            }
            if (!JsonReads.items(rule, "apiGroups").isEmpty()
                    || !JsonReads.items(rule, "resources").isEmpty()
                    || !JsonReads.items(rule, "resourceNames").isEmpty()) {
                errs.invalid(
                        path + ".nonResourceURLs",
                        shown,
                        "rules cannot apply to both regular resources and non-resource URLs");
            }
            return;
        }
        if (JsonReads.items(rule, "apiGroups").isEmpty()) {
            errs.required(path + ".apiGroups", "resource rules must supply at least one api group");
        }
        if (JsonReads.items(rule, "resources").isEmpty()) {
            errs.required(path + ".resources", "resource rules must supply at least one resource");
        }
    }

    /** ValidateRoleBinding: the roleRef names a Role or ClusterRole of this group. */
    public static List<Cause> validateRoleBinding(ObjectNode obj) {
        Errors errs = new Errors();
        binding(obj, true, errs);
        return errs.list();
    }

    /** ValidateRoleBindingUpdate: the create rules, metadata update checks, and an unchanged roleRef. */
    public static List<Cause> validateRoleBindingUpdate(ObjectNode obj, ObjectNode old) {
        Errors errs = new Errors();
        binding(obj, true, errs);
        bindingUpdate(obj, old, errs);
        return errs.list();
    }

    /** ValidateClusterRoleBinding: the roleRef names a ClusterRole; service account subjects need a namespace. */
    public static List<Cause> validateClusterRoleBinding(ObjectNode obj) {
        Errors errs = new Errors();
        binding(obj, false, errs);
        return errs.list();
    }

    /** ValidateClusterRoleBindingUpdate. */
    public static List<Cause> validateClusterRoleBindingUpdate(ObjectNode obj, ObjectNode old) {
        Errors errs = new Errors();
        binding(obj, false, errs);
        bindingUpdate(obj, old, errs);
        return errs.list();
    }

    private static void binding(JsonNode binding, boolean namespaced, Errors errs) {
        GroupMeta.create(GroupMeta.meta(binding), namespaced, GroupMeta.PATH_SEGMENT, errs);
        JsonNode ref = JsonReads.obj(binding, "roleRef");
        String apiGroup = JsonReads.str(ref, "apiGroup");
        if (!apiGroup.equals(GROUP)) {
            errs.notSupported("roleRef.apiGroup", apiGroup, List.of(GROUP));
        }
        String kind = JsonReads.str(ref, "kind");
        List<String> kinds = namespaced ? List.of("Role", "ClusterRole") : List.of("ClusterRole");
        if (!kinds.contains(kind)) {
            errs.notSupported("roleRef.kind", kind, kinds);
        }
        String name = JsonReads.str(ref, "name");
        if (name.isEmpty()) {
            errs.required("roleRef.name", "");
        } else {
            errs.invalidEach("roleRef.name", name, NameRules.pathSegmentName(name, false));
        }
        List<JsonNode> subjects = JsonReads.items(binding, "subjects");
        for (int i = 0; i < subjects.size(); i++) {
            subject(subjects.get(i), namespaced, Errors.index("subjects", i), errs);
        }
    }

    /** ValidateRoleBindingSubject. */
    private static void subject(JsonNode subject, boolean namespaced, String path, Errors errs) {
        String name = JsonReads.str(subject, "name");
        if (name.isEmpty()) {
            errs.required(path + ".name", "");
        }
        String apiGroup = JsonReads.str(subject, "apiGroup");
        switch (JsonReads.str(subject, "kind")) {
            case "ServiceAccount" -> {
                if (!name.isEmpty()) {
                    errs.invalidEach(path + ".name", name, NameRules.NameRule.DNS_SUBDOMAIN.check(name, false));
                }
                if (!apiGroup.isEmpty()) {
                    errs.notSupported(path + ".apiGroup", apiGroup, List.of(""));
                }
                if (!namespaced && JsonReads.str(subject, "namespace").isEmpty()) {
                    errs.required(path + ".namespace", "");
                }
            }
            case "User", "Group" -> {
                if (!apiGroup.equals(GROUP)) {
                    errs.notSupported(path + ".apiGroup", apiGroup, List.of(GROUP));
                }
            }
            default ->
                errs.notSupported(
                        path + ".kind", JsonReads.str(subject, "kind"), List.of("ServiceAccount", "User", "Group"));
        }
    }

    private static void bindingUpdate(JsonNode binding, JsonNode old, Errors errs) {
        GroupMeta.update(GroupMeta.meta(binding), errs);
        JsonNode ref = JsonReads.obj(binding, "roleRef");
        JsonNode oldRef = JsonReads.obj(old, "roleRef");
        boolean same = true;
        for (String f : List.of("apiGroup", "kind", "name")) {
            same &= Objects.equals(JsonReads.str(ref, f), JsonReads.str(oldRef, f));
        }
        if (!same) {
            errs.invalid(
                    "roleRef",
                    new GoFormat.Literal("rbac.RoleRef{APIGroup:" + GoFormat.quote(JsonReads.str(ref, "apiGroup"))
                            + ", Kind:" + GoFormat.quote(JsonReads.str(ref, "kind")) + ", Name:"
                            + GoFormat.quote(JsonReads.str(ref, "name")) + "}"),
                    "cannot change roleRef");
        }
    }

    /** rbac/v1 defaults for RoleBinding: the roleRef's group and each subject's group. */
    public static void defaultRoleBinding(ObjectNode obj) {
        bindingDefaults(obj);
    }

    /** rbac/v1 defaults for ClusterRoleBinding, the same as for RoleBinding. */
    public static void defaultClusterRoleBinding(ObjectNode obj) {
        bindingDefaults(obj);
    }

    private static void bindingDefaults(ObjectNode obj) {
        ObjectNode ref = KubeJson.child(obj, "roleRef");
        if (JsonReads.str(ref, "apiGroup").isEmpty()) {
            ref.put("apiGroup", GROUP);
        }
        for (JsonNode s : JsonReads.items(obj, "subjects")) {
            if (s instanceof ObjectNode subject
                    && JsonReads.str(subject, "apiGroup").isEmpty()) {
                switch (JsonReads.str(subject, "kind")) {
                    case "ServiceAccount" -> subject.put("apiGroup", "");
                    case "User", "Group" -> subject.put("apiGroup", GROUP);
                    default -> {}
                }
            }
        }
    }
}
