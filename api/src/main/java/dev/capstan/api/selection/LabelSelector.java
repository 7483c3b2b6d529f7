package dev.capstan.api.selection;

import com.fasterxml.jackson.databind.JsonNode;
import dev.capstan.api.ApiException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A label selector in Kubernetes' string syntax: comma-separated requirements {@code key}, {@code !key},
 * {@code key=value}, {@code key==value}, {@code key!=value}, {@code key in (a,b)}, {@code key notin (a,b)}.
 */
public record LabelSelector(List<Requirement> requirements) {
    public static final LabelSelector EVERYTHING = new LabelSelector(List.of());

    public enum Operator {
        EXISTS,
        NOT_EXISTS,
        EQUALS,
        NOT_EQUALS,
        IN,
        NOT_IN
    }

    public record Requirement(String key, Operator operator, Set<String> values) {
        boolean matches(Map<String, String> labels) {
            String value = labels.get(key);
            return switch (operator) {
                case EXISTS -> value != null;
                case NOT_EXISTS -> value == null;
                case EQUALS, IN -> value != null && values.contains(value);
                case NOT_EQUALS, NOT_IN -> value == null || !values.contains(value);
            };
        }
    }

    public boolean isEmpty() {
        return requirements.isEmpty();
    }

    public boolean matches(JsonNode object) {
        if (requirements.isEmpty()) {
            return true;
        }
        Map<String, String> labels = labels(object);
        return requirements.stream().allMatch(r -> r.matches(labels));
    }

    public static Map<String, String> labels(JsonNode object) {
        Map<String, String> labels = new TreeMap<>();
        JsonNode node = object.path("metadata").path("labels");
        node.properties().forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
        return labels;
    }

    /** Parses the selector; a malformed one is a 400 that quotes it. */
    public static LabelSelector parse(String text) {
        if (text == null || text.isBlank()) {
            return EVERYTHING;
        }
        var parser = new Parser(text);
        List<Requirement> requirements = new ArrayList<>();
        do {
            requirements.add(parser.requirement());
        } while (parser.comma());
        parser.end();
        return new LabelSelector(List.copyOf(requirements));
    }

    private static final class Parser {
        private final String text;
        private int pos;

        Parser(String text) {
            this.text = text;
        }

        Requirement requirement() {
            skipSpaces();
            if (peek() == '!') {
                pos++;
                return new Requirement(key(), Operator.NOT_EXISTS, Set.of());
            }
            String key = key();
            skipSpaces();
            if (atEnd() || peek() == ',') {
                return new Requirement(key, Operator.EXISTS, Set.of());
            }
            if (text.startsWith("==", pos)) {
                pos += 2;
                return new Requirement(key, Operator.EQUALS, Set.of(value()));
            }
            if (text.startsWith("!=", pos)) {
                pos += 2;
                return new Requirement(key, Operator.NOT_EQUALS, Set.of(value()));
            }
            if (peek() == '=') {
                pos++;
                return new Requirement(key, Operator.EQUALS, Set.of(value()));
            }
            if (word("notin")) {
                return new Requirement(key, Operator.NOT_IN, set());
            }
            if (word("in")) {
                return new Requirement(key, Operator.IN, set());
            }
            throw error("expected one of '=', '==', '!=', 'in', 'notin' after \"" + key + "\"");
        }

        private boolean word(String word) {
            if (text.startsWith(word, pos)) {
                int after = pos + word.length();
                if (after < text.length() && (text.charAt(after) == ' ' || text.charAt(after) == '(')) {
                    pos = after;
                    return true;
                }
            }
            return false;
        }

        private Set<String> set() {
            skipSpaces();
            if (atEnd() || peek() != '(') {
                throw error("expected '(' to start a set of values");
            }
            pos++;
            Set<String> values = new java.util.LinkedHashSet<>();
            while (true) {
                skipSpaces();
                if (!atEnd() && peek() == ')') {
                    pos++;
                    break;
                }
                values.add(token());
                skipSpaces();
                if (!atEnd() && peek() == ',') {
                    pos++;
                } else if (atEnd() || peek() != ')') {
                    throw error("expected ',' or ')' in a set of values");
                }
            }
            if (values.isEmpty()) {
                throw error("a set of values must not be empty");
            }
            return Set.copyOf(values);
        }

        private String key() {
            skipSpaces();
            String key = token();
            if (key.isEmpty()) {
                throw error("expected a label key");
            }
            return key;
        }

        private String value() {
            skipSpaces();
            return token();
        }

        private String token() {
            int start = pos;
            while (!atEnd() && isTokenChar(peek())) {
                pos++;
            }
            return text.substring(start, pos);
        }

        private static boolean isTokenChar(char c) {
            return Character.isLetterOrDigit(c) || c == '-' || c == '_' || c == '.' || c == '/';
        }

        boolean comma() {
            skipSpaces();
            if (!atEnd() && peek() == ',') {
                pos++;
                return true;
            }
            return false;
        }

        void end() {
            skipSpaces();
            if (!atEnd()) {
                throw error("unexpected '" + peek() + "'");
            }
        }

        private void skipSpaces() {
            while (!atEnd() && peek() == ' ') {
                pos++;
            }
        }

        private boolean atEnd() {
            return pos >= text.length();
        }

        private char peek() {
            return text.charAt(pos);
        }

        private ApiException error(String why) {
            return ApiException.badRequest("unable to parse requirement: found '" + text + "', " + why);
        }
    }
}
