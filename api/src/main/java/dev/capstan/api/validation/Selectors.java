package dev.capstan.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.capstan.model.json.JsonReads;
import dev.capstan.model.labels.LabelSelector;
import dev.capstan.model.labels.SelectorParseException;
import java.util.List;
import java.util.Optional;

/** metav1.LabelSelector validation as in apimachinery's meta/v1/validation; matching is the model's LabelSelector. */
final class Selectors {
    private Selectors() {}

    static void validate(JsonNode selector, String path, Errors errs) {
        validate(selector, false, path, errs);
    }

    /** ValidateLabelSelector; allowInvalidValues skips the expression values (kept for stored objects). */
    static void validate(JsonNode selector, boolean allowInvalidValues, String path, Errors errs) {
        if (selector == null || selector.isNull()) {
            return;
        }
        MetadataValidation.labels(selector.get("matchLabels"), Errors.child(path, "matchLabels"), errs);
        List<JsonNode> exprs = JsonReads.items(selector, "matchExpressions");
        for (int i = 0; i < exprs.size(); i++) {
            requirement(
                    exprs.get(i), allowInvalidValues, Errors.index(Errors.child(path, "matchExpressions"), i), errs);
        }
    }

    private static void requirement(JsonNode req, boolean allowInvalidValues, String path, Errors errs) {
        String op = JsonReads.str(req, "operator");
        List<String> values = JsonReads.strings(req, "values");
        switch (op) {
            case "In", "NotIn" -> {
                if (values.isEmpty()) {
                    errs.required(Errors.child(path, "values"), "must be specified when `operator` is 'In' or 'NotIn'");
                }
            }
            case "Exists", "DoesNotExist" -> {
                if (!values.isEmpty()) {
                    errs.forbidden(
                            Errors.child(path, "values"),
                            "may not be specified when `operator` is 'Exists' or 'DoesNotExist'");
                }
            }
            default -> errs.invalid(Errors.child(path, "operator"), op, "not a valid selector operator");
        }
        String key = JsonReads.str(req, "key");
        errs.invalidEach(Errors.child(path, "key"), key, NameRules.qualifiedName(key));
        for (int i = 0; i < values.size() && !allowInvalidValues; i++) {
            String v = values.get(i);
            errs.invalidEach(Errors.index(Errors.child(path, "values"), i), v, NameRules.labelValue(v));
        }
    }

    /** LabelSelectorHasInvalidLabelValue. */
    static boolean hasInvalidLabelValue(JsonNode selector) {
        for (JsonNode expr : JsonReads.items(selector, "matchExpressions")) {
            for (String v : JsonReads.strings(expr, "values")) {
                if (!NameRules.labelValue(v).isEmpty()) {
                    return true;
                }
            }
        }
        return false;
    }

    static boolean isEmpty(JsonNode selector) {
        return JsonReads.entries(selector, "matchLabels").isEmpty()
                && JsonReads.items(selector, "matchExpressions").isEmpty();
    }

    /**
     * Whether the selector converts (the model's LabelSelectorAsSelector succeeds) and matches the labels. Empty
     * means conversion failed; a null selector matches nothing, an empty one everything.
     */
    static Optional<Boolean> matches(JsonNode selector, JsonNode labels) {
        try {
            return Optional.of(LabelSelector.of(selector).matches(JsonReads.stringMap(labels)));
        } catch (SelectorParseException e) {
            return Optional.empty();
        }
    }
}
