package dev.capstan.node.stats;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capstan.node.runtime.ResourceUsage;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ResourceMetricsTextTest {

    private static final Instant T = Instant.parse("2026-12-06T08:00:00.123456789Z");

    private static ResourceUsage usage(long cpuNanos, long bytes) {
        return new ResourceUsage(T, OptionalLong.of(cpuNanos), OptionalLong.empty(), OptionalLong.of(bytes));
    }

    @Test
    void rendersTheKubeletsFamiliesInOrderWithTimestamps() {
        var web = new ResourceSnapshot.Pod(
                "default",
                "web",
                usage(3_000_000_000L, 2_097_152),
                List.of(
                        new ResourceSnapshot.Container(
                                "nginx", Instant.parse("2026-12-06T07:00:00.5Z"), usage(2_500_000_000L, 1_048_576)),
                        new ResourceSnapshot.Container(
                                "side", Instant.parse("2026-12-06T07:00:01Z"), usage(500_000_000L, 1_048_576))));
        var snapshot = new ResourceSnapshot(usage(123_450_000_000L, 1_234_567_890L), List.of(web), false);

        assertThat(ResourceMetricsText.render(snapshot)).isEqualTo("""
                # HELP container_cpu_usage_seconds_total [STABLE] Cumulative cpu time consumed by the container in core-seconds
                # TYPE container_cpu_usage_seconds_total counter
                container_cpu_usage_seconds_total{container="nginx",namespace="default",pod="web"} 2.5 1796544000123
                container_cpu_usage_seconds_total{container="side",namespace="default",pod="web"} 0.5 1796544000123
                # HELP container_memory_working_set_bytes [STABLE] Current working set of the container in bytes
                # TYPE container_memory_working_set_bytes gauge
                container_memory_working_set_bytes{container="nginx",namespace="default",pod="web"} 1.048576e+06 1796544000123
                container_memory_working_set_bytes{container="side",namespace="default",pod="web"} 1.048576e+06 1796544000123
                # HELP container_start_time_seconds [STABLE] Start time of the container since unix epoch in seconds
                # TYPE container_start_time_seconds gauge
                container_start_time_seconds{container="nginx",namespace="default",pod="web"} 1.7965404005e+09
                container_start_time_seconds{container="side",namespace="default",pod="web"} 1.796540401e+09
                # HELP node_cpu_usage_seconds_total [STABLE] Cumulative cpu time consumed by the node in core-seconds
                # TYPE node_cpu_usage_seconds_total counter
                node_cpu_usage_seconds_total 123.45 1796544000123
                # HELP node_memory_working_set_bytes [STABLE] Current working set of the node in bytes
                # TYPE node_memory_working_set_bytes gauge
                node_memory_working_set_bytes 1.23456789e+09 1796544000123
                # HELP pod_cpu_usage_seconds_total [STABLE] Cumulative cpu time consumed by the pod in core-seconds
                # TYPE pod_cpu_usage_seconds_total counter
                pod_cpu_usage_seconds_total{namespace="default",pod="web"} 3 1796544000123
                # HELP pod_memory_working_set_bytes [STABLE] Current working set of the pod in bytes
                # TYPE pod_memory_working_set_bytes gauge
                pod_memory_working_set_bytes{namespace="default",pod="web"} 2.097152e+06 1796544000123
                # HELP resource_scrape_error [STABLE] 1 if there was an error while getting container metrics, 0 otherwise
                # TYPE resource_scrape_error gauge
                resource_scrape_error 0
                # HELP scrape_error [ALPHA] (Deprecated since 1.29.0) 1 if there was an error while getting container metrics, 0 otherwise
                # TYPE scrape_error gauge
                scrape_error 0
                """);
    }

    @Test
    void aFailedScrapeCarriesOnlyTheError() {
        assertThat(ResourceMetricsText.render(ResourceSnapshot.failed()))
                .doesNotContain("node_", "container_", "pod_")
                .contains("\nresource_scrape_error 1\n", "\nscrape_error 1\n");
    }

    @Test
    void unmeasuredValuesAndEmptyFamiliesAreLeftOut() {
        var none = new ResourceUsage(T, OptionalLong.empty(), OptionalLong.empty(), OptionalLong.of(4096));
        var pod = new ResourceSnapshot.Pod(
                "ns", "p", none, List.of(new ResourceSnapshot.Container("c", Instant.EPOCH, none)));
        String text = ResourceMetricsText.render(new ResourceSnapshot(none, List.of(pod), false));
        assertThat(text)
                .doesNotContain("cpu_usage", "container_start_time_seconds")
                .contains("container_memory_working_set_bytes{container=\"c\",namespace=\"ns\",pod=\"p\"} 4096 ");
    }

    @Test
    void labelValuesAreEscaped() {
        assertThat(ResourceMetricsText.escape("a\\b\"c\nd")).isEqualTo("a\\\\b\\\"c\\nd");
    }

    @ParameterizedTest
    @CsvSource({
        "0, 0",
        "1, 1",
        "0.5, 0.5",
        "123456, 123456",
        "1234567, 1.234567e+06",
        "1000000, 1e+06",
        "0.0001, 0.0001",
        "0.00001234, 1.234e-05",
        "-2.5, -2.5",
        "1.7965404005e9, 1.7965404005e+09",
        "12.345678912, 12.345678912"
    })
    void numbersPrintAsGosShortestG(double value, String expected) {
        assertThat(ResourceMetricsText.number(value)).isEqualTo(expected);
    }
}
