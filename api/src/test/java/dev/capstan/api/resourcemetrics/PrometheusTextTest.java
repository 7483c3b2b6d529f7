package dev.capstan.api.resourcemetrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PrometheusTextTest {

    @Test
    void samplesWithLabelsValuesAndTimestamps() {
        var samples = PrometheusText.parse("""
                # HELP node_cpu_usage_seconds_total [STABLE] Cumulative cpu time consumed by the node in core-seconds
                # TYPE node_cpu_usage_seconds_total counter
                node_cpu_usage_seconds_total 44862.25 1796545321968

                container_memory_working_set_bytes{container="a\\"b",namespace="n\\\\s",pod="p\\nq"} 1.658687488e+09 17
                scrape_error 0
                """);
        assertThat(samples).hasSize(3);
        assertThat(samples.get(0).name()).isEqualTo("node_cpu_usage_seconds_total");
        assertThat(samples.get(0).labels()).isEmpty();
        assertThat(samples.get(0).value()).isEqualTo(44862.25);
        assertThat(samples.get(0).timestampMillis()).isEqualTo(1796545321968L);
        assertThat(samples.get(1).labels())
                .containsExactlyInAnyOrderEntriesOf(Map.of("container", "a\"b", "namespace", "n\\s", "pod", "p\nq"));
        assertThat(samples.get(1).value()).isEqualTo(1_658_687_488d);
        assertThat(samples.get(2).timestampMillis()).isNull();
        assertThat(samples.get(2).label("absent")).isEmpty();
    }

    @Test
    void aLineThatIsNotASampleFailsTheDocument() {
        assertThatThrownBy(() -> PrometheusText.parse("ok 1\nbroken{a=\"x\" 1\n"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("line 2");
        assertThatThrownBy(() -> PrometheusText.parse("name notanumber")).isInstanceOf(IllegalArgumentException.class);
    }
}
