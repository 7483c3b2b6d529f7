package dev.capstan.api.validation;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;

/**
 * A resource.Quantity: parsed like apimachinery's ParseQuantity (remembering whether the suffix was decimal SI,
 * binary SI or an exponent) and printed in its canonical form, which is what upstream puts in messages.
 */
record Quantity(BigDecimal value, Format format) implements Comparable<Quantity> {

    enum Format {
        DECIMAL_EXPONENT,
        BINARY_SI,
        DECIMAL_SI
    }

    static final String FORMAT_ERROR =
            "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

    private static final BigDecimal BINARY_LOW = BigDecimal.valueOf(-1024);
    private static final BigDecimal BINARY_HIGH = BigDecimal.valueOf(1024);
    private static final BigInteger KI = BigInteger.valueOf(1024);

    /** Parses or throws IllegalArgumentException carrying upstream's error text. */
    static Quantity parse(String str) {
        if (str.isEmpty()) {
            throw new IllegalArgumentException(FORMAT_ERROR);
        }
        int pos = 0;
        int end = str.length();
        if (str.charAt(0) == '-' || str.charAt(0) == '+') {
            pos++;
        }
        int numStart = pos;
        while (pos < end && isDigit(str.charAt(pos))) {
            pos++;
        }
        if (pos < end && str.charAt(pos) == '.') {
            pos++;
            while (pos < end && isDigit(str.charAt(pos))) {
                pos++;
            }
        }
        String number = str.substring(0, pos);
        String suffix = str.substring(pos);
        int s = 0;
        while (s < suffix.length() && "eEinumkKMGTP".indexOf(suffix.charAt(s)) >= 0) {
            s++;
        }
        if (s < suffix.length() && (suffix.charAt(s) == '-' || suffix.charAt(s) == '+')) {
            s++;
        }
        while (s < suffix.length() && isDigit(suffix.charAt(s))) {
            s++;
        }
        if (s < suffix.length()) {
            throw new IllegalArgumentException(FORMAT_ERROR);
        }
        String digits = number.substring(numStart).replace(".", "");
        BigDecimal amount = digits.isEmpty()
                ? BigDecimal.ZERO
                : new BigDecimal((number.startsWith("-") ? "-" : "") + normalise(number.substring(numStart)));
        Format format;
        switch (suffix) {
            case "" -> format = Format.DECIMAL_SI;
            case "n", "u", "m", "k", "M", "G", "T", "P", "E" -> {
                format = Format.DECIMAL_SI;
                amount = amount.scaleByPowerOfTen(decimalExponent(suffix));
            }
            case "Ki", "Mi", "Gi", "Ti", "Pi", "Ei" -> {
                format = Format.BINARY_SI;
                amount = amount.multiply(
                        new BigDecimal(BigInteger.TWO.pow(10 * "KMGTPE".indexOf(suffix.charAt(0)) + 10)));
            }
            default -> {
                if (suffix.length() > 1 && (suffix.charAt(0) == 'e' || suffix.charAt(0) == 'E')) {
                    try {
                        amount = amount.scaleByPowerOfTen(Integer.parseInt(suffix.substring(1)));
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("unable to parse quantity's suffix", e);
                    }
                    format = Format.DECIMAL_EXPONENT;
                } else {
                    throw new IllegalArgumentException("unable to parse quantity's suffix");
                }
            }
        }
        // non-zero values are rounded up to the smallest representable amount, one nano
        if (amount.scale() > 9) {
            amount = amount.setScale(9, RoundingMode.UP);
        }
        if (format == Format.BINARY_SI && amount.abs().compareTo(BigDecimal.ONE) < 0 && amount.signum() != 0) {
            format = Format.DECIMAL_SI;
        }
        return new Quantity(amount, format);
    }

    private static String normalise(String n) {
        String v = n.startsWith(".") ? "0" + n : n;
        return v.endsWith(".") ? v + "0" : v;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static int decimalExponent(String suffix) {
        return switch (suffix) {
            case "n" -> -9;
            case "u" -> -6;
            case "m" -> -3;
            case "k" -> 3;
            case "M" -> 6;
            case "G" -> 9;
            case "T" -> 12;
            case "P" -> 15;
            default -> 18;
        };
    }

    boolean isNegative() {
        return value.signum() < 0;
    }

    @Override
    public int compareTo(Quantity o) {
        return value.compareTo(o.value);
    }

    /** Canonical form: no fractional digits, the largest suffix that loses nothing, e.g. 1.5 as "1500m". */
    @Override
    public String toString() {
        if (value.signum() == 0) {
            return "0";
        }
        Format f = format;
        if (f == Format.BINARY_SI) {
            boolean small = value.compareTo(BINARY_LOW) > 0 && value.compareTo(BINARY_HIGH) < 0;
            if (small || value.stripTrailingZeros().scale() > 0) {
                f = Format.DECIMAL_SI;
            }
        }
        if (f == Format.BINARY_SI) {
            BigInteger amount = value.toBigIntegerExact();
            int exp = 0;
            while (exp < 6 && amount.mod(KI).signum() == 0) {
                amount = amount.divide(KI);
                exp++;
            }
            return amount + (exp == 0 ? "" : "KMGTPE".charAt(exp - 1) + "i");
        }
        BigDecimal stripped = value.stripTrailingZeros();
        BigInteger mantissa = stripped.unscaledValue();
        int exponent = -stripped.scale();
        int rem = Math.floorMod(exponent, 3);
        mantissa = mantissa.multiply(BigInteger.TEN.pow(rem));
        exponent -= rem;
        if (f == Format.DECIMAL_EXPONENT) {
            return mantissa + (exponent == 0 ? "" : "e" + exponent);
        }
        String suffix = switch (exponent) {
            case -9 -> "n";
            case -6 -> "u";
            case -3 -> "m";
            case 0 -> "";
            case 3 -> "k";
            case 6 -> "M";
            case 9 -> "G";
            case 12 -> "T";
            case 15 -> "P";
            case 18 -> "E";
            default -> "";
        };
        return mantissa + suffix;
    }
}
