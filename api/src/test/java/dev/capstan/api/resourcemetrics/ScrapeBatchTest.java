package dev.capstan.api.resourcemetrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class ScrapeBatchTest {
    private static final Instant SCRAPED = Instant.parse("2026-12-06T08:00:10Z");

    @Test
    void decodesTheNodeAndCompletePodsAsMetricsServerDoes() {
        var batch = ScrapeBatch.decode("""
                container_cpu_usage_seconds_total{container="c",namespace="ns",pod="web"} 2.5 1796544000123
                container_memory_working_set_bytes{container="c",namespace="ns",pod="web"} 1.048576e+06 1796544000123
                container_start_time_seconds{container="c",namespace="ns",pod="web"} 1.7965404005e+09
                container_cpu_usage_seconds_total{container="c",namespace="ns",pod="half"} 1 1796544000123
                node_cpu_usage_seconds_total 123.45 1796544000200
                node_memory_working_set_bytes 1.23456789e+09 1796544000200
                pod_cpu_usage_seconds_total{namespace="ns",pod="web"} 3 1796544000123
                resource_scrape_error 0
                """, SCRAPED);
        assertThat(batch.node())
                .isEqualTo(
                        new MetricsPoint(null, Instant.ofEpochMilli(1796544000200L), 123_450_000_000L, 1_234_567_890L));
        assertThat(batch.pods()).containsOnlyKeys(new PodKey("ns", "web"));
        var point = batch.pods().get(new PodKey("ns", "web")).get("c");
        assertThat(point.cumulativeCpuNanos()).isEqualTo(2_500_000_000L);
        assertThat(point.memoryBytes()).isEqualTo(1_048_576L);
        assertThat(point.timestamp()).isEqualTo(Instant.ofEpochMilli(1796544000123L));
        assertThat(point.startTime()).isEqualTo(Instant.parse("2026-12-06T07:00:00.5Z"));
    }

    @Test
    void aNodeWithoutMemoryIsLeftOutAndSamplesWithoutTimestampTakeTheScrapes() {
        var batch = ScrapeBatch.decode("""
                node_cpu_usage_seconds_total 5
                container_cpu_usage_seconds_total{container="c",namespace="ns",pod="p"} 1
                container_memory_working_set_bytes{container="c",namespace="ns",pod="p"} 4096
                """, SCRAPED);
        assertThat(batch.node()).isNull();
        assertThat(batch.pods().get(new PodKey("ns", "p")).get("c").timestamp()).isEqualTo(SCRAPED);
    }
}
