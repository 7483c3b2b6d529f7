package dev.capstan.api.table;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** Ports of apimachinery's label-set and label-selector string forms. */
final class Labels {
    private static final Pattern NAME = Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");
    private static final Pattern DNS_SUBDOMAIN =
            Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

    private Labels() {}

    /** labels.FormatLabels: sorted "k=v" pairs, or "&lt;none&gt;". */
    static String formatLabels(Map<String, String> labels) {
        // Set.String sorts the joined "k=v" strings, not the keys; keep that order.
        List<String> pairs = new ArrayList<>();
        labels.forEach((k, v) -> pairs.add(k + "=" + v));
        pairs.sort(Comparator.naturalOrder());
        String joined = String.join(",", pairs);
        return joined.isEmpty() ? "<none>" : joined;
    }

    /** metav1.FormatLabelSelector: the selector string, "&lt;none&gt;" when it selects everything or nothing. */
    static String formatLabelSelector(JsonNode selector) {
        return selectorString(selector).map(s -> s.isEmpty() ? "<none>" : s).orElse("<error>");
    }

    /**
     * metav1.LabelSelectorAsSelector(...).String(): "" for an absent or empty selector, empty when the selector
     * is invalid (upstream reports an error).
     */
    static Optional<String> selectorString(JsonNode selector) {
        if (selector == null || selector.isMissingNode() || selector.isNull()) {
            return Optional.of("");
        }
        List<Requirement> requirements = new ArrayList<>();
        for (Map.Entry<String, String> e :
                Nodes.strings(selector, "matchLabels").entrySet()) {
            requirements.add(new Requirement(e.getKey(), "=", List.of(e.getValue())));
        }
        for (JsonNode expression : Nodes.list(selector, "matchExpressions")) {
            List<String> values = new ArrayList<>();
            Nodes.list(expression, "values").forEach(v -> values.add(v.asText()));
            String operator = switch (Nodes.text(expression, "operator")) {
                case "In" -> " in ";
                case "NotIn" -> " notin ";
                case "Exists" -> "exists";
                case "DoesNotExist" -> "!";
                default -> null;
            };
            if (operator == null) {
                return Optional.empty();
            }
            requirements.add(new Requirement(Nodes.text(expression, "key"), operator, values));
        }
        if (!requirements.stream().allMatch(Requirement::valid)) {
            return Optional.empty();
        }
        // internalSelector.Add sorts requirements by key; Go's sort is stable at selector sizes.
        requirements.sort(Comparator.comparing(Requirement::key));
        List<String> parts = new ArrayList<>();
        requirements.forEach(r -> parts.add(r.toString()));
        return Optional.of(String.join(",", parts));
    }

    private record Requirement(String key, String operator, List<String> values) {
        boolean valid() {
            boolean arity = switch (operator) {
                case "=" -> values.size() == 1;
                case " in ", " notin " -> !values.isEmpty();
                default -> values.isEmpty();
            };
            return arity && validKey(key) && values.stream().allMatch(Labels::validValue);
        }

        @Override
        public String toString() {
            return switch (operator) {
                case "exists" -> key;
                case "!" -> "!" + key;
                case "=" -> key + "=" + values.get(0);
                default ->
                    key + operator + "("
                            + String.join(",", values.stream().sorted().toList()) + ")";
            };
        }
    }

    /** validation.IsQualifiedName: an optional DNS-subdomain prefix and a 63-character name. */
    private static boolean validKey(String key) {
        String[] parts = key.split("/", -1);
        return switch (parts.length) {
            case 1 -> validName(parts[0]);
            case 2 ->
                !parts[0].isEmpty()
                        && parts[0].length() <= 253
                        && DNS_SUBDOMAIN.matcher(parts[0]).matches()
                        && validName(parts[1]);
            default -> false;
        };
    }

    private static boolean validName(String name) {
        return !name.isEmpty() && name.length() <= 63 && NAME.matcher(name).matches();
    }

    private static boolean validValue(String value) {
        return value.isEmpty() || validName(value);
    }
}
