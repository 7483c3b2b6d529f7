package dev.capstan.api.selection;

import com.fasterxml.jackson.databind.JsonNode;
import dev.capstan.api.ApiException;
import dev.capstan.api.registry.ResourceType;
import java.util.ArrayList;
import java.util.List;

/** A field selector: comma-separated {@code field=value}, {@code field==value} or {@code field!=value}. */
public record FieldSelector(List<Term> terms, ResourceType type) {
    public static final FieldSelector EVERYTHING = new FieldSelector(List.of(), null);

    public record Term(String field, boolean equal, String value) {}

    public boolean isEmpty() {
        return terms.isEmpty();
    }

    public boolean matches(JsonNode object) {
        for (Term term : terms) {
            if (type.fieldValue(object, term.field).equals(term.value) != term.equal) {
                return false;
            }
        }
        return true;
    }

    /** The name this selector pins with {@code metadata.name=X}, or null. */
    public String exactName() {
        return terms.stream()
                .filter(t -> t.equal && t.field.equals("metadata.name"))
                .map(Term::value)
                .findFirst()
                .orElse(null);
    }

    /** Parses the selector for {@code type}; an unsupported field is a 400 as kube-apiserver answers it. */
    public static FieldSelector parse(String text, ResourceType type) {
        if (text == null || text.isBlank()) {
            return EVERYTHING;
        }
        List<Term> terms = new ArrayList<>();
        for (String part : splitUnescaped(text)) {
            String p = part.trim();
            int op;
            boolean equal;
            int width;
            if ((op = p.indexOf("!=")) > 0) {
                equal = false;
                width = 2;
            } else if ((op = p.indexOf("==")) > 0) {
                equal = true;
                width = 2;
            } else if ((op = p.indexOf('=')) > 0) {
                equal = true;
                width = 1;
            } else {
                throw ApiException.badRequest("invalid selector: '" + text + "'; can't understand '" + p + "'");
            }
            String field = p.substring(0, op).trim();
            if (!type.supportsFieldSelector(field)) {
                throw ApiException.badRequest("field label not supported: " + field);
            }
            terms.add(new Term(field, equal, unescape(p.substring(op + width).trim())));
        }
        return new FieldSelector(List.copyOf(terms), type);
    }

    private static List<String> splitUnescaped(String text) {
        List<String> parts = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length()) {
                current.append(c).append(text.charAt(++i));
            } else if (c == ',') {
                parts.add(current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        parts.add(current.toString());
        return parts;
    }

    private static String unescape(String value) {
        return value.replace("\\,", ",").replace("\\=", "=").replace("\\\\", "\\");
    }
}
