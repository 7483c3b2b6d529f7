package dev.capstan.api.validation;

import java.util.Set;

/** Go's time.ParseDuration, reduced to its error text (null when the duration parses). */
final class GoDuration {
    private GoDuration() {}

    private static final Set<String> UNITS = Set.of("ns", "us", "\u00b5s", "\u03bcs", "ms", "s", "m", "h");

    static String parseError(String orig) {
        String invalid = "time: invalid duration " + quote(orig);
        String s = orig;
        if (!s.isEmpty() && (s.charAt(0) == '-' || s.charAt(0) == '+')) {
            s = s.substring(1);
        }
        if (s.equals("0")) {
            return null;
        }
        if (s.isEmpty()) {
            return invalid;
        }
        while (!s.isEmpty()) {
            char c = s.charAt(0);
            if (!(c == '.' || (c >= '0' && c <= '9'))) {
                return invalid;
            }
            int i = 0;
            while (i < s.length() && Character.isDigit(s.charAt(i)) && s.charAt(i) < 128) {
                i++;
            }
            boolean pre = i > 0;
            if (i > 19) {
                // the integer part overflows int64 nanoseconds
                return invalid;
            }
            s = s.substring(i);
            boolean post = false;
            if (!s.isEmpty() && s.charAt(0) == '.') {
                s = s.substring(1);
                int j = 0;
                while (j < s.length() && s.charAt(j) >= '0' && s.charAt(j) <= '9') {
                    j++;
                }
                post = j > 0;
                s = s.substring(j);
            }
            if (!pre && !post) {
                return invalid;
            }
            int u = 0;
            while (u < s.length() && s.charAt(u) != '.' && !(s.charAt(u) >= '0' && s.charAt(u) <= '9')) {
                u++;
            }
            if (u == 0) {
                return "time: missing unit in duration " + quote(orig);
            }
            String unit = s.substring(0, u);
            if (!UNITS.contains(unit)) {
                return "time: unknown unit " + quote(unit) + " in duration " + quote(orig);
            }
            s = s.substring(u);
        }
        return null;
    }

    private static String quote(String s) {
        return "\"" + s + "\"";
    }
}
