package dev.capstan.api.resourcemetrics;

import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One node's {@code /metrics/resource}, decoded as metrics-server's decoder does: the node's point (null unless it
 * has a timestamp, CPU and memory), and per pod its containers' points, a pod dropped whole when any of its
 * containers lacks CPU or memory. Samples without a timestamp take the scrape's time.
 */
public record ScrapeBatch(MetricsPoint node, Map<PodKey, Map<String, MetricsPoint>> pods) {

    public ScrapeBatch {
        pods = Map.copyOf(pods);
    }

    public static ScrapeBatch decode(String text, Instant scrapedAt) {
        MetricsPoint[] node = {MetricsPoint.empty()};
        Map<PodKey, Map<String, MetricsPoint>> pods = new LinkedHashMap<>();
        for (PrometheusText.Sample s : PrometheusText.parse(text)) {
            Instant at = s.timestampMillis() == null ? scrapedAt : Instant.ofEpochMilli(s.timestampMillis());
            switch (s.name()) {
                case "node_cpu_usage_seconds_total" -> node[0] = node[0].withCpu(nanos(s.value()), at);
                case "node_memory_working_set_bytes" -> node[0] = node[0].withMemory((long) s.value(), at);
                case "container_cpu_usage_seconds_total",
                        "container_memory_working_set_bytes",
                        "container_start_time_seconds" -> {
                    var key = new PodKey(s.label("namespace"), s.label("pod"));
                    var containers = pods.computeIfAbsent(key, k -> new HashMap<>());
                    MetricsPoint p = containers.getOrDefault(s.label("container"), MetricsPoint.empty());
                    p = switch (s.name()) {
                        case "container_cpu_usage_seconds_total" -> p.withCpu(nanos(s.value()), at);
                        case "container_memory_working_set_bytes" -> p.withMemory((long) s.value(), at);
                        default -> p.withStartTime(instant(s.value()));
                    };
                    containers.put(s.label("container"), p);
                }
                default -> {}
            }
        }
        MetricsPoint n = node[0];
        boolean nodeComplete = n.timestamp() != null && n.cumulativeCpuNanos() != 0 && n.memoryBytes() != 0;
        Map<PodKey, Map<String, MetricsPoint>> complete = new LinkedHashMap<>();
        pods.forEach((key, containers) -> {
            boolean whole = containers.values().stream()
                    .allMatch(p -> p.timestamp() != null && p.cumulativeCpuNanos() != 0 && p.memoryBytes() != 0);
            if (whole && !containers.isEmpty()) {
                complete.put(key, Map.copyOf(containers));
            }
        });
        return new ScrapeBatch(nodeComplete ? n : null, complete);
    }

    private static long nanos(double seconds) {
        return (long) (seconds * 1e9);
    }

    private static Instant instant(double epochSeconds) {
        long nanos = (long) (epochSeconds * 1e9);
        return Instant.ofEpochSecond(0, nanos);
    }
}
