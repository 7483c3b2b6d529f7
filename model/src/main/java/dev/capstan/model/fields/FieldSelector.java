package dev.capstan.model.fields;

import dev.capstan.model.labels.SelectorParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * A field selector as upstream's fields.ParseSelector reads one: comma-separated {@code field=value},
 * {@code field==value} or {@code field!=value} terms, ANDed, in sorted term order. Values escape '\', ',' and '='
 * with a backslash. No whitespace is trimmed, as upstream trims none.
 */
public final class FieldSelector {
    public static final FieldSelector EVERYTHING = new FieldSelector(List.of());

    /** One term: {@code field} equal (or not) to {@code value}. */
    public record Requirement(String field, boolean equal, String value) {
        /** Upstream's term String(): the value escaped again. */
        @Override
        public String toString() {
            return field + (equal ? "=" : "!=") + escapeValue(value);
        }
    }

    private static final String[] OPERATORS = {"!=", "==", "="};

    private final List<Requirement> requirements;

    private FieldSelector(List<Requirement> requirements) {
        this.requirements = requirements;
    }

    public static FieldSelector of(List<Requirement> requirements) {
        return requirements.isEmpty() ? EVERYTHING : new FieldSelector(List.copyOf(requirements));
    }

    /** Upstream's OneTermEqualSelector. */
    public static FieldSelector equal(String field, String value) {
        return of(List.of(new Requirement(field, true, value)));
    }

    /** Upstream's OneTermNotEqualSelector. */
    public static FieldSelector notEqual(String field, String value) {
        return of(List.of(new Requirement(field, false, value)));
    }

    /**
     * Upstream's fields.ParseSelector. Null or "" is {@link #EVERYTHING}; empty terms are skipped.
     *
     * @throws SelectorParseException with upstream's message for a term without an operator or a bad escape
     */
    public static FieldSelector parse(String selector) {
        if (selector == null || selector.isEmpty()) {
            return EVERYTHING;
        }
        List<String> terms = splitTerms(selector);
        terms.sort(null);
        List<Requirement> requirements = new ArrayList<>();
        for (String term : terms) {
            if (term.isEmpty()) {
                continue;
            }
            requirements.add(term(selector, term));
        }
        return of(requirements);
    }

    private static Requirement term(String selector, String term) {
        for (int i = 0; i < term.length(); i++) {
            for (String op : OPERATORS) {
                if (term.startsWith(op, i)) {
                    String value = unescapeValue(term.substring(i + op.length()));
                    return new Requirement(term.substring(0, i), !op.equals("!="), value);
                }
            }
        }
        throw new SelectorParseException("invalid selector: '" + selector + "'; can't understand '" + term + "'");
    }

    /** Splits at commas that no backslash escapes. */
    private static List<String> splitTerms(String selector) {
        List<String> terms = new ArrayList<>();
        int start = 0;
        boolean inSlash = false;
        for (int i = 0; i < selector.length(); i++) {
            char c = selector.charAt(i);
            if (inSlash) {
                inSlash = false;
            } else if (c == '\\') {
                inSlash = true;
            } else if (c == ',') {
                terms.add(selector.substring(start, i));
                start = i + 1;
            }
        }
        terms.add(selector.substring(start));
        return terms;
    }

    /** Upstream's EscapeValue. */
    public static String escapeValue(String value) {
        return value.replace("\\", "\\\\").replace(",", "\\,").replace("=", "\\=");
    }

    /**
     * Upstream's UnescapeValue.
     *
     * @throws SelectorParseException for an unknown escape, a lone trailing backslash, or an unescaped ',' or '='
     */
    public static String unescapeValue(String value) {
        StringBuilder out = new StringBuilder(value.length());
        boolean inSlash = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (inSlash) {
                if (c != '\\' && c != ',' && c != '=') {
                    throw new SelectorParseException("invalid field selector: invalid escape sequence: \\"
                            + Character.toString(value.codePointAt(i)));
                }
                out.append(c);
                inSlash = false;
            } else if (c == '\\') {
                inSlash = true;
            } else if (c == ',' || c == '=') {
                // upstream prints the rune with %v, which is its number
                throw new SelectorParseException("invalid field selector: unescaped character in value: " + (int) c);
            } else {
                out.append(c);
            }
        }
        if (inSlash) {
            throw new SelectorParseException("invalid field selector: invalid escape sequence: \\");
        }
        return out.toString();
    }

    public List<Requirement> requirements() {
        return requirements;
    }

    public boolean isEmpty() {
        return requirements.isEmpty();
    }

    /** Whether every term holds, reading fields through {@code fieldValue}; an absent field (null) reads as "". */
    public boolean matches(Function<String, String> fieldValue) {
        for (Requirement r : requirements) {
            String actual = fieldValue.apply(r.field());
            if ((actual == null ? "" : actual).equals(r.value()) != r.equal()) {
                return false;
            }
        }
        return true;
    }

    /** Upstream's RequiresExactMatch: the value the first {@code field=value} term pins. */
    public Optional<String> requiresExactMatch(String field) {
        return requirements.stream()
                .filter(r -> r.equal() && r.field().equals(field))
                .map(Requirement::value)
                .findFirst();
    }

    /** The name pinned by {@code metadata.name=X}, which lets a list become a get. */
    public Optional<String> exactName() {
        return requiresExactMatch("metadata.name");
    }

    /** Upstream's String(): the terms joined by ",", values escaped. */
    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        requirements.forEach(r -> parts.add(r.toString()));
        return String.join(",", parts);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FieldSelector s && requirements.equals(s.requirements);
    }

    @Override
    public int hashCode() {
        return requirements.hashCode();
    }
}
