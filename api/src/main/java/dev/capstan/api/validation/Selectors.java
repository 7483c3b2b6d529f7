package dev.capstan.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** metav1.LabelSelector validation and matching, as in apimachinery's meta/v1/validation and helpers. */
final class Selectors {
    private Selectors() {}

    static void validate(JsonNode selector, String path, Errors errs) {
        if (selector == null || selector.isNull()) {
            return;
        }
        MetadataValidation.labels(selector.get("matchLabels"), Errors.child(path, "matchLabels"), errs);
        List<JsonNode> exprs = Json.items(selector, "matchExpressions");
        for (int i = 0; i < exprs.size(); i++) {
            requirement(exprs.get(i), Errors.index(Errors.child(path, "matchExpressions"), i), errs);
        }
    }

    private static void requirement(JsonNode req, String path, Errors errs) {
        String op = Json.str(req, "operator");
        List<String> values = Json.strings(req, "values");
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
        String key = Json.str(req, "key");
        errs.invalidEach(Errors.child(path, "key"), key, NameRules.qualifiedName(key));
        for (int i = 0; i < values.size(); i++) {
            String v = values.get(i);
            errs.invalidEach(Errors.index(Errors.child(path, "values"), i), v, NameRules.labelValue(v));
        }
    }

    static boolean isEmpty(JsonNode selector) {
        return Json.entries(selector, "matchLabels").isEmpty()
                && Json.items(selector, "matchExpressions").isEmpty();
    }

    /**
     * Whether the selector converts (LabelSelectorAsSelector succeeds) and matches the labels. Empty means
     * conversion failed; a null or empty selector matches everything except when null ("nothing").
     */
    static Optional<Boolean> matches(JsonNode selector, JsonNode labels) {
        if (selector == null || selector.isNull()) {
            return Optional.of(false);
        }
        for (Map.Entry<String, String> e : Json.entries(selector, "matchLabels")) {
            if (!NameRules.qualifiedName(e.getKey()).isEmpty()
                    || !NameRules.labelValue(e.getValue()).isEmpty()) {
                return Optional.empty();
            }
        }
        for (JsonNode req : Json.items(selector, "matchExpressions")) {
            if (!convertible(req)) {
                return Optional.empty();
            }
        }
        for (Map.Entry<String, String> e : Json.entries(selector, "matchLabels")) {
            if (!Json.has(labels, e.getKey()) || !Json.str(labels, e.getKey()).equals(e.getValue())) {
                return Optional.of(false);
            }
        }
        for (JsonNode req : Json.items(selector, "matchExpressions")) {
            String key = Json.str(req, "key");
            boolean present = Json.has(labels, key);
            List<String> values = Json.strings(req, "values");
            boolean ok = switch (Json.str(req, "operator")) {
                case "In" -> present && values.contains(Json.str(labels, key));
                case "NotIn" -> !present || !values.contains(Json.str(labels, key));
                case "Exists" -> present;
                default -> !present;
            };
            if (!ok) {
                return Optional.of(false);
            }
        }
        return Optional.of(true);
    }

    /** labels.NewRequirement's checks, which make LabelSelectorAsSelector fail. */
    private static boolean convertible(JsonNode req) {
        String op = Json.str(req, "operator");
        List<String> values = Json.strings(req, "values");
        boolean valuesOk = switch (op) {
            case "In", "NotIn" -> !values.isEmpty();
            case "Exists", "DoesNotExist" -> values.isEmpty();
            default -> false;
        };
        return valuesOk
                && NameRules.qualifiedName(Json.str(req, "key")).isEmpty()
                && values.stream().allMatch(v -> NameRules.labelValue(v).isEmpty());
    }
}
