package dev.capstan.api.resourcemetrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.Json;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MetricsJsonTest {
    private static final Instant NOW = Instant.parse("2026-12-06T08:00:20.9Z");
    private static final Instant AT = Instant.parse("2026-12-06T08:00:15.123Z");

    @ParameterizedTest
    @CsvSource({"0, 0", "12345678, 12345678n", "5000000, 5m", "1000000000, 1", "1500000000, 1500m", "999, 999n"})
    void cpuAsMetricsServerFormatsNanocores(long nanoCores, String expected) {
        assertThat(MetricsJson.cpu(nanoCores)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"0, 0", "1024, 1Ki", "1263616, 1234Ki", "1048576, 1Mi", "1234567, 1234567", "1000, 1k"})
    void memoryAsABinarySiQuantity(long bytes, String expected) {
        assertThat(MetricsJson.memory(bytes)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"15002, 15.002s", "1000, 1s", "500, 500ms", "60500, 1m0.5s", "3723000, 1h2m3s", "0, 0s"})
    void windowsAsGoDurations(long millis, String expected) {
        assertThat(MetricsJson.goDuration(Duration.ofMillis(millis))).isEqualTo(expected);
    }

    @Test
    void nodeMetricsShape() {
        ObjectNode node = Json.parseObject("""
                {"metadata":{"name":"n1","uid":"u","labels":{"kubernetes.io/hostname":"n1"}},"status":{}}""".getBytes(StandardCharsets.UTF_8));
        var item =
                MetricsJson.nodeMetrics(node, new Usage(250_000_000L, 1_048_576L, AT, Duration.ofMillis(15002)), NOW);
        assertThat(Json.MAPPER
                        .valueToTree(MetricsJson.single("NodeMetrics", item))
                        .toString())
                .isEqualTo("{\"kind\":\"NodeMetrics\",\"apiVersion\":\"metrics.k8s.io/v1beta1\",\"metadata\":{\"name\":"
                        + "\"n1\",\"creationTimestamp\":\"2026-12-06T08:00:20Z\",\"labels\":{\"kubernetes.io/hostname\":"
                        + "\"n1\"}},\"timestamp\":\"2026-12-06T08:00:15Z\",\"window\":\"15.002s\",\"usage\":{\"cpu\":"
                        + "\"250m\",\"memory\":\"1Mi\"}}");
    }

    @Test
    void podMetricsListShape() {
        ObjectNode pod = Json.parseObject(
                "{\"metadata\":{\"name\":\"web\",\"namespace\":\"ns\"}}".getBytes(StandardCharsets.UTF_8));
        var usage = new PodUsage(
                AT,
                Duration.ofSeconds(1),
                List.of(
                        new PodUsage.Container("a", new Usage(1, 4096, AT, Duration.ofSeconds(1))),
                        new PodUsage.Container("b", new Usage(2_000_000L, 1234567, AT, Duration.ofSeconds(1)))));
        var list = MetricsJson.list("PodMetricsList", List.of(MetricsJson.podMetrics(pod, usage, NOW)));
        assertThat(list.toString())
                .isEqualTo("{\"kind\":\"PodMetricsList\",\"apiVersion\":\"metrics.k8s.io/v1beta1\",\"metadata\":{},"
                        + "\"items\":[{\"metadata\":{\"name\":\"web\",\"namespace\":\"ns\",\"creationTimestamp\":"
                        + "\"2026-12-06T08:00:20Z\"},\"timestamp\":\"2026-12-06T08:00:15Z\",\"window\":\"1s\","
                        + "\"containers\":[{\"name\":\"a\",\"usage\":{\"cpu\":\"1n\",\"memory\":\"4Ki\"}},"
                        + "{\"name\":\"b\",\"usage\":{\"cpu\":\"2m\",\"memory\":\"1234567\"}}]}]}");
    }
}
