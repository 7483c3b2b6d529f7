package dev.capstan.api.resourcemetrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capstan.api.Json;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MetricsTableTest {

    @Test
    void aPodRowSumsItsContainers() {
        var list = Json.parseObject("""
                {"kind":"PodMetricsList","apiVersion":"metrics.k8s.io/v1beta1","metadata":{},"items":[
                 {"metadata":{"name":"web","namespace":"ns"},"timestamp":"2026-12-06T08:00:15Z","window":"15.002s",
                  "containers":[{"name":"a","usage":{"cpu":"216030584n","memory":"504Ki"}},
                                {"name":"b","usage":{"cpu":"5m","memory":"1234567"}}]}]}""".getBytes(StandardCharsets.UTF_8));
        var table = MetricsTable.of(list);
        assertThat(table.path("columnDefinitions").findValuesAsText("name"))
                .containsExactly("Name", "cpu", "memory", "Window");
        assertThat(table.path("rows").get(0).path("cells").toString())
                .isEqualTo("[\"web\",\"221030584n\",\"1750663\",\"15.002s\"]");
        assertThat(table.path("rows")
                        .get(0)
                        .path("object")
                        .path("metadata")
                        .path("namespace")
                        .asText())
                .isEqualTo("ns");
    }

    @Test
    void aNodeIsOneRow() {
        var node = Json.parseObject("""
                {"kind":"NodeMetrics","apiVersion":"metrics.k8s.io/v1beta1","metadata":{"name":"n1"},
                 "timestamp":"2026-12-06T08:00:15Z","window":"1s","usage":{"cpu":"1500m","memory":"4Mi"}}""".getBytes(StandardCharsets.UTF_8));
        assertThat(MetricsTable.of(node).path("rows").get(0).path("cells").toString())
                .isEqualTo("[\"n1\",\"1500m\",\"4Mi\",\"1s\"]");
    }
}
