package dev.capstan.api.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class QuantityTest {

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
        "1G, 1G",
        "1.5M, 1500k"
    })
    void canonicalForm(String input, String canonical) {
        assertThat(Quantity.parse(input).toString()).isEqualTo(canonical);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "abc", "1.5.3", "1Zi", "1 Gi"})
    void malformedQuantitiesAreRefused(String input) {
        assertThatThrownBy(() -> Quantity.parse(input)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest(name = "{0} vs {1}")
    @CsvSource({"1, 1000m, 0", "500m, 1, -1", "1Gi, 1G, 1", "1Ki, 1024, 0"})
    void comparesByValue(String a, String b, int sign) {
        assertThat(Integer.signum(Quantity.parse(a).compareTo(Quantity.parse(b))))
                .isEqualTo(sign);
    }
}
