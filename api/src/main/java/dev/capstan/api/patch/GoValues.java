package dev.capstan.api.patch;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * JSON values as upstream's strategic merge patch sees them: decoded into Go's {@code interface{}} (objects as
 * {@code map[string]interface{}}, integers as {@code int64} since the apiserver decodes patches preserving ints,
 * other numbers as {@code float64}), compared with Go's {@code ==} and printed with fmt's {@code %v} and {@code %s},
 * so that error messages read as upstream's.
 */
final class GoValues {
    private GoValues() {}

    /** The dynamic Go type of a decoded JSON value; the name is what {@code reflect.TypeOf(v)} prints. */
    enum Type {
        MAP("map[string]interface {}"),
        SLICE("[]interface {}"),
        STRING("string"),
        INT("int64"),
        FLOAT("float64"),
        BOOL("bool"),
        NIL("%!s(<nil>)");

        final String goName;

        Type(String goName) {
            this.goName = goName;
        }
    }

    static Type type(JsonNode n) {
        if (n == null || n.isNull() || n.isMissingNode()) {
            return Type.NIL;
        }
        if (n.isObject()) {
            return Type.MAP;
        }
        if (n.isArray()) {
            return Type.SLICE;
        }
        if (n.isBoolean()) {
            return Type.BOOL;
        }
        if (n.isIntegralNumber() && n.canConvertToLong()) {
            return Type.INT;
        }
        return n.isNumber() ? Type.FLOAT : Type.STRING;
    }

    /**
     * Go's {@code ==} on two decoded values: equal dynamic types and values. Go panics comparing two maps or two
     * slices; here they compare by content.
     */
    static boolean same(JsonNode a, JsonNode b) {
        Type t = type(a);
        if (t != type(b)) {
            return false;
        }
        return switch (t) {
            case NIL -> true;
            case STRING -> a.asText().equals(b.asText());
            case BOOL -> a.booleanValue() == b.booleanValue();
            case INT -> a.longValue() == b.longValue();
            case FLOAT -> a.doubleValue() == b.doubleValue();
            case MAP, SLICE -> a.equals(b);
        };
    }

    /** fmt's {@code %v}: maps as {@code map[k:v ...]} with sorted keys, slices as {@code [a b]}, nil as {@code <nil>}. */
    static String v(JsonNode n) {
        return switch (type(n)) {
            case NIL -> "<nil>";
            case STRING -> n.asText();
            case BOOL, INT -> n.asText();
            case FLOAT -> goFloat(n.doubleValue());
            case MAP -> map(n, GoValues::v);
            case SLICE -> slice(n, GoValues::v);
        };
    }

    /** fmt's {@code %s} of a top-level value: non-strings print as {@code %!s(int64=1)}. */
    static String s(JsonNode n) {
        return type(n) == Type.NIL ? "%!s(<nil>)" : nestedS(n);
    }

    /** fmt.Sprint of several slices, as upstream prints the lists it could not merge: {@code [[a b] [c]]}. */
    static String slices(List<List<JsonNode>> lists) {
        return lists.stream()
                .map(l -> l.stream().map(GoValues::v).collect(Collectors.joining(" ", "[", "]")))
                .collect(Collectors.joining(" ", "[", "]"));
    }

    private static String nestedS(JsonNode n) {
        Type t = type(n);
        return switch (t) {
            case NIL -> "<nil>";
            case STRING -> n.asText();
            case BOOL, INT, FLOAT -> "%!s(" + t.goName + "=" + v(n) + ")";
            case MAP -> map(n, GoValues::nestedS);
            case SLICE -> slice(n, GoValues::nestedS);
        };
    }

    private static String map(JsonNode n, java.util.function.Function<JsonNode, String> format) {
        Map<String, JsonNode> sorted = new TreeMap<>();
        n.properties().forEach(e -> sorted.put(e.getKey(), e.getValue()));
        return sorted.entrySet().stream()
                .map(e -> e.getKey() + ":" + format.apply(e.getValue()))
                .collect(Collectors.joining(" ", "map[", "]"));
    }

    private static String slice(JsonNode n, java.util.function.Function<JsonNode, String> format) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < n.size(); i++) {
            b.append(i == 0 ? "" : " ").append(format.apply(n.get(i)));
        }
        return b.append(']').toString();
    }

    /** Go's %v of a float64: the shortest digits, in exponent form when the exponent is below -4 or at least 6
     * (strconv's %g with the shortest precision). */
    static String goFloat(double d) {
        if (d == 0) {
            return 1 / d < 0 ? "-0" : "0";
        }
        BigDecimal exact = new BigDecimal(Double.toString(d)).stripTrailingZeros();
        String digits = exact.unscaledValue().abs().toString();
        int exponent = digits.length() - exact.scale() - 1;
        String sign = d < 0 ? "-" : "";
        if (exponent < -4 || exponent >= 6) {
            String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
            String exp = String.format("%02d", Math.abs(exponent));
            return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + exp;
        }
        return sign + exact.abs().toPlainString();
    }
}
