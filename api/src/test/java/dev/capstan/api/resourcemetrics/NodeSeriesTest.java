package dev.capstan.api.resourcemetrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeSeriesTest {
    private static final Instant T0 = Instant.parse("2026-12-06T08:00:00Z");
    private static final Instant STARTED = T0.minus(Duration.ofHours(1));
    private static final PodKey WEB = new PodKey("ns", "web");

    private final NodeSeries series = new NodeSeries(Duration.ofSeconds(15));

    private static ScrapeBatch batch(Instant at, long nodeCpu, Instant started, long containerCpu, long memory) {
        return new ScrapeBatch(
                new MetricsPoint(null, at, nodeCpu, 1 << 30),
                Map.of(WEB, Map.of("c", new MetricsPoint(started, at, containerCpu, memory))));
    }

    @Test
    void cpuIsTheRateBetweenTheLastTwoSamples() {
        series.store(batch(T0, 10_000_000_000L, STARTED, 1_000_000_000L, 4096), T0);
        assertThat(series.node()).isEmpty();
        assertThat(series.pod(WEB)).isEmpty();
        assertThat(series.lacksPrevious()).isTrue();

        Instant t1 = T0.plus(Duration.ofMillis(1500));
        series.store(batch(t1, 13_000_000_000L, STARTED, 1_750_000_000L, 8192), t1);
        assertThat(series.lacksPrevious()).isFalse();
        // 3 core-seconds in 1.5 s: 2 cores
        assertThat(series.node()).contains(new Usage(2_000_000_000L, 1 << 30, t1, Duration.ofMillis(1500)));
        var pod = series.pod(WEB).orElseThrow();
        assertThat(pod.timestamp()).isEqualTo(t1);
        assertThat(pod.window()).isEqualTo(Duration.ofMillis(1500));
        assertThat(pod.containers())
                .containsExactly(
                        new PodUsage.Container("c", new Usage(500_000_000L, 8192, t1, Duration.ofMillis(1500))));
    }

    @Test
    void aRestartedContainerStartsOverAndASampleNoNewerKeepsThePrevious() {
        series.store(batch(T0, 1, STARTED, 5_000_000_000L, 4096), T0);
        Instant t1 = T0.plusSeconds(15);
        Instant restarted = T0.plusSeconds(10); // 5 s before t1: too young to count from its start
        // cumulative CPU fell because the container restarted after the last sample: no rate from across it
        series.store(batch(t1, 2, restarted, 100_000_000L, 4096), t1);
        assertThat(series.pod(WEB)).isEmpty();
        Instant t2 = t1.plusSeconds(15);
        series.store(batch(t2, 3, restarted, 400_000_000L, 4096), t2);
        assertThat(series.pod(WEB).orElseThrow().containers().getFirst().usage().nanoCores())
                .isEqualTo(20_000_000L);
        // the same sample again (the agent did not sample anew): the previous one stays
        series.store(batch(t2, 3, restarted, 400_000_000L, 4096), t2.plusSeconds(1));
        assertThat(series.pod(WEB).orElseThrow().window()).isEqualTo(Duration.ofSeconds(15));
    }

    @Test
    void aFreshContainerCountsFromItsStart() {
        Instant started = T0.minusSeconds(12);
        series.store(batch(T0, 1, started, 1_200_000_000L, 4096), T0);
        var pod = series.pod(WEB).orElseThrow();
        assertThat(pod.window()).isEqualTo(Duration.ofSeconds(12));
        assertThat(pod.containers().getFirst().usage().nanoCores()).isEqualTo(100_000_000L);
    }

    @Test
    void clearingForgetsEverything() {
        series.store(batch(T0, 1, STARTED, 1, 1), T0);
        series.store(batch(T0.plusSeconds(1), 2, STARTED, 2, 1), T0.plusSeconds(1));
        series.clear(T0.plusSeconds(2));
        assertThat(series.node()).isEmpty();
        assertThat(series.pod(WEB)).isEmpty();
        assertThat(series.scrapedAt()).isEqualTo(T0.plusSeconds(2));
    }
}
