package dev.capstan.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.capstan.model.json.JsonReads;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Scheduling constraints of a pod spec: node affinity, pod (anti-)affinity (validateAffinity and what it calls) and
 * topology spread constraints. MatchLabelKeysInPodAffinity, MatchLabelKeysInPodTopologySpread and
 * NodeInclusionPolicyInPodTopologySpread are beta and on in 1.32. Upstream never checks label values in node
 * affinity (its allowInvalidLabelValueInRequiredNodeAffinity is hard-wired to true).
 */
final class AffinityValidation {
    private AffinityValidation() {}

    private static final List<String> WHEN_UNSATISFIABLE = List.of("DoNotSchedule", "ScheduleAnyway");
    private static final List<String> NODE_INCLUSION = List.of("Honor", "Ignore");

    static void affinity(JsonNode spec, String specPath, PodOptions opts, Errors errs) {
        JsonNode affinity = JsonReads.obj(spec, "affinity");
        if (affinity == null) {
            return;
        }
        String path = Errors.child(specPath, "affinity");
        if (JsonReads.obj(affinity, "nodeAffinity") instanceof JsonNode node) {
            nodeAffinity(node, Errors.child(path, "nodeAffinity"), errs);
        }
        for (String kind : List.of("podAffinity", "podAntiAffinity")) {
            if (JsonReads.obj(affinity, kind) instanceof JsonNode pod) {
                String kp = Errors.child(path, kind);
                List<JsonNode> required = JsonReads.items(pod, "requiredDuringSchedulingIgnoredDuringExecution");
                for (int i = 0; i < required.size(); i++) {
                    podAffinityTerm(
                            required.get(i),
                            opts.allowInvalidLabelValueInSelector(),
                            Errors.index(Errors.child(kp, "requiredDuringSchedulingIgnoredDuringExecution"), i),
                            errs);
                }
                List<JsonNode> preferred = JsonReads.items(pod, "preferredDuringSchedulingIgnoredDuringExecution");
                for (int i = 0; i < preferred.size(); i++) {
                    String wp = Errors.index(Errors.child(kp, "preferredDuringSchedulingIgnoredDuringExecution"), i);
                    weight(preferred.get(i), wp, errs);
                    podAffinityTerm(
                            JsonReads.obj(preferred.get(i), "podAffinityTerm"),
                            opts.allowInvalidLabelValueInSelector(),
                            Errors.child(wp, "podAffinityTerm"),
                            errs);
                }
            }
        }
    }

    private static void nodeAffinity(JsonNode affinity, String path, Errors errs) {
        if (JsonReads.obj(affinity, "requiredDuringSchedulingIgnoredDuringExecution") instanceof JsonNode required) {
            nodeSelector(required, Errors.child(path, "requiredDuringSchedulingIgnoredDuringExecution"), errs);
        }
        List<JsonNode> preferred = JsonReads.items(affinity, "preferredDuringSchedulingIgnoredDuringExecution");
        for (int i = 0; i < preferred.size(); i++) {
            String ip = Errors.index(Errors.child(path, "preferredDuringSchedulingIgnoredDuringExecution"), i);
            weight(preferred.get(i), ip, errs);
            nodeSelectorTerm(JsonReads.obj(preferred.get(i), "preference"), Errors.child(ip, "preference"), errs);
        }
    }

    private static void weight(JsonNode term, String path, Errors errs) {
        long weight = JsonReads.numOr(term, 0, "weight");
        if (weight <= 0 || weight > 100) {
            errs.invalid(Errors.child(path, "weight"), weight, "must be in the range 1-100");
        }
    }

    /** ValidateNodeSelector. */
    static void nodeSelector(JsonNode selector, String path, Errors errs) {
        List<JsonNode> terms = JsonReads.items(selector, "nodeSelectorTerms");
        String tp = Errors.child(path, "nodeSelectorTerms");
        if (terms.isEmpty()) {
            errs.required(tp, "must have at least one node selector term");
            return;
        }
        for (int i = 0; i < terms.size(); i++) {
            nodeSelectorTerm(terms.get(i), Errors.index(tp, i), errs);
        }
    }

    private static void nodeSelectorTerm(JsonNode term, String path, Errors errs) {
        List<JsonNode> exprs = JsonReads.items(term, "matchExpressions");
        for (int j = 0; j < exprs.size(); j++) {
            PersistentVolumeSources.requirement(
                    exprs.get(j), Errors.index(Errors.child(path, "matchExpressions"), j), errs);
        }
        List<JsonNode> fields = JsonReads.items(term, "matchFields");
        for (int j = 0; j < fields.size(); j++) {
            PersistentVolumeSources.fieldRequirement(
                    fields.get(j), Errors.index(Errors.child(path, "matchFields"), j), errs);
        }
    }

    private static void podAffinityTerm(JsonNode term, boolean allowInvalid, String path, Errors errs) {
        JsonNode selector = JsonReads.obj(term, "labelSelector");
        Selectors.validate(selector, allowInvalid, Errors.child(path, "labelSelector"), errs);
        Selectors.validate(
                JsonReads.obj(term, "namespaceSelector"), allowInvalid, Errors.child(path, "namespaceSelector"), errs);
        for (String ns : JsonReads.strings(term, "namespaces")) {
            // upstream spells this path in the singular
            errs.invalidEach(Errors.child(path, "namespace"), ns, NameRules.dns1123Label(ns));
        }
        matchAndMismatchLabelKeys(term, selector, path, errs);
        String topologyKey = JsonReads.str(term, "topologyKey");
        if (topologyKey.isEmpty()) {
            errs.required(Errors.child(path, "topologyKey"), "can not be empty");
        }
        errs.invalidEach(Errors.child(path, "topologyKey"), topologyKey, NameRules.qualifiedName(topologyKey));
    }

    /** validateMatchLabelKeysAndMismatchLabelKeys; the overlap error is reported at the term's path plus an index. */
    private static void matchAndMismatchLabelKeys(JsonNode term, JsonNode selector, String path, Errors errs) {
        List<String> match = JsonReads.strings(term, "matchLabelKeys");
        List<String> mismatch = JsonReads.strings(term, "mismatchLabelKeys");
        labelKeys(match, selector, Errors.child(path, "matchLabelKeys"), errs);
        labelKeys(mismatch, selector, Errors.child(path, "mismatchLabelKeys"), errs);
        if (selector != null) {
            Map<String, Integer> matchIndex = new HashMap<>();
            for (int i = 0; i < match.size(); i++) {
                matchIndex.put(match.get(i), i);
            }
            Set<String> keys =
                    new HashSet<>(JsonReads.stringMap(selector, "matchLabels").keySet());
            for (JsonNode expr : JsonReads.items(selector, "matchExpressions")) {
                String key = JsonReads.str(expr, "key");
                Integer i = matchIndex.get(key);
                if (i != null && keys.contains(key)) {
                    errs.invalid(Errors.index(path, i), key, "exists in both matchLabelKeys and labelSelector");
                }
                keys.add(key);
            }
        }
        Set<String> mismatchSet = new HashSet<>(mismatch);
        for (int i = 0; i < match.size(); i++) {
            if (mismatchSet.contains(match.get(i))) {
                errs.invalid(
                        Errors.index(Errors.child(path, "matchLabelKeys"), i),
                        match.get(i),
                        "exists in both matchLabelKeys and mismatchLabelKeys");
            }
        }
    }

    private static void labelKeys(List<String> keys, JsonNode selector, String path, Errors errs) {
        if (keys.isEmpty()) {
            return;
        }
        if (selector == null) {
            errs.forbidden(path, "must not be specified when labelSelector is not set");
            return;
        }
        for (int i = 0; i < keys.size(); i++) {
            errs.invalidEach(Errors.index(path, i), keys.get(i), NameRules.qualifiedName(keys.get(i)));
        }
    }

    /** validateTopologySpreadConstraints. */
    static void topologySpread(JsonNode spec, String specPath, PodOptions opts, Errors errs) {
        List<JsonNode> constraints = JsonReads.items(spec, "topologySpreadConstraints");
        String path = Errors.child(specPath, "topologySpreadConstraints");
        for (int i = 0; i < constraints.size(); i++) {
            JsonNode c = constraints.get(i);
            String cp = Errors.index(path, i);
            long maxSkew = JsonReads.numOr(c, 0, "maxSkew");
            if (maxSkew <= 0) {
                errs.invalid(Errors.child(cp, "maxSkew"), maxSkew, ResourceRules.NOT_POSITIVE);
            }
            String topologyKey = JsonReads.str(c, "topologyKey");
            if (topologyKey.isEmpty()) {
                errs.required(Errors.child(cp, "topologyKey"), "can not be empty");
            }
            String when = JsonReads.str(c, "whenUnsatisfiable");
            if (!WHEN_UNSATISFIABLE.contains(when)) {
                errs.notSupported(Errors.child(cp, "whenUnsatisfiable"), when, WHEN_UNSATISFIABLE);
            }
            for (JsonNode rest : constraints.subList(i + 1, constraints.size())) {
                if (JsonReads.str(rest, "topologyKey").equals(topologyKey)
                        && JsonReads.str(rest, "whenUnsatisfiable").equals(when)) {
                    errs.duplicate(
                            Errors.child(cp, "{topologyKey, whenUnsatisfiable}"),
                            "{" + topologyKey + ", " + when + "}");
                    break;
                }
            }
            Long minDomains = JsonReads.num(c, "minDomains");
            if (minDomains != null) {
                if (minDomains <= 0) {
                    errs.invalid(Errors.child(cp, "minDomains"), minDomains, ResourceRules.NOT_POSITIVE);
                }
                if (!when.equals("DoNotSchedule")) {
                    errs.invalid(
                            Errors.child(cp, "minDomains"),
                            minDomains,
                            "can only use minDomains if whenUnsatisfiable=DoNotSchedule, not " + when);
                }
            }
            for (String policy : List.of("nodeAffinityPolicy", "nodeTaintsPolicy")) {
                if (JsonReads.has(c, policy) && !NODE_INCLUSION.contains(JsonReads.str(c, policy))) {
                    errs.notSupported(Errors.child(cp, policy), JsonReads.str(c, policy), NODE_INCLUSION);
                }
            }
            JsonNode selector = JsonReads.obj(c, "labelSelector");
            matchLabelKeys(JsonReads.strings(c, "matchLabelKeys"), selector, Errors.child(cp, "matchLabelKeys"), errs);
            if (!opts.allowInvalidTopologySpreadSelector()) {
                Selectors.validate(selector, Errors.child(cp, "labelSelector"), errs);
            }
        }
    }

    /** validateMatchLabelKeysInTopologySpread. */
    private static void matchLabelKeys(List<String> keys, JsonNode selector, String path, Errors errs) {
        if (keys.isEmpty()) {
            return;
        }
        Set<String> selectorKeys = new HashSet<>();
        if (selector != null) {
            selectorKeys.addAll(JsonReads.stringMap(selector, "matchLabels").keySet());
            JsonReads.items(selector, "matchExpressions").forEach(e -> selectorKeys.add(JsonReads.str(e, "key")));
        } else {
            errs.forbidden(path, "must not be specified when labelSelector is not set");
        }
        for (int i = 0; i < keys.size(); i++) {
            String key = keys.get(i);
            errs.invalidEach(Errors.index(path, i), key, NameRules.qualifiedName(key));
            if (selectorKeys.contains(key)) {
                errs.invalid(Errors.index(path, i), key, "exists in both matchLabelKeys and labelSelector");
            }
        }
    }

    /** hasInvalidLabelValueInAffinitySelector: a pod (anti-)affinity selector with an invalid label value. */
    static boolean hasInvalidLabelValueInPodAffinity(JsonNode spec) {
        for (String kind : List.of("podAffinity", "podAntiAffinity")) {
            JsonNode pod = JsonReads.obj(spec, "affinity", kind);
            for (JsonNode term : JsonReads.items(pod, "requiredDuringSchedulingIgnoredDuringExecution")) {
                if (invalidTermSelector(term)) {
                    return true;
                }
            }
            for (JsonNode weighted : JsonReads.items(pod, "preferredDuringSchedulingIgnoredDuringExecution")) {
                if (invalidTermSelector(JsonReads.obj(weighted, "podAffinityTerm"))) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean invalidTermSelector(JsonNode term) {
        Errors check = new Errors();
        Selectors.validate(JsonReads.obj(term, "labelSelector"), "", check);
        Selectors.validate(JsonReads.obj(term, "namespaceSelector"), "", check);
        return !check.isEmpty();
    }

    static boolean hasInvalidTopologySpreadSelector(JsonNode spec) {
        for (JsonNode c : JsonReads.items(spec, "topologySpreadConstraints")) {
            Errors check = new Errors();
            Selectors.validate(JsonReads.obj(c, "labelSelector"), "", check);
            if (!check.isEmpty()) {
                return true;
            }
        }
        return false;
    }
}
