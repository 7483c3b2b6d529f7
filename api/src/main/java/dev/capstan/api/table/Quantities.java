package dev.capstan.api.table;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Port of apimachinery's {@code resource.Quantity} string form, because upstream prints quantities re-serialised:
 * "1.5Gi" shows as "1536Mi" and "0.5" as "500m".
 */
final class Quantities {
    private static final Pattern FORM = Pattern.compile("([+-]?)(\\d*)(?:\\.(\\d*))?([eEinumkKMGTP]*[+-]?\\d*)");
    private static final Map<String, Integer> DECIMAL =
            Map.of("n", -9, "u", -6, "m", -3, "", 0, "k", 3, "M", 6, "G", 9, "T", 12, "P", 15, "E", 18);
    private static final Map<String, Integer> BINARY =
            Map.of("Ki", 10, "Mi", 20, "Gi", 30, "Ti", 40, "Pi", 50, "Ei", 60);
    private static final BigDecimal BINARY_THRESHOLD = BigDecimal.valueOf(1024);
    private static final BigInteger KIBI = BigInteger.valueOf(1024);
    private static final int NANO = -9;
    private static final int MAX_INT64_FACTORS = 18;

    private enum Format {
        DECIMAL_SI,
        BINARY_SI,
        DECIMAL_EXPONENT
    }

    private record Suffix(int base, int exponent, Format format) {}

    private Quantities() {}

    /** The canonical string of a quantity field; "0" when absent, like Go's zero Quantity. */
    static String format(JsonNode node, String... path) {
        return Nodes.present(node, path) ? canonical(Nodes.text(node, path)) : "0";
    }

    /** Like {@link #format} but "&lt;nil&gt;" when absent, as Go prints a nil *Quantity. */
    static String formatPointer(JsonNode node, String... path) {
        return Nodes.present(node, path) ? canonical(Nodes.text(node, path)) : "<nil>";
    }

    static String canonical(String raw) {
        String str = raw.strip();
        if (str.equals("0")) {
            return str;
        }
        Matcher m = FORM.matcher(str);
        if (str.isEmpty() || !m.matches()) {
            return str;
        }
        boolean negative = m.group(1).equals("-");
        String num = m.group(2).replaceFirst("^0+", "");
        if (num.isEmpty()) {
            num = "0";
        }
        String denom = m.group(3) == null ? "" : m.group(3);
        Suffix suffix = interpret(m.group(4));
        if (suffix == null) {
            return str;
        }
        if (keepsOriginal(num, denom, suffix)) {
            return str;
        }
        BigDecimal value = new BigDecimal(denom.isEmpty() ? num : num + "." + denom);
        value = suffix.base() == 10
                ? value.scaleByPowerOfTen(suffix.exponent())
                : value.multiply(new BigDecimal(BigInteger.TWO.pow(suffix.exponent())));
        // Parsing rounds non-zero values up to the smallest representable amount, a nano-unit.
        if (value.signum() != 0 && value.scale() > -NANO) {
            value = value.setScale(-NANO, RoundingMode.UP);
        }
        return render(negative ? value.negate() : value, suffix.format());
    }

    private static Suffix interpret(String suffix) {
        if (DECIMAL.containsKey(suffix)) {
            return new Suffix(10, DECIMAL.get(suffix), Format.DECIMAL_SI);
        }
        if (BINARY.containsKey(suffix)) {
            return new Suffix(2, BINARY.get(suffix), Format.BINARY_SI);
        }
        if (suffix.length() > 1 && (suffix.charAt(0) == 'e' || suffix.charAt(0) == 'E')) {
            try {
                return new Suffix(10, Integer.parseInt(suffix.substring(1)), Format.DECIMAL_EXPONENT);
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    /** ParseQuantity's fast path keeps the caller's string when it is already in canonical form. */
    private static boolean keepsOriginal(String num, String denom, Suffix suffix) {
        String shifted = num + denom;
        if (suffix.format() == Format.BINARY_SI) {
            int precision = 15 - num.length() - (int) (suffix.exponent() * 3f / 10) - 1;
            if (!denom.isEmpty() || precision < 0) {
                return false;
            }
            long value = Long.parseLong(shifted);
            return suffix.exponent() % 10 == 0
                    && (value & 0x07) != 0
                    && BigInteger.valueOf(value).shiftLeft(suffix.exponent()).bitLength() < 64;
        }
        int precision = MAX_INT64_FACTORS - (num.length() + denom.length());
        int scale = suffix.exponent() - denom.length();
        return precision >= 0
                && scale >= NANO
                && scale % 3 == 0
                && !shifted.endsWith("000")
                && shifted.charAt(0) != '0';
    }

    private static String render(BigDecimal value, Format format) {
        if (value.signum() == 0) {
            return "0";
        }
        if (format == Format.BINARY_SI
                && value.abs().compareTo(BINARY_THRESHOLD) >= 0
                && value.stripTrailingZeros().scale() <= 0) {
            BigInteger amount = value.toBigIntegerExact();
            int times = 0;
            while (amount.abs().compareTo(KIBI) >= 0 && amount.mod(KIBI).signum() == 0) {
                amount = amount.divide(KIBI);
                times++;
            }
            return amount + binarySuffix(times * 10);
        }
        BigDecimal stripped = value.stripTrailingZeros();
        BigInteger mantissa = stripped.unscaledValue();
        int exponent = -stripped.scale();
        int shift = Math.floorMod(exponent, 3);
        mantissa = mantissa.multiply(BigInteger.TEN.pow(shift));
        exponent -= shift;
        if (format == Format.DECIMAL_EXPONENT) {
            return mantissa + (exponent == 0 ? "" : "e" + exponent);
        }
        // An exponent without an SI suffix prints bare, as upstream's suffixer does.
        return mantissa + decimalSuffix(exponent);
    }

    private static String decimalSuffix(int exponent) {
        return DECIMAL.entrySet().stream()
                .filter(e -> e.getValue() == exponent)
                .map(Map.Entry::getKey)
                .findFirst()
                .orElse("");
    }

    private static String binarySuffix(int exponent) {
        return BINARY.entrySet().stream()
                .filter(e -> e.getValue() == exponent)
                .map(Map.Entry::getKey)
                .findFirst()
                .orElse("");
    }
}
