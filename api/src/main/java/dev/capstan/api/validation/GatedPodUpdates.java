package dev.capstan.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.model.json.JsonReads;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What ValidatePodUpdate lets change on a pod still held by scheduling gates: additions to its node selector and to
 * its required node affinity terms. Each accepted change is folded back into the munged spec, so that the final
 * whole-spec comparison only sees what remains.
 */
final class GatedPodUpdates {
    private GatedPodUpdates() {}

    private static final String AFFINITY_PATH = "spec.affinity.nodeAffinity";
    private static final String TERMS_PATH =
            AFFINITY_PATH + ".requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms";

    static void apply(ObjectNode munged, JsonNode oldSpec, Errors errs) {
        JsonNode selector = JsonReads.obj(munged, "nodeSelector");
        JsonNode oldSelector = JsonReads.obj(oldSpec, "nodeSelector");
        if (!PodUpdateValidation.semanticEqual(selector, oldSelector)) {
            Map<String, String> now = JsonReads.stringMap(selector);
            for (Map.Entry<String, String> e : JsonReads.entries(oldSelector)) {
                if (!e.getValue().equals(now.get(e.getKey()))) {
                    errs.invalid(
                            "spec.nodeSelector",
                            GoFormat.stringMap(selector),
                            "only additions to spec.nodeSelector are allowed (no mutations or deletions)");
                    break;
                }
            }
            copy(munged, oldSpec, "nodeSelector");
        }
        JsonNode oldAffinity = JsonReads.obj(oldSpec, "affinity", "nodeAffinity");
        JsonNode affinity = JsonReads.obj(munged, "affinity", "nodeAffinity");
        if (PodUpdateValidation.semanticEqual(oldAffinity, affinity)) {
            return;
        }
        nodeAffinityMutation(affinity, oldAffinity, errs);
        ObjectNode mungedAffinity = JsonReads.obj(munged, "affinity");
        boolean oldHadAffinity = JsonReads.has(oldSpec, "affinity");
        if (mungedAffinity == null) {
            if (oldAffinity != null) {
                munged.putObject("affinity").set("nodeAffinity", oldAffinity.deepCopy());
            }
        } else if (!oldHadAffinity
                && !JsonReads.has(mungedAffinity, "podAffinity")
                && !JsonReads.has(mungedAffinity, "podAntiAffinity")) {
            munged.remove("affinity");
        } else if (oldAffinity == null) {
            mungedAffinity.remove("nodeAffinity");
        } else {
            mungedAffinity.set("nodeAffinity", oldAffinity.deepCopy());
        }
    }

    private static void copy(ObjectNode target, JsonNode source, String field) {
        if (JsonReads.has(source, field)) {
            target.set(field, source.get(field).deepCopy());
        } else {
            target.remove(field);
        }
    }

    /** validateNodeAffinityMutation: existing required terms may only gain requirements. */
    private static void nodeAffinityMutation(JsonNode affinity, JsonNode oldAffinity, Errors errs) {
        JsonNode oldRequired = JsonReads.obj(oldAffinity, "requiredDuringSchedulingIgnoredDuringExecution");
        if (oldRequired == null) {
            return;
        }
        List<JsonNode> oldTerms = JsonReads.items(oldRequired, "nodeSelectorTerms");
        List<JsonNode> terms =
                JsonReads.items(affinity, "requiredDuringSchedulingIgnoredDuringExecution", "nodeSelectorTerms");
        if (!oldTerms.isEmpty() && oldTerms.size() != terms.size()) {
            errs.invalid(
                    TERMS_PATH, terms(terms), "no additions/deletions to non-empty NodeSelectorTerms list are allowed");
            return;
        }
        for (int i = 0; i < oldTerms.size(); i++) {
            if (!onlyAdditions(terms.get(i), oldTerms.get(i))) {
                errs.invalid(
                        Errors.index(TERMS_PATH, i),
                        new GoFormat.Literal(term(terms.get(i))),
                        "only additions are allowed (no mutations or deletions)");
            }
        }
    }

    private static boolean onlyAdditions(JsonNode term, JsonNode oldTerm) {
        List<JsonNode> oldExprs = JsonReads.items(oldTerm, "matchExpressions");
        List<JsonNode> oldFields = JsonReads.items(oldTerm, "matchFields");
        List<JsonNode> exprs = JsonReads.items(term, "matchExpressions");
        List<JsonNode> fields = JsonReads.items(term, "matchFields");
        if (oldExprs.isEmpty() && oldFields.isEmpty() && (!exprs.isEmpty() || !fields.isEmpty())) {
            return false;
        }
        return prefixKept(exprs, oldExprs) && prefixKept(fields, oldFields);
    }

    private static boolean prefixKept(List<JsonNode> now, List<JsonNode> old) {
        if (old.isEmpty()) {
            return true;
        }
        if (now.size() < old.size()) {
            return false;
        }
        for (int i = 0; i < old.size(); i++) {
            if (!PodUpdateValidation.semanticEqual(now.get(i), old.get(i))) {
                return false;
            }
        }
        return true;
    }

    /** A []core.NodeSelectorTerm in %#v form. */
    private static GoFormat.Literal terms(List<JsonNode> terms) {
        if (terms.isEmpty()) {
            return new GoFormat.Literal("[]core.NodeSelectorTerm(nil)");
        }
        return new GoFormat.Literal(terms.stream()
                .map(GatedPodUpdates::term)
                .collect(Collectors.joining(", ", "[]core.NodeSelectorTerm{", "}")));
    }

    private static String term(JsonNode term) {
        return "core.NodeSelectorTerm{MatchExpressions:" + requirements(term, "matchExpressions") + ", MatchFields:"
                + requirements(term, "matchFields") + "}";
    }

    private static String requirements(JsonNode term, String field) {
        if (!JsonReads.has(term, field)) {
            return "[]core.NodeSelectorRequirement(nil)";
        }
        return JsonReads.items(term, field).stream()
                .map(r -> "core.NodeSelectorRequirement{Key:" + GoFormat.quote(JsonReads.str(r, "key")) + ", Operator:"
                        + GoFormat.quote(JsonReads.str(r, "operator")) + ", Values:"
                        + (JsonReads.has(r, "values")
                                        ? GoFormat.stringSlice(JsonReads.strings(r, "values"))
                                        : GoFormat.stringSlice(null))
                                .text()
                        + "}")
                .collect(Collectors.joining(", ", "[]core.NodeSelectorRequirement{", "}"));
    }
}
