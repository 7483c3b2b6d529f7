package dev.capstan.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.capstan.model.json.JsonReads;
import dev.capstan.model.json.KubeJson;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The parts of a Job spec that shape how it ends (batch validation's validatePodFailurePolicy, validateSuccessPolicy,
 * managedBy and the generated selector). JobSuccessPolicy, JobManagedBy and JobBackoffLimitPerIndex are beta and on
 * in 1.32.
 */
final class JobPolicies {
    private JobPolicies() {}

    private static final List<String> ACTIONS = List.of("Count", "FailIndex", "FailJob", "Ignore");
    private static final List<String> EXIT_CODE_OPERATORS = List.of("In", "NotIn");
    private static final List<String> CONDITION_STATUSES = List.of("False", "True", "Unknown");
    private static final int MAX_RULES = 20;
    private static final int MAX_EXIT_CODES = 255;
    private static final int MAX_CONDITION_PATTERNS = 20;
    private static final int MAX_MANAGED_BY = 63;
    private static final int MAX_SUCCEEDED_INDEXES = 64 * 1024;
    private static final String HTTP_PATH_FMT = "[A-Za-z0-9/\\-._~%!$&'()*+,;=:]+";
    private static final Pattern HTTP_PATH = Pattern.compile(HTTP_PATH_FMT);

    /** Go's %q of a []string, as upstream's "valid values" details print. */
    private static String quotedList(List<String> values) {
        return values.stream().map(GoFormat::quote).collect(Collectors.joining(" ", "[", "]"));
    }

    static void podFailurePolicy(JsonNode spec, String path, Errors errs) {
        JsonNode policy = JsonReads.obj(spec, "podFailurePolicy");
        String rulesPath = Errors.child(path, "rules");
        List<JsonNode> rules = JsonReads.items(policy, "rules");
        if (rules.size() > MAX_RULES) {
            GroupMeta.tooMany(rulesPath, rules.size(), MAX_RULES, errs);
        }
        Set<String> containers = new HashSet<>();
        for (String list : List.of("containers", "initContainers")) {
            JsonReads.items(spec, "template", "spec", list).forEach(c -> containers.add(JsonReads.str(c, "name")));
        }
        for (int i = 0; i < rules.size(); i++) {
            rule(spec, rules.get(i), Errors.index(rulesPath, i), containers, errs);
        }
    }

    private static void rule(JsonNode spec, JsonNode rule, String path, Set<String> containers, Errors errs) {
        String action = JsonReads.str(rule, "action");
        String ap = Errors.child(path, "action");
        if (action.isEmpty()) {
            errs.required(ap, "valid values: " + quotedList(ACTIONS));
        } else if (action.equals("FailIndex")) {
            if (!JsonReads.has(spec, "backoffLimitPerIndex")) {
                errs.invalid(ap, action, "requires the backoffLimitPerIndex to be set");
            }
        } else if (!ACTIONS.contains(action)) {
            errs.notSupported(ap, action, ACTIONS);
        }
        JsonNode exitCodes = JsonReads.obj(rule, "onExitCodes");
        List<JsonNode> conditions = JsonReads.items(rule, "onPodConditions");
        if (exitCodes != null) {
            onExitCodes(exitCodes, Errors.child(path, "onExitCodes"), containers, errs);
        }
        if (!conditions.isEmpty()) {
            onPodConditions(conditions, Errors.child(path, "onPodConditions"), errs);
        }
        if (exitCodes != null && !conditions.isEmpty()) {
            GroupMeta.invalidNoValue(path, "specifying both OnExitCodes and OnPodConditions is not supported", errs);
        }
        if (exitCodes == null && conditions.isEmpty()) {
            GroupMeta.invalidNoValue(path, "specifying one of OnExitCodes and OnPodConditions is required", errs);
        }
    }

    private static void onExitCodes(JsonNode req, String path, Set<String> containers, Errors errs) {
        String operator = JsonReads.str(req, "operator");
        String op = Errors.child(path, "operator");
        if (operator.isEmpty()) {
            errs.required(op, "valid values: " + quotedList(EXIT_CODE_OPERATORS));
        } else if (!EXIT_CODE_OPERATORS.contains(operator)) {
            errs.notSupported(op, operator, EXIT_CODE_OPERATORS);
        }
        if (JsonReads.has(req, "containerName") && !containers.contains(JsonReads.str(req, "containerName"))) {
            errs.invalid(
                    Errors.child(path, "containerName"),
                    JsonReads.str(req, "containerName"),
                    "must be one of the container or initContainer names in the pod template");
        }
        String vp = Errors.child(path, "values");
        List<Long> values = new ArrayList<>();
        JsonReads.items(req, "values").forEach(v -> values.add(v.asLong()));
        if (values.isEmpty()) {
            errs.invalid(vp, int32Slice(req, values), "at least one value is required");
        } else if (values.size() > MAX_EXIT_CODES) {
            GroupMeta.tooMany(vp, values.size(), MAX_EXIT_CODES, errs);
        }
        boolean ordered = true;
        Set<Long> unique = new HashSet<>();
        for (int j = 0; j < values.size(); j++) {
            long v = values.get(j);
            if (operator.equals("In") && v == 0) {
                errs.invalid(Errors.index(vp, j), v, "must not be 0 for the In operator");
            }
            if (!unique.add(v)) {
                errs.duplicate(Errors.index(vp, j), v);
            }
            if (j > 0 && values.get(j - 1) > v) {
                ordered = false;
            }
        }
        if (!ordered) {
            errs.invalid(vp, int32Slice(req, values), "must be ordered");
        }
    }

    private static GoFormat.Literal int32Slice(JsonNode req, List<Long> values) {
        if (!JsonReads.has(req, "values")) {
            return new GoFormat.Literal("[]int32(nil)");
        }
        return new GoFormat.Literal(
                values.stream().map(String::valueOf).collect(Collectors.joining(", ", "[]int32{", "}")));
    }

    private static void onPodConditions(List<JsonNode> patterns, String path, Errors errs) {
        if (patterns.size() > MAX_CONDITION_PATTERNS) {
            GroupMeta.tooMany(path, patterns.size(), MAX_CONDITION_PATTERNS, errs);
        }
        for (int j = 0; j < patterns.size(); j++) {
            String pp = Errors.index(path, j);
            String type = JsonReads.str(patterns.get(j), "type");
            errs.invalidEach(Errors.child(pp, "type"), type, NameRules.qualifiedName(type));
            String status = JsonReads.str(patterns.get(j), "status");
            if (status.isEmpty()) {
                errs.required(Errors.child(pp, "status"), "valid values: " + quotedList(CONDITION_STATUSES));
            } else if (!CONDITION_STATUSES.contains(status)) {
                errs.notSupported(Errors.child(pp, "status"), status, CONDITION_STATUSES);
            }
        }
    }

    /** validateSuccessPolicy, for Indexed Jobs only. */
    static void successPolicy(JsonNode spec, String path, Errors errs) {
        JsonNode policy = JsonReads.obj(spec, "successPolicy");
        if (!JsonReads.str(spec, "completionMode").equals("Indexed")) {
            errs.invalid(path, successPolicyLiteral(policy), "requires indexed completion mode");
            return;
        }
        String rulesPath = Errors.child(path, "rules");
        List<JsonNode> rules = JsonReads.items(policy, "rules");
        if (rules.isEmpty()) {
            errs.required(rulesPath, "at least one rules must be specified when the successPolicy is specified");
        }
        if (rules.size() > MAX_RULES) {
            GroupMeta.tooMany(rulesPath, rules.size(), MAX_RULES, errs);
        }
        Long completions = JsonReads.num(spec, "completions");
        for (int i = 0; i < rules.size(); i++) {
            successRule(rules.get(i), completions == null ? 0 : completions, Errors.index(rulesPath, i), errs);
        }
    }

    private static void successRule(JsonNode rule, long completions, String path, Errors errs) {
        boolean hasIndexes = JsonReads.has(rule, "succeededIndexes");
        boolean hasCount = JsonReads.has(rule, "succeededCount");
        if (!hasIndexes && !hasCount) {
            errs.required(path, "at least one of succeededCount or succeededIndexes must be specified");
        }
        long total = 0;
        if (hasIndexes) {
            String indexes = JsonReads.str(rule, "succeededIndexes");
            String ip = Errors.child(path, "succeededIndexes");
            if (NameRules.len(indexes) > MAX_SUCCEEDED_INDEXES) {
                errs.tooLong(ip, MAX_SUCCEEDED_INDEXES);
            }
            JobIndexes.Result result = JobIndexes.check(indexes, completions);
            if (result.error() != null) {
                errs.invalid(ip, indexes, "error parsing succeededIndexes: " + result.error());
            } else {
                total = result.total();
            }
        }
        if (hasCount) {
            long count = JsonReads.numOr(rule, 0, "succeededCount");
            String cp = Errors.child(path, "succeededCount");
            errs.nonNegative(cp, count);
            if (count > completions) {
                errs.invalid(
                        cp,
                        count,
                        "must be less than or equal to " + completions + " (the number of specified completions)");
            }
            if (hasIndexes && count > total) {
                errs.invalid(
                        cp,
                        count,
                        "must be less than or equal to " + total
                                + " (the number of indexes in the specified succeededIndexes field)");
            }
        }
    }

    private static GoFormat.Literal successPolicyLiteral(JsonNode policy) {
        String rules = JsonReads.items(policy, "rules").stream()
                .map(r -> "batch.SuccessPolicyRule{SucceededIndexes:(*string)("
                        + (JsonReads.has(r, "succeededIndexes") ? "0xc000000000" : "nil")
                        + "), SucceededCount:(*int32)("
                        + (JsonReads.has(r, "succeededCount") ? "0xc000000000" : "nil") + ")}")
                .collect(Collectors.joining(", ", "[]batch.SuccessPolicyRule{", "}"));
        return new GoFormat.Literal("batch.SuccessPolicy{Rules:"
                + (JsonReads.has(policy, "rules") ? rules : "[]batch.SuccessPolicyRule(nil)") + "}");
    }

    /** managedBy: a domain-prefixed path of at most 63 characters. */
    static void managedBy(JsonNode spec, String path, Errors errs) {
        if (!JsonReads.has(spec, "managedBy")) {
            return;
        }
        String value = JsonReads.str(spec, "managedBy");
        String mp = Errors.child(path, "managedBy");
        domainPrefixedPath(value, mp, errs);
        if (NameRules.len(value) > MAX_MANAGED_BY) {
            errs.tooLong(mp, MAX_MANAGED_BY);
        }
    }

    /** IsDomainPrefixedPath: a DNS subdomain, a '/', then an HTTP path. */
    private static void domainPrefixedPath(String value, String path, Errors errs) {
        if (value.isEmpty()) {
            errs.required(path, "");
            return;
        }
        int slash = value.indexOf('/');
        if (slash <= 0 || slash == value.length() - 1) {
            errs.invalid(path, value, "must be a domain-prefixed path (such as \"acme.io/foo\")");
            return;
        }
        String host = value.substring(0, slash);
        String rest = value.substring(slash + 1);
        errs.invalidEach(path, host, NameRules.dns1123Subdomain(host));
        if (!HTTP_PATH.matcher(rest).matches()) {
            errs.invalid(path, rest, NameRules.regexError("Invalid path", HTTP_PATH_FMT));
        }
    }

    /**
     * validateGeneratedSelector: a generated selector must select exactly the labels the server put on the
     * template (the prefixed batch.kubernetes.io ones only when prefixed is true, as for every new Job).
     */
    static void generatedSelector(JsonNode job, boolean prefixed, Errors errs) {
        JsonNode spec = JsonReads.obj(job, "spec");
        JsonNode selector = JsonReads.obj(spec, "selector");
        if (JsonReads.bool(spec, "manualSelector") || selector == null) {
            return;
        }
        JsonNode meta = JsonReads.obj(job, "metadata");
        String uid = JsonReads.str(meta, "uid");
        String name = JsonReads.str(meta, "name");
        if (uid.isEmpty()) {
            errs.required("metadata.uid", "");
        }
        JsonNode labels = JsonReads.obj(spec, "template", "metadata", "labels");
        hasLabel(labels, "controller-uid", uid, errs);
        hasLabel(labels, "job-name", name, errs);
        Map<String, String> expected = new LinkedHashMap<>();
        if (prefixed) {
            hasLabel(labels, "batch.kubernetes.io/controller-uid", uid, errs);
            hasLabel(labels, "batch.kubernetes.io/job-name", name, errs);
            expected.put("batch.kubernetes.io/controller-uid", uid);
            expected.put("batch.kubernetes.io/job-name", name);
        }
        expected.put("controller-uid", uid);
        expected.put("job-name", name);
        if (Selectors.matches(selector, KubeJson.tree(expected)).equals(Optional.of(false))) {
            errs.invalid("spec.selector", GoFormat.labelSelector(selector), "`selector` not auto-generated");
        }
    }

    /** ValidateHasLabel on the pod template's metadata. */
    private static void hasLabel(JsonNode labels, String key, String expected, Errors errs) {
        String path = Errors.key("spec.template.metadata.labels", key);
        if (!JsonReads.has(labels, key)) {
            errs.required(path, "must be '" + expected + "'");
        } else if (!JsonReads.str(labels, key).equals(expected)) {
            errs.invalid(path, GoFormat.stringMap(labels), "must be '" + expected + "'");
        }
    }
}
