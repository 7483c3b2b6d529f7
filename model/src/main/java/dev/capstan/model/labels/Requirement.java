package dev.capstan.model.labels;

import dev.capstan.model.names.FieldErrors;
import dev.capstan.model.names.NameChecks;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One requirement of a label selector (upstream labels.Requirement): a key, an operator and its values, kept in the
 * order given; the string form sorts them.
 */
public record Requirement(String key, Operator operator, List<String> values) {

    /** Upstream's selection.Operator values a label requirement can have. */
    public enum Operator {
        IN("in"),
        NOT_IN("notin"),
        EQUALS("="),
        DOUBLE_EQUALS("=="),
        NOT_EQUALS("!="),
        GREATER_THAN("gt"),
        LESS_THAN("lt"),
        EXISTS("exists"),
        DOES_NOT_EXIST("!");

        private final String text;

        Operator(String text) {
            this.text = text;
        }

        /** The selection.Operator string, as upstream's messages quote it. */
        public String text() {
            return text;
        }
    }

    public Requirement {
        values = List.copyOf(values);
    }

    /**
     * Upstream's NewRequirement: checks the key, the number of values the operator takes, Gt/Lt integers and each
     * value, reporting every failure under {@code path} (null for none) as upstream's aggregated field errors.
     *
     * @throws SelectorParseException with upstream's message
     */
    public static Requirement of(String key, Operator operator, List<String> values, String path) {
        List<String> errs = new ArrayList<>();
        List<String> keyErrs = NameChecks.isQualifiedName(key);
        if (!keyErrs.isEmpty()) {
            errs.add(FieldErrors.invalid(FieldErrors.child(path, "key"), key, String.join("; ", keyErrs)));
        }
        List<String> vals = values == null ? List.of() : values;
        String valuePath = FieldErrors.child(path, "values");
        switch (operator) {
            case IN, NOT_IN -> {
                if (vals.isEmpty()) {
                    errs.add(FieldErrors.invalid(
                            valuePath, values, "for 'in', 'notin' operators, values set can't be empty"));
                }
            }
            case EQUALS, DOUBLE_EQUALS, NOT_EQUALS -> {
                if (vals.size() != 1) {
                    errs.add(FieldErrors.invalid(
                            valuePath, values, "exact-match compatibility requires one single value"));
                }
            }
            case EXISTS, DOES_NOT_EXIST -> {
                if (!vals.isEmpty()) {
                    errs.add(FieldErrors.invalid(
                            valuePath, values, "values set must be empty for exists and does not exist"));
                }
            }
            case GREATER_THAN, LESS_THAN -> {
                if (vals.size() != 1) {
                    errs.add(FieldErrors.invalid(
                            valuePath, values, "for 'Gt', 'Lt' operators, exactly one value is required"));
                }
                for (int i = 0; i < vals.size(); i++) {
                    if (parseInt64(vals.get(i)) == null) {
                        errs.add(FieldErrors.invalid(
                                FieldErrors.index(valuePath, i),
                                vals.get(i),
                                "for 'Gt', 'Lt' operators, the value must be an integer"));
                    }
                }
            }
        }
        for (int i = 0; i < vals.size(); i++) {
            List<String> valueErrs = NameChecks.isValidLabelValue(vals.get(i));
            if (!valueErrs.isEmpty()) {
                errs.add(FieldErrors.invalid(
                        FieldErrors.key(FieldErrors.index(valuePath, i), key),
                        vals.get(i),
                        String.join("; ", valueErrs)));
            }
        }
        if (!errs.isEmpty()) {
            throw new SelectorParseException(FieldErrors.aggregate(errs));
        }
        return new Requirement(key, operator, vals);
    }

    /** Upstream's Requirement.Matches. */
    public boolean matches(Map<String, String> labels) {
        String value = labels.get(key);
        return switch (operator) {
            case IN, EQUALS, DOUBLE_EQUALS -> value != null && values.contains(value);
            case NOT_IN, NOT_EQUALS -> value == null || !values.contains(value);
            case EXISTS -> value != null;
            case DOES_NOT_EXIST -> value == null;
            case GREATER_THAN, LESS_THAN -> {
                Long actual = value == null ? null : parseInt64(value);
                Long bound = values.size() == 1 ? parseInt64(values.get(0)) : null;
                if (actual == null || bound == null) {
                    yield false;
                }
                yield operator == Operator.GREATER_THAN ? actual > bound : actual < bound;
            }
        };
    }

    /** Upstream's Requirement.String(): "!k", "k", "k=v", "k!=v", "k in (a,b)", "k>1"; values sorted. */
    @Override
    public String toString() {
        String prefix = operator == Operator.DOES_NOT_EXIST ? "!" + key : key;
        String op = switch (operator) {
            case EXISTS, DOES_NOT_EXIST -> null;
            case EQUALS -> "=";
            case DOUBLE_EQUALS -> "==";
            case NOT_EQUALS -> "!=";
            case IN -> " in ";
            case NOT_IN -> " notin ";
            case GREATER_THAN -> ">";
            case LESS_THAN -> "<";
        };
        if (op == null) {
            return prefix;
        }
        String joined = values.size() == 1
                ? values.get(0)
                : String.join(",", values.stream().sorted().toList());
        boolean set = operator == Operator.IN || operator == Operator.NOT_IN;
        return prefix + op + (set ? "(" + joined + ")" : joined);
    }

    /** Go's strconv.ParseInt(s, 10, 64): optional sign, ASCII digits only. */
    static Long parseInt64(String s) {
        int start = !s.isEmpty() && (s.charAt(0) == '+' || s.charAt(0) == '-') ? 1 : 0;
        if (s.length() == start) {
            return null;
        }
        for (int i = start; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return null;
            }
        }
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
