package dev.capstan.api.table;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class QuantitiesAndLabelsTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
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
        "'  250m ', 250m",
        "-1500m, -1500m",
    })
    void quantitiesPrintInCanonicalForm(String raw, String expected) {
        assertThat(Nodes.quantity(raw)).isEqualTo(expected);
    }

    @Test
    void labelSetsSortByTheJoinedPair() {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("a", "1");
        labels.put("a.b", "2");
        labels.put("app", "web");

        assertThat(Labels.formatLabels(labels)).isEqualTo("a.b=2,a=1,app=web");
        assertThat(Labels.formatLabels(Map.of())).isEqualTo("<none>");
    }

    @Test
    void selectorsWithInvalidLabelsAreErrors() {
        assertThat(Labels.formatLabelSelector(Fixtures.json("{\"matchLabels\": {\"app\": \"has space\"}}")))
                .isEqualTo("<error>");
        assertThat(Labels.formatLabelSelector(Fixtures.json("{\"matchLabels\": {\"-bad\": \"x\"}}")))
                .isEqualTo("<error>");
        assertThat(Labels.formatLabelSelector(
                        Fixtures.json("{\"matchExpressions\": [{\"key\": \"a\", \"operator\": \"In\"}]}")))
                .isEqualTo("<error>");
        assertThat(Labels.formatLabelSelector(
                        Fixtures.json("{\"matchLabels\": {\"example.com/tier\": \"\", \"app\": \"a.b-c_d\"}}")))
                .isEqualTo("app=a.b-c_d,example.com/tier=");
        assertThat(Labels.formatLabelSelector(null)).isEqualTo("<none>");
    }
}
