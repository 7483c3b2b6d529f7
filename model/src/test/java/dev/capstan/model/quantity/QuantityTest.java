package dev.capstan.model.quantity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class QuantityTest {

    /** What upstream's String() gives after ParseQuantity (the caller's string when it was kept). */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        // from the table printers' cases
        "0, 0",
        "10Gi, 10Gi",
        "1024Mi, 1Gi",
        "8Gi, 8Gi",
        "1.5Gi, 1536Mi",
        "0.5Gi, 512Mi",
        "500Mi, 500Mi",
        "512Ki, 512Ki",
        "100m, 100m",
        "0.1, 100m",
        "0.5, 500m",
        "1.5, 1500m",
        "1500, 1500",
        "1.5k, 1500",
        "1000, 1k",
        "2000M, 2G",
        "1024, 1024",
        "1e3, 1e3",
        "1000e3, 1e6",
        "123456789n, 123456789n",
        "0.0000000001, 1n",
        "-1500m, -1500m",
        // upstream quantity_test.go
        "1Ki, 1Ki",
        "1Mi, 1Mi",
        "1Gi, 1Gi",
        "1000M, 1G",
        ".001Ki, 1024m",
        ".000001Ki, 1024u",
        ".000000001Ki, 1024n",
        ".000000000001Ki, 2n",
        "-0.0000000001, -1n",
        "1.5Ki, 1536",
        "0.001, 1m",
        "0.0005k, 500m",
        "0.000000123, 123n",
        "12E, 12E",
        "1e-3, 1e-3",
        "1e4, 10e3",
        "9223372036854775807, 9223372036854775807",
        "100Ei, 9223372036854775807",
        "-5Ei, -5Ei",
        "0Mi, 0",
        "0n, 0",
        // ParseQuantity keeps a canonical string as written
        "1E3, 1E3",
        "+5, +5",
        "05, 05",
        "7Ki, 7Ki",
        "8Ki, 8Ki",
    })
    void printsAsUpstreamString(String input, String expected) {
        assertThat(Quantity.parse(input).toString()).isEqualTo(expected);
    }

    /** The canonical form a computed quantity prints in, whatever the caller wrote. */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "100m, 100m",
        "1000m, 1",
        "0.5, 500m",
        "1.5, 1500m",
        "1500, 1500",
        "2000, 2k",
        "128Mi, 128Mi",
        "1.5Gi, 1536Mi",
        "1024Ki, 1Mi",
        "1000Ki, 1000Ki",
        "0.5Ki, 512",
        "1e3, 1e3",
        "1E3, 1e3",
        "12e6, 12e6",
        "0.1m, 100u",
        "0, 0",
        "0Mi, 0",
        "-1Gi, -1Gi",
        "+5, 5",
        "05, 5",
        "1G, 1G",
        "1.5M, 1500k"
    })
    void canonicalForm(String input, String canonical) {
        assertThat(Quantity.parse(input).canonical()).isEqualTo(canonical);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "abc", "1.5.3", "1 Gi", " 1", "1 ", "1.1.M", "1+1.0M", "0.1am", "aoeu", "1Zi"})
    void malformedQuantitiesAreRefusedWithUpstreamsMessage(String input) {
        assertThatThrownBy(() -> Quantity.parse(input))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(Quantity.FORMAT_ERROR);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.1mi", ".5i", "1i", "-3.01i", "-3.01e-", "1K", "1e"})
    void unknownSuffixesAreRefused(String input) {
        assertThatThrownBy(() -> Quantity.parse(input))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(Quantity.SUFFIX_ERROR);
    }

    @ParameterizedTest(name = "{0} vs {1}")
    @CsvSource({"1, 1000m, 0", "500m, 1, -1", "1Gi, 1G, 1", "1Ki, 1024, 0", "-1, 0, -1"})
    void comparesByValue(String a, String b, int sign) {
        assertThat(Integer.signum(Quantity.parse(a).compareTo(Quantity.parse(b))))
                .isEqualTo(sign);
    }

    @Test
    void equalityIsByAmount() {
        assertThat(Quantity.parse("1")).isEqualTo(Quantity.parse("1000m"));
        assertThat(Quantity.parse("1").hashCode())
                .isEqualTo(Quantity.parse("1000m").hashCode());
        assertThat(Quantity.parse("1Ki")).isEqualTo(Quantity.parse("1024"));
        assertThat(Quantity.parse("1Ki")).isNotEqualTo(Quantity.parse("1k"));
    }

    @ParameterizedTest(name = "{0}: value {1}, milli {2}")
    @CsvSource({
        "1, 1, 1000",
        "1.5, 2, 1500",
        "100m, 1, 100",
        "0.1m, 1, 1",
        "1Ki, 1024, 1024000",
        "-1.5, -2, -1500",
        "0, 0, 0",
        "100Ei, 9223372036854775807, 9223372036854775807"
    })
    void valuesRoundUpLikeUpstream(String input, long value, long milli) {
        Quantity q = Quantity.parse(input);
        assertThat(q.value()).isEqualTo(value);
        assertThat(q.milliValue()).isEqualTo(milli);
    }

    @Test
    void arithmeticKeepsTheReceiversFormatUnlessItIsZero() {
        Quantity sum = Quantity.parse("1Gi").add(Quantity.parse("512Mi"));
        assertThat(sum.toString()).isEqualTo("1536Mi");
        assertThat(Quantity.ZERO.add(Quantity.parse("1Gi")).toString()).isEqualTo("1Gi");
        assertThat(Quantity.parse("1").add(Quantity.parse("500m")).toString()).isEqualTo("1500m");
        assertThat(Quantity.parse("1").subtract(Quantity.parse("1500m")).toString())
                .isEqualTo("-500m");
        assertThat(Quantity.ZERO.subtract(Quantity.parse("2Ki")).toString()).isEqualTo("-2Ki");
        assertThat(Quantity.parse("+5").negate().toString()).isEqualTo("-5");
        assertThat(Quantity.parse("5").subtract(Quantity.parse("5")).isZero()).isTrue();
    }

    @Test
    void constructorsMatchNewQuantity() {
        assertThat(Quantity.ofMilli(100, Quantity.Format.DECIMAL_SI).toString()).isEqualTo("100m");
        assertThat(Quantity.of(200L * 1024 * 1024, Quantity.Format.BINARY_SI).toString())
                .isEqualTo("200Mi");
        assertThat(Quantity.of(5, Quantity.Format.DECIMAL_SI).sign()).isEqualTo(1);
        assertThat(Quantity.parse("1.5").amount()).isEqualByComparingTo(new BigDecimal("1.5"));
        assertThat(Quantity.tryParse("x")).isEmpty();
    }
}
