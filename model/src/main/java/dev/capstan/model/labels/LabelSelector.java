package dev.capstan.model.labels;

import com.fasterxml.jackson.databind.JsonNode;
import dev.capstan.model.json.JsonReads;
import dev.capstan.model.json.KubeJson;
import dev.capstan.model.names.FieldErrors;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A label selector as upstream's labels.Selector: requirements ANDed, sorted by key. Built from the string syntax
 * ({@link #parse}), from a metav1.LabelSelector ({@link #of(JsonNode)}, upstream's LabelSelectorAsSelector) or from
 * a label set ({@link #fromSet}). {@link #NOTHING} matches no object; {@link #EVERYTHING} matches all.
 */
public final class LabelSelector {
    public static final LabelSelector EVERYTHING = new LabelSelector(List.of(), false);
    public static final LabelSelector NOTHING = new LabelSelector(List.of(), true);

    private final List<Requirement> requirements;
    private final boolean nothing;

    private LabelSelector(List<Requirement> requirements, boolean nothing) {
        this.requirements = requirements;
        this.nothing = nothing;
    }

    /** A selector of the given requirements, sorted by key as upstream's Selector.Add does (stably). */
    public static LabelSelector of(List<Requirement> requirements) {
        List<Requirement> sorted = new ArrayList<>(requirements);
        sorted.sort(Comparator.comparing(Requirement::key));
        return sorted.isEmpty() ? EVERYTHING : new LabelSelector(List.copyOf(sorted), false);
    }

    /**
     * Upstream's labels.Parse: comma-separated requirements {@code k}, {@code !k}, {@code k=v}, {@code k==v},
     * {@code k!=v}, {@code k in (a,b)}, {@code k notin (a,b)}, {@code k>1}, {@code k<1}. Null or "" is
     * {@link #EVERYTHING}.
     *
     * @throws SelectorParseException with upstream's message, e.g. for a trailing comma or an invalid key
     */
    public static LabelSelector parse(String selector) {
        if (selector == null) {
            return EVERYTHING;
        }
        return of(new SelectorParser(selector).parse());
    }

    /** Upstream's SelectorFromSet: k=v for each pair, unvalidated; an empty set is {@link #EVERYTHING}. */
    public static LabelSelector fromSet(Map<String, String> labels) {
        List<Requirement> requirements = new ArrayList<>();
        new TreeMap<>(labels)
                .forEach((k, v) -> requirements.add(new Requirement(k, Requirement.Operator.EQUALS, List.of(v))));
        return of(requirements);
    }

    /**
     * Upstream's LabelSelectorAsSelector on a metav1.LabelSelector tree: absent or null is {@link #NOTHING}, no
     * matchLabels and no matchExpressions is {@link #EVERYTHING}.
     *
     * @throws SelectorParseException when a key, value, operator or value count is invalid
     */
    public static LabelSelector of(JsonNode selector) {
        if (selector == null || selector.isMissingNode() || selector.isNull()) {
            return NOTHING;
        }
        Map<String, String> matchLabels = JsonReads.stringMap(selector, "matchLabels");
        List<JsonNode> expressions = JsonReads.items(selector, "matchExpressions");
        if (matchLabels.isEmpty() && expressions.isEmpty()) {
            return EVERYTHING;
        }
        List<Requirement> requirements = new ArrayList<>();
        // upstream walks a Go map here, in random order; sorting makes the first error reported deterministic
        new TreeMap<>(matchLabels)
                .forEach((k, v) -> requirements.add(Requirement.of(k, Requirement.Operator.EQUALS, List.of(v), null)));
        for (JsonNode expression : expressions) {
            String operator = JsonReads.str(expression, "operator");
            Requirement.Operator op = switch (operator) {
                case "In" -> Requirement.Operator.IN;
                case "NotIn" -> Requirement.Operator.NOT_IN;
                case "Exists" -> Requirement.Operator.EXISTS;
                case "DoesNotExist" -> Requirement.Operator.DOES_NOT_EXIST;
                default ->
                    throw new SelectorParseException(
                            FieldErrors.quote(operator) + " is not a valid label selector operator");
            };
            // an absent or empty values list is Go's nil slice, which upstream's messages print as such
            List<String> values =
                    JsonReads.size(expression, "values") == 0 ? null : JsonReads.strings(expression, "values");
            requirements.add(Requirement.of(JsonReads.str(expression, "key"), op, values, null));
        }
        return of(requirements);
    }

    /** {@link #of(JsonNode)} for fabric8's type: one algorithm, on the fabric8 object's JSON tree. */
    public static LabelSelector of(io.fabric8.kubernetes.api.model.LabelSelector selector) {
        return selector == null ? NOTHING : of(KubeJson.tree(selector));
    }

    public List<Requirement> requirements() {
        return requirements;
    }

    /** Upstream's Empty(): true for {@link #EVERYTHING}; {@link #NOTHING} is not empty. */
    public boolean isEmpty() {
        return !nothing && requirements.isEmpty();
    }

    /** Upstream's MatchesNothing. */
    public boolean matchesNothing() {
        return nothing;
    }

    public boolean matches(Map<String, String> labels) {
        if (nothing) {
            return false;
        }
        for (Requirement r : requirements) {
            if (!r.matches(labels)) {
                return false;
            }
        }
        return true;
    }

    /** Matches the object's {@code metadata.labels}. */
    public boolean matches(JsonNode object) {
        if (nothing) {
            return false;
        }
        return requirements.isEmpty() || matches(JsonReads.stringMap(object, "metadata", "labels"));
    }

    /**
     * Upstream's RequiresExactMatch: the value the first requirement on {@code label} pins with =, == or a
     * one-value in.
     */
    public Optional<String> requiresExactMatch(String label) {
        for (Requirement r : requirements) {
            if (r.key().equals(label)) {
                boolean exact = switch (r.operator()) {
                    case EQUALS, DOUBLE_EQUALS, IN -> r.values().size() == 1;
                    default -> false;
                };
                return exact ? Optional.of(r.values().get(0)) : Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** Upstream's String(): requirements joined by ","; "" for both EVERYTHING and NOTHING. */
    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        requirements.forEach(r -> parts.add(r.toString()));
        return String.join(",", parts);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LabelSelector s && nothing == s.nothing && requirements.equals(s.requirements);
    }

    @Override
    public int hashCode() {
        return Objects.hash(requirements, nothing);
    }
}
