package dev.capstan.api.validation;

import dev.capstan.model.quantity.Quantity;
import java.math.BigInteger;

/**
 * How upstream prints a resource.Quantity passed by value as a field error's bad value: Quantity's String method has a
 * pointer receiver, so the value falls through to Go's {@code %#v} and shows the parsed internals. This replays
 * ParseQuantity's fast path (int64 amount, cached string only when the input was already canonical) to print the same.
 */
final class GoQuantity {
    private GoQuantity() {}

    private static final int MAX_INT64_FACTORS = 18;
    private static final String NIL_DEC = "d:resource.infDecAmount{Dec:(*inf.Dec)(nil)}";

    /**
     * The {@code %#v} text of the quantity parsed from raw. With cached, the printed copy already had String() called
     * on it (upstream formats the message before boxing the value), so its string cache holds the canonical form.
     */
    static GoFormat.Literal literal(String raw, boolean cached) {
        String canonical = Quantity.parse(raw).canonical();
        if (raw.equals("0")) {
            return print(0, 0, "0", "DecimalSI", null);
        }
        boolean positive = !raw.startsWith("-");
        int pos = raw.startsWith("-") || raw.startsWith("+") ? 1 : 0;
        while (pos < raw.length() && raw.charAt(pos) == '0') {
            pos++;
        }
        int numStart = pos;
        while (pos < raw.length() && Character.isDigit(raw.charAt(pos))) {
            pos++;
        }
        String num = raw.substring(numStart, pos);
        if (num.isEmpty()) {
            num = "0";
        }
        String denom = "";
        if (pos < raw.length() && raw.charAt(pos) == '.') {
            int d = ++pos;
            while (pos < raw.length() && Character.isDigit(raw.charAt(pos))) {
                pos++;
            }
            denom = raw.substring(d, pos);
        }
        String suffix = raw.substring(pos);
        String format;
        int exponent;
        boolean binary = false;
        switch (suffix) {
            case "Ki", "Mi", "Gi", "Ti", "Pi", "Ei" -> {
                binary = true;
                format = "BinarySI";
                exponent = 10 * ("KMGTPE".indexOf(suffix.charAt(0)) + 1);
            }
            case "", "n", "u", "m", "k", "M", "G", "T", "P", "E" -> {
                format = "DecimalSI";
                exponent = decimalExponent(suffix);
            }
            default -> {
                format = "DecimalExponent";
                exponent = Integer.parseInt(suffix.substring(1));
            }
        }
        long mantissa = 1;
        int scale;
        int precision;
        if (binary) {
            scale = 0;
            if (denom.isEmpty()) {
                mantissa = 1L << exponent;
                precision = 15 - num.length() - (int) ((float) exponent * 3 / 10) - 1;
            } else {
                precision = -1;
            }
        } else {
            scale = exponent;
            precision = MAX_INT64_FACTORS - (num.length() + denom.length());
        }
        if (precision >= 0) {
            scale -= denom.length();
            if (scale >= -9) {
                String shifted = num + denom;
                BigInteger product = new BigInteger(shifted).multiply(BigInteger.valueOf(mantissa));
                if (product.bitLength() < 64) {
                    long value = positive ? product.longValue() : -product.longValue();
                    boolean canonicalInput = binary
                            ? exponent % 10 == 0 && (new BigInteger(shifted).longValue() & 0x07) != 0
                            : Math.floorMod(scale, 3) == 0 && !shifted.endsWith("000") && shifted.charAt(0) != '0';
                    String s = cached ? canonical : canonicalInput ? raw : "";
                    return print(value, scale, s, format, null);
                }
            }
        }
        if (binary && Quantity.parse(raw).amount().abs().compareTo(java.math.BigDecimal.ONE) < 0) {
            format = "DecimalSI";
        }
        return print(0, 0, cached ? canonical : "", format, "(0xc000000000)");
    }

    private static GoFormat.Literal print(long value, int scale, String s, String format, String dec) {
        return new GoFormat.Literal(
                "resource.Quantity{i:resource.int64Amount{value:" + value + ", scale:" + scale + "}, "
                        + (dec == null ? NIL_DEC : "d:resource.infDecAmount{Dec:(*inf.Dec)" + dec + "}") + ", s:"
                        + GoFormat.quote(s) + ", Format:" + GoFormat.quote(format) + "}");
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
            case "E" -> 18;
            default -> 0;
        };
    }
}
