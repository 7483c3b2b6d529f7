package dev.capstan.api.validation;

/**
 * The syntax errors Go's encoding/json reports, for validation messages that quote json.Unmarshal's error (docker
 * config secrets, the tolerations annotation). A small scanner in the order Go's scanner checks, so the first error
 * found is the one Go names.
 */
final class GoJson {
    private final String s;
    private int pos;

    private GoJson(String s) {
        this.s = s;
    }

    /** Go's error for text that is not one JSON value, or null when it is. */
    static String syntaxError(String text) {
        GoJson scanner = new GoJson(text);
        try {
            scanner.space();
            scanner.value("looking for beginning of value");
            scanner.space();
            if (scanner.pos < text.length()) {
                throw scanner.error("after top-level value");
            }
            return null;
        } catch (SyntaxError e) {
            return e.getMessage();
        }
    }

    /** The JSON kind Go names in "cannot unmarshal X into ...": object, array, string, number, bool or null. */
    static String kind(String text) {
        char c = text.strip().isEmpty() ? ' ' : text.strip().charAt(0);
        return switch (c) {
            case '{' -> "object";
            case '[' -> "array";
            case '"' -> "string";
            case 't', 'f' -> "bool";
            case 'n' -> "null";
            default -> "number";
        };
    }

    private static final class SyntaxError extends Exception {
        private static final long serialVersionUID = 1L;

        SyntaxError(String message) {
            super(message, null, false, false);
        }
    }

    private SyntaxError error(String context) {
        if (pos >= s.length()) {
            return new SyntaxError("unexpected end of JSON input");
        }
        return new SyntaxError("invalid character " + quoteChar(s.charAt(pos)) + " " + context);
    }

    /** Go's quoteChar: the character in single quotes, escaped as strconv.Quote would. */
    private static String quoteChar(char c) {
        if (c == '\'') {
            return "'\\''";
        }
        if (c == '"') {
            return "'\"'";
        }
        String q = GoFormat.quote(String.valueOf(c));
        return "'" + q.substring(1, q.length() - 1) + "'";
    }

    private void space() {
        while (pos < s.length() && " \t\r\n".indexOf(s.charAt(pos)) >= 0) {
            pos++;
        }
    }

    private void value(String context) throws SyntaxError {
        if (pos >= s.length()) {
            throw error(context);
        }
        char c = s.charAt(pos);
        switch (c) {
            case '{' -> object();
            case '[' -> array();
            case '"' -> string();
            case 't' -> literal("true");
            case 'f' -> literal("false");
            case 'n' -> literal("null");
            default -> {
                if (c == '-' || isDigit(c)) {
                    number();
                } else {
                    throw error(context);
                }
            }
        }
    }

    private void object() throws SyntaxError {
        pos++;
        space();
        if (pos < s.length() && s.charAt(pos) == '}') {
            pos++;
            return;
        }
        while (true) {
            if (pos >= s.length() || s.charAt(pos) != '"') {
                throw error("looking for beginning of object key string");
            }
            string();
            space();
            if (pos >= s.length() || s.charAt(pos) != ':') {
                throw error("after object key");
            }
            pos++;
            space();
            value("looking for beginning of value");
            space();
            if (pos < s.length() && s.charAt(pos) == ',') {
                pos++;
                space();
                continue;
            }
            if (pos < s.length() && s.charAt(pos) == '}') {
                pos++;
                return;
            }
            throw error("after object key:value pair");
        }
    }

    private void array() throws SyntaxError {
        pos++;
        space();
        if (pos < s.length() && s.charAt(pos) == ']') {
            pos++;
            return;
        }
        while (true) {
            value("looking for beginning of value");
            space();
            if (pos < s.length() && s.charAt(pos) == ',') {
                pos++;
                space();
                continue;
            }
            if (pos < s.length() && s.charAt(pos) == ']') {
                pos++;
                return;
            }
            throw error("after array element");
        }
    }

    private void string() throws SyntaxError {
        pos++;
        while (pos < s.length()) {
            char c = s.charAt(pos);
            if (c == '"') {
                pos++;
                return;
            }
            if (c < 0x20) {
                throw error("in string literal");
            }
            if (c == '\\') {
                pos++;
                if (pos >= s.length()) {
                    break;
                }
                char e = s.charAt(pos);
                if (e == 'u') {
                    for (int i = 0; i < 4; i++) {
                        pos++;
                        if (pos >= s.length()) {
                            throw error("");
                        }
                        if (Character.digit(s.charAt(pos), 16) < 0) {
                            throw error("in \\u hexadecimal character escape");
                        }
                    }
                } else if ("\"\\/bfnrt".indexOf(e) < 0) {
                    throw error("in string escape code");
                }
            }
            pos++;
        }
        throw error("");
    }

    private void literal(String word) throws SyntaxError {
        for (int i = 0; i < word.length(); i++, pos++) {
            if (pos >= s.length() || s.charAt(pos) != word.charAt(i)) {
                if (i == 0) {
                    throw error("looking for beginning of value");
                }
                throw error("in literal " + word + " (expecting " + quoteChar(word.charAt(i)) + ")");
            }
        }
    }

    private void number() throws SyntaxError {
        if (s.charAt(pos) == '-') {
            pos++;
            if (pos >= s.length() || !isDigit(s.charAt(pos))) {
                throw error("in numeric literal");
            }
        }
        if (s.charAt(pos) == '0') {
            pos++;
        } else {
            digits();
        }
        if (pos < s.length() && s.charAt(pos) == '.') {
            pos++;
            if (pos >= s.length() || !isDigit(s.charAt(pos))) {
                throw error("after decimal point in numeric literal");
            }
            digits();
        }
        if (pos < s.length() && (s.charAt(pos) == 'e' || s.charAt(pos) == 'E')) {
            pos++;
            if (pos < s.length() && (s.charAt(pos) == '+' || s.charAt(pos) == '-')) {
                pos++;
            }
            if (pos >= s.length() || !isDigit(s.charAt(pos))) {
                throw error("in exponent of numeric literal");
            }
            digits();
        }
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private void digits() {
        while (pos < s.length() && isDigit(s.charAt(pos))) {
            pos++;
        }
    }
}
