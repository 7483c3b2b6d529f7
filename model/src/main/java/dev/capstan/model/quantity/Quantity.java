package dev.capstan.model.quantity;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.Optional;

/**
 * apimachinery's resource.Quantity: an exact decimal amount (never finer than a nano-unit), the format it prints in,
 * and, like upstream, the caller's own string when ParseQuantity found it already canonical.
 *
 * <p>Immutable; {@link #add}, {@link #subtract} and {@link #negate} return new quantities. Equality is by amount,
 * so "1" equals "1000m" (upstream's {@code Equal}); the format and kept string only affect printing. Not a record,
 * because a record's equality would compare the format and string too.
 */
public final class Quantity implements Comparable<Quantity> {

    /** How a quantity prints: the suffix family it was written in. */
    public enum Format {
        /** e.g. 12e6 */
        DECIMAL_EXPONENT("DecimalExponent"),
        /** e.g. 128Mi */
        BINARY_SI("BinarySI"),
        /** e.g. 100m, 1G */
        DECIMAL_SI("DecimalSI");

        private final String upstreamName;

        Format(String upstreamName) {
            this.upstreamName = upstreamName;
        }

        /** The name upstream's Format constant has, as it appears in Go code and docs. */
        public String upstreamName() {
            return upstreamName;
        }
    }

    /** Upstream's ErrFormatWrong. */
    public static final String FORMAT_ERROR =
            "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
    /** Upstream's ErrNumeric. */
    public static final String NUMERIC_ERROR = "unable to parse numeric part of quantity";
    /** Upstream's ErrSuffix. */
    public static final String SUFFIX_ERROR = "unable to parse quantity's suffix";

    public static final Quantity ZERO = new Quantity(BigDecimal.ZERO, Format.DECIMAL_SI, null);

    private static final int NANO = -9;
    private static final int MAX_INT64_FACTORS = 18;
    private static final BigDecimal ONE_KI = BigDecimal.valueOf(1024);
    private static final BigInteger KI = BigInteger.valueOf(1024);
    // ParseQuantity caps BinarySI amounts at the largest int64
    private static final BigDecimal MAX_ALLOWED = BigDecimal.valueOf(Long.MAX_VALUE);
    private static final String SUFFIX_CHARS = "eEinumkKMGTP";

    private final BigDecimal amount;
    private final Format format;
    private final String kept;

    private Quantity(BigDecimal amount, Format format, String kept) {
        this.amount = amount;
        this.format = format;
        this.kept = kept;
    }

    /** Upstream's NewQuantity: {@code value} units, printed in {@code format}. */
    public static Quantity of(long value, Format format) {
        return new Quantity(BigDecimal.valueOf(value), format, null);
    }

    /** Upstream's NewMilliQuantity: {@code milli} thousandths of a unit. */
    public static Quantity ofMilli(long milli, Format format) {
        return new Quantity(BigDecimal.valueOf(milli, 3), format, null);
    }

    /** Like {@link #parse}, but empty instead of an exception for a string that is not a quantity. */
    public static Optional<Quantity> tryParse(String str) {
        try {
            return Optional.of(parse(str));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * Upstream's ParseQuantity. No whitespace is trimmed (JSON decoding trims before it calls this). Amounts finer
     * than a nano-unit round up, away from zero, so a request for "some" never becomes zero.
     *
     * @throws IllegalArgumentException with upstream's message when {@code str} is not a quantity
     */
    public static Quantity parse(String str) {
        if (str.isEmpty()) {
            throw new IllegalArgumentException(FORMAT_ERROR);
        }
        if (str.equals("0")) {
            return new Quantity(BigDecimal.ZERO, Format.DECIMAL_SI, str);
        }
        Parts parts = Parts.of(str);
        Suffix suffix = Suffix.interpret(parts.suffix());
        if (suffix == null) {
            throw new IllegalArgumentException(SUFFIX_ERROR);
        }
        Quantity fast = fastPath(str, parts, suffix);
        return fast != null ? fast : slowPath(parts, suffix);
    }

    /** Small numbers fit an int64 with a decimal scale; upstream keeps the caller's string when it is canonical. */
    private static Quantity fastPath(String str, Parts parts, Suffix suffix) {
        String num = parts.num();
        String denom = parts.denom();
        int precision;
        int scale = 0;
        long mantissa = 1;
        if (suffix.format() == Format.BINARY_SI) {
            if (suffix.exponent() < 0 || !denom.isEmpty()) {
                return null;
            }
            mantissa = 1L << suffix.exponent();
            // 1Mi (2^20) has about 6 decimal digits, hence exponent*3/10 - 1 (float arithmetic, as upstream)
            precision = 15 - num.length() - (int) ((float) suffix.exponent() * 3 / 10) - 1;
        } else {
            scale = suffix.exponent();
            precision = MAX_INT64_FACTORS - (num.length() + denom.length());
        }
        if (precision < 0) {
            return null;
        }
        scale -= denom.length();
        if (scale < NANO) {
            return null;
        }
        String shifted = num + denom;
        long value;
        long result;
        try {
            value = Long.parseLong(shifted);
            result = Math.multiplyExact(value, mantissa);
        } catch (NumberFormatException | ArithmeticException e) {
            return null;
        }
        BigDecimal amount = BigDecimal.valueOf(parts.positive() ? result : -result, -scale);
        boolean canonical = suffix.format() == Format.BINARY_SI
                ? suffix.exponent() % 10 == 0 && (value & 0x07) != 0
                : scale % 3 == 0 && !shifted.endsWith("000") && shifted.charAt(0) != '0';
        return new Quantity(amount, suffix.format(), canonical ? str : null);
    }

    private static Quantity slowPath(Parts parts, Suffix suffix) {
        BigDecimal amount;
        try {
            amount = new BigDecimal(parts.value());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(NUMERIC_ERROR, e);
        }
        amount = suffix.base() == 10
                ? amount.scaleByPowerOfTen(suffix.exponent())
                : amount.multiply(new BigDecimal(BigInteger.ONE.shiftLeft(suffix.exponent())));
        int sign = amount.signum();
        amount = amount.abs();
        if (sign != 0 && amount.scale() > -NANO) {
            amount = amount.setScale(-NANO, RoundingMode.UP);
        }
        Format format = suffix.format();
        if (format == Format.BINARY_SI && amount.compareTo(MAX_ALLOWED) > 0) {
            amount = MAX_ALLOWED;
        }
        if (format == Format.BINARY_SI && sign != 0 && amount.compareTo(BigDecimal.ONE) < 0) {
            format = Format.DECIMAL_SI;
        }
        return new Quantity(sign < 0 ? amount.negate() : amount, format, null);
    }

    /** The exact amount in base units (cores, bytes, ...). */
    public BigDecimal amount() {
        return amount;
    }

    public Format format() {
        return format;
    }

    public boolean isZero() {
        return amount.signum() == 0;
    }

    /** -1, 0 or 1. */
    public int sign() {
        return amount.signum();
    }

    /** Upstream's Add: the sum, in this quantity's format unless this one is zero. */
    public Quantity add(Quantity other) {
        return new Quantity(amount.add(other.amount), isZero() ? other.format : format, null);
    }

    /** Upstream's Sub: the difference, in this quantity's format unless this one is zero. */
    public Quantity subtract(Quantity other) {
        return new Quantity(amount.subtract(other.amount), isZero() ? other.format : format, null);
    }

    public Quantity negate() {
        return new Quantity(amount.negate(), format, null);
    }

    /** Upstream's Value(): whole units, a fraction rounded up away from zero; saturates outside the long range. */
    public long value() {
        return scaledValue(0);
    }

    /** Upstream's MilliValue(): thousandths, rounded up away from zero like {@link #value()}. */
    public long milliValue() {
        return scaledValue(-3);
    }

    /** Upstream's ScaledValue: the amount in units of 10^scale, rounded up away from zero. */
    public long scaledValue(int scale) {
        BigInteger units =
                amount.scaleByPowerOfTen(-scale).setScale(0, RoundingMode.UP).toBigInteger();
        if (units.bitLength() > 63) {
            return units.signum() > 0 ? Long.MAX_VALUE : Long.MIN_VALUE;
        }
        return units.longValue();
    }

    @Override
    public int compareTo(Quantity other) {
        return amount.compareTo(other.amount);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Quantity q && amount.compareTo(q.amount) == 0;
    }

    @Override
    public int hashCode() {
        return amount.stripTrailingZeros().hashCode();
    }

    /**
     * Upstream's String(): the caller's string when ParseQuantity kept it (it was canonical but for a '+' sign,
     * leading zeros or an upper-case 'E'), otherwise {@link #canonical()}.
     */
    @Override
    public String toString() {
        return kept != null ? kept : canonical();
    }

    /**
     * Upstream's CanonicalizeBytes, the form a computed quantity prints in: no fraction, the largest suffix of its
     * format that loses nothing ("1.5" as "1500m", "1536Ki" as "1536Ki", "1.5Gi" as "1536Mi").
     */
    public String canonical() {
        if (isZero()) {
            return "0";
        }
        Format f = format;
        if (f == Format.BINARY_SI) {
            boolean small = amount.compareTo(ONE_KI.negate()) > 0 && amount.compareTo(ONE_KI) < 0;
            // a fraction would be rounded away: print decimally rather than lose precision
            if (small || amount.stripTrailingZeros().scale() > 0) {
                f = Format.DECIMAL_SI;
            }
        }
        if (f == Format.BINARY_SI) {
            BigInteger units = amount.toBigIntegerExact();
            int times = 0;
            while (units.signum() != 0 && units.mod(KI).signum() == 0) {
                units = units.divide(KI);
                times++;
            }
            return units + Suffix.binary(times * 10);
        }
        BigDecimal stripped = amount.stripTrailingZeros();
        BigInteger mantissa = stripped.unscaledValue();
        int exponent = -stripped.scale();
        int shift = Math.floorMod(exponent, 3);
        mantissa = mantissa.multiply(BigInteger.TEN.pow(shift));
        exponent -= shift;
        if (f == Format.DECIMAL_EXPONENT) {
            return mantissa + (exponent == 0 ? "" : "e" + exponent);
        }
        return mantissa + Suffix.decimal(exponent);
    }

    /** parseQuantityString's pieces: sign, the numeric prefix as written, integer and fraction digits, suffix. */
    private record Parts(boolean positive, String value, String num, String denom, String suffix) {

        static Parts of(String str) {
            int end = str.length();
            int pos = 0;
            boolean positive = true;
            if (str.charAt(0) == '-') {
                positive = false;
                pos++;
            } else if (str.charAt(0) == '+') {
                pos++;
            }
            while (pos < end && str.charAt(pos) == '0') {
                pos++;
            }
            if (pos >= end) {
                return new Parts(positive, "0", "0", "", "");
            }
            int numStart = pos;
            while (pos < end && isDigit(str.charAt(pos))) {
                pos++;
            }
            String num = pos == numStart ? "0" : str.substring(numStart, pos);
            String denom = "";
            if (pos < end && str.charAt(pos) == '.') {
                int denomStart = ++pos;
                while (pos < end && isDigit(str.charAt(pos))) {
                    pos++;
                }
                denom = str.substring(denomStart, pos);
            }
            String value = str.substring(0, pos);
            int suffixStart = pos;
            while (pos < end && SUFFIX_CHARS.indexOf(str.charAt(pos)) >= 0) {
                pos++;
            }
            if (pos < end && (str.charAt(pos) == '-' || str.charAt(pos) == '+')) {
                pos++;
            }
            while (pos < end && isDigit(str.charAt(pos))) {
                pos++;
            }
            if (pos < end) {
                throw new IllegalArgumentException(FORMAT_ERROR);
            }
            return new Parts(positive, value, num, denom, str.substring(suffixStart));
        }

        private static boolean isDigit(char c) {
            return c >= '0' && c <= '9';
        }
    }

    /** Upstream's suffixer: what a suffix means, and which suffix an exponent prints with. */
    private record Suffix(int base, int exponent, Format format) {
        private static final String DECIMAL = "num kMGTPE";
        private static final String BINARY = "KMGTPE";

        static Suffix interpret(String suffix) {
            if (suffix.isEmpty()) {
                return new Suffix(10, 0, Format.DECIMAL_SI);
            }
            if (suffix.length() == 1 && DECIMAL.indexOf(suffix.charAt(0)) >= 0 && suffix.charAt(0) != ' ') {
                return new Suffix(10, 3 * DECIMAL.indexOf(suffix.charAt(0)) - 9, Format.DECIMAL_SI);
            }
            if (suffix.length() == 2 && suffix.charAt(1) == 'i' && BINARY.indexOf(suffix.charAt(0)) >= 0) {
                return new Suffix(2, 10 * BINARY.indexOf(suffix.charAt(0)) + 10, Format.BINARY_SI);
            }
            if (suffix.length() > 1 && (suffix.charAt(0) == 'e' || suffix.charAt(0) == 'E')) {
                try {
                    // Go narrows the parsed int64 to int32; (int) wraps the same way
                    return new Suffix(10, (int) Long.parseLong(suffix.substring(1)), Format.DECIMAL_EXPONENT);
                } catch (NumberFormatException e) {
                    return null;
                }
            }
            return null;
        }

        /** The decimal SI suffix of a multiple-of-3 exponent; upstream prints none past the table's ends. */
        static String decimal(int exponent) {
            int i = (exponent + 9) / 3;
            return exponent >= -9 && exponent <= 18 && exponent % 3 == 0
                    ? String.valueOf(DECIMAL.charAt(i)).strip()
                    : "";
        }

        static String binary(int exponent) {
            return exponent >= 10 && exponent <= 60 ? BINARY.charAt(exponent / 10 - 1) + "i" : "";
        }
    }
}
