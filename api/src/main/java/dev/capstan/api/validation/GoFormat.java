package dev.capstan.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.capstan.model.json.JsonReads;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Renders values the way kube-apiserver prints a field error's bad value: strings with Go's {@code %q}, numbers
 * plainly, and the few composite values upstream reports with {@code %#v} as Go literals.
 */
public final class GoFormat {
    private GoFormat() {}

    /** A value already rendered as Go would print it; passed through untouched. */
    public record Literal(String text) {}

    /**
     * Go's strconv.ParseUint(s, 10, 64): the value as an unsigned 64-bit number (read it with Long's unsigned
     * methods), or a NumberFormatException with Go's message ({@code strconv.ParseUint: parsing "-1": invalid
     * syntax}, or {@code value out of range}). Linear in the length, unlike BigInteger's parse of a long string.
     */
    public static long parseUint(String s) {
        if (s.isEmpty() || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new NumberFormatException("strconv.ParseUint: parsing " + quote(s) + ": invalid syntax");
        }
        try {
            return Long.parseUnsignedLong(s);
        } catch (NumberFormatException e) {
            throw new NumberFormatException("strconv.ParseUint: parsing " + quote(s) + ": value out of range");
        }
    }

    /** Go's strconv.Quote: escapes quotes, backslashes, control and non-printable characters. */
    public static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        s.codePoints().forEach(c -> {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case 7 -> b.append("\\a");
                case '\b' -> b.append("\\b");
                case '\f' -> b.append("\\f");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case 11 -> b.append("\\v");
                default -> {
                    if (printable(c)) {
                        b.appendCodePoint(c);
                    } else if (c < 0x80) {
                        b.append(String.format("\\x%02x", c));
                    } else if (c < 0x10000) {
                        b.append(String.format("\\u%04x", c));
                    } else {
                        b.append(String.format("\\U%08x", c));
                    }
                }
            }
        });
        return b.append('"').toString();
    }

    /** Go's unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space. */
    private static boolean printable(int c) {
        if (c == ' ') {
            return true;
        }
        return switch (Character.getType(c)) {
            case Character.UPPERCASE_LETTER,
                    Character.LOWERCASE_LETTER,
                    Character.TITLECASE_LETTER,
                    Character.MODIFIER_LETTER,
                    Character.OTHER_LETTER,
                    Character.NON_SPACING_MARK,
                    Character.ENCLOSING_MARK,
                    Character.COMBINING_SPACING_MARK,
                    Character.DECIMAL_DIGIT_NUMBER,
                    Character.LETTER_NUMBER,
                    Character.OTHER_NUMBER,
                    Character.CONNECTOR_PUNCTUATION,
                    Character.DASH_PUNCTUATION,
                    Character.START_PUNCTUATION,
                    Character.END_PUNCTUATION,
                    Character.INITIAL_QUOTE_PUNCTUATION,
                    Character.FINAL_QUOTE_PUNCTUATION,
                    Character.OTHER_PUNCTUATION,
                    Character.MATH_SYMBOL,
                    Character.CURRENCY_SYMBOL,
                    Character.MODIFIER_SYMBOL,
                    Character.OTHER_SYMBOL -> true;
            default -> false;
        };
    }

    /** The bad-value part of a message; a Java null is Go's nil, which upstream prints as "null" quoted. */
    public static String value(Object v) {
        return switch (v) {
            case null -> quote("null");
            case String s -> quote(s);
            case Literal l -> l.text();
            case JsonNode n when n.isTextual() -> quote(n.textValue());
            case JsonNode n when n.isNull() || n.isMissingNode() -> quote("null");
            case JsonNode n -> n.toString();
            default -> String.valueOf(v);
        };
    }

    /** A Go map[string]string in %#v form; Go sorts map keys when printing. */
    static Literal stringMap(JsonNode map) {
        if (map == null || !map.isObject()) {
            return new Literal("map[string]string(nil)");
        }
        Map<String, String> sorted = new TreeMap<>();
        map.properties().forEach(e -> sorted.put(e.getKey(), e.getValue().asText()));
        return new Literal(sorted.entrySet().stream()
                .map(e -> quote(e.getKey()) + ":" + quote(e.getValue()))
                .collect(Collectors.joining(", ", "map[string]string{", "}")));
    }

    /** A Go []string in %#v form. */
    public static Literal stringSlice(List<String> values) {
        if (values == null) {
            return new Literal("[]string(nil)");
        }
        return new Literal(values.stream().map(GoFormat::quote).collect(Collectors.joining(", ", "[]string{", "}")));
    }

    /** A metav1.LabelSelector in %#v form, as upstream reports an invalid selector. */
    static Literal labelSelector(JsonNode sel) {
        StringBuilder b = new StringBuilder("v1.LabelSelector{MatchLabels:");
        b.append(stringMap(sel == null ? null : sel.get("matchLabels")).text()).append(", MatchExpressions:");
        List<JsonNode> exprs = JsonReads.items(sel, "matchExpressions");
        if (sel == null
                || !sel.has("matchExpressions")
                || sel.get("matchExpressions").isNull()) {
            b.append("[]v1.LabelSelectorRequirement(nil)");
        } else {
            b.append(exprs.stream()
                    .map(e -> "v1.LabelSelectorRequirement{Key:" + quote(JsonReads.str(e, "key")) + ", Operator:"
                            + quote(JsonReads.str(e, "operator")) + ", Values:"
                            + (JsonReads.has(e, "values")
                                            ? stringSlice(JsonReads.strings(e, "values"))
                                            : stringSlice(null))
                                    .text()
                            + "}")
                    .collect(Collectors.joining(", ", "[]v1.LabelSelectorRequirement{", "}")));
        }
        return new Literal(b.append('}').toString());
    }

    /** An intstr.IntOrString in %#v form: Type 0 is an int, 1 a string. */
    static Literal intOrString(JsonNode v) {
        if (v != null && v.isTextual()) {
            return new Literal("intstr.IntOrString{Type:1, IntVal:0, StrVal:" + quote(v.textValue()) + "}");
        }
        long i = v == null || v.isNull() ? 0 : v.asLong();
        return new Literal("intstr.IntOrString{Type:0, IntVal:" + i + ", StrVal:\"\"}");
    }

    /** A struct holding a Type string and a RollingUpdate pointer, as the apps strategies are printed. */
    static Literal strategy(String goType, String type, String rollingType, JsonNode rolling) {
        String ptr = rolling == null || rolling.isNull() ? "(nil)" : "(0xc000000000)";
        return new Literal(goType + "{Type:" + quote(type) + ", RollingUpdate:(*" + rollingType + ")" + ptr + "}");
    }
}
