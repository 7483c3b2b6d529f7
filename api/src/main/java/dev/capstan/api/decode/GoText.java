package dev.capstan.api.decode;

import java.nio.charset.StandardCharsets;

/** Go's parsers for the strings some types decode from, with their error messages. */
final class GoText {
    private static final String RFC3339 = "2006-01-02T15:04:05Z07:00";
    private static final String RFC3339_MICRO = "2006-01-02T15:04:05.000000Z07:00";

    private GoText() {}

    /** encoding/base64's StdEncoding.Decode: null when valid, else its CorruptInputError message. */
    static String base64Error(String text) {
        byte[] src = text.getBytes(StandardCharsets.UTF_8);
        int si = 0;
        while (si < src.length) {
            int j = 0;
            while (j < 4) {
                if (si == src.length) {
                    // StdEncoding pads: a quantum cut short is corrupt where it started
                    return j == 0 ? null : corrupt(si - j);
                }
                byte in = src[si++];
                if (isBase64(in)) {
                    j++;
                    continue;
                }
                if (in == '\n' || in == '\r') {
                    continue;
                }
                if (in != '=' || j < 2) {
                    return corrupt(si - 1);
                }
                if (j == 2) {
                    si = skipNewlines(src, si);
                    if (si == src.length) {
                        return corrupt(src.length);
                    }
                    if (src[si] != '=') {
                        return corrupt(si - 1);
                    }
                    si++;
                }
                si = skipNewlines(src, si);
                return si < src.length ? corrupt(si) : null;
            }
        }
        return null;
    }

    private static boolean isBase64(byte b) {
        return (b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z') || (b >= '0' && b <= '9') || b == '+' || b == '/';
    }

    private static int skipNewlines(byte[] src, int si) {
        while (si < src.length && (src[si] == '\n' || src[si] == '\r')) {
            si++;
        }
        return si;
    }

    private static String corrupt(int offset) {
        return "illegal base64 data at input byte " + offset;
    }

    /**
     * time.Parse with RFC3339 (or RFC3339Micro): null when valid, else Go's ParseError text for the element that
     * failed ({@code parsing time "x" as "2006-01-02T15:04:05Z07:00": cannot parse "x" as "2006"}).
     */
    static String timeError(String value, boolean micro) {
        String layout = micro ? RFC3339_MICRO : RFC3339;
        String rest = value;
        // layout elements in order: digits (with Go's std name) or a literal
        String[][] elements = {
            {"2006", "4"},
            {"-", null},
            {"01", "2"},
            {"-", null},
            {"02", "2"},
            {"T", null},
            {"15", "2"},
            {":", null},
            {"04", "2"},
            {":", null},
            {"05", "2"}
        };
        int[] ranges = {0, 0, 12, 0, 31, 0, 23, 0, 59, 0, 59};
        String[] rangeNames = {"", "", "month", "", "day", "", "hour", "", "minute", "", "second"};
        for (int i = 0; i < elements.length; i++) {
            String std = elements[i][0];
            if (elements[i][1] == null) {
                if (!rest.startsWith(std)) {
                    return parseError(value, layout, rest, std);
                }
                rest = rest.substring(std.length());
                continue;
            }
            int n = Integer.parseInt(elements[i][1]);
            if (rest.length() < n || !digits(rest.substring(0, n))) {
                return parseError(value, layout, rest, std);
            }
            int number = Integer.parseInt(rest.substring(0, n));
            if (ranges[i] > 0 && (number > ranges[i] || (number == 0 && (i == 2 || i == 4)))) {
                return "parsing time \"" + value + "\": " + rangeNames[i] + " out of range";
            }
            rest = rest.substring(n);
        }
        if (micro) {
            if (rest.length() < 7 || rest.charAt(0) != '.' || !digits(rest.substring(1, 7))) {
                return parseError(value, layout, rest, ".000000");
            }
            rest = rest.substring(7);
        } else if (rest.startsWith(".") || rest.startsWith(",")) {
            int end = 1;
            while (end < rest.length() && Character.isDigit(rest.charAt(end))) {
                end++;
            }
            rest = rest.substring(end);
        }
        if (rest.startsWith("Z")) {
            rest = rest.substring(1);
        } else if (rest.length() >= 6
                && (rest.charAt(0) == '+' || rest.charAt(0) == '-')
                && digits(rest.substring(1, 3))
                && rest.charAt(3) == ':'
                && digits(rest.substring(4, 6))) {
            rest = rest.substring(6);
        } else {
            return parseError(value, layout, rest, "Z07:00");
        }
        return rest.isEmpty() ? null : "parsing time \"" + value + "\": extra text: \"" + rest + "\"";
    }

    private static boolean digits(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return !s.isEmpty();
    }

    private static String parseError(String value, String layout, String valueElem, String layoutElem) {
        return "parsing time \"" + value + "\" as \"" + layout + "\": cannot parse \"" + valueElem + "\" as \""
                + layoutElem + "\"";
    }
}
