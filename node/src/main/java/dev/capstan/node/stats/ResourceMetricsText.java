package dev.capstan.node.stats;

import dev.capstan.node.runtime.ResourceUsage;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * A {@link ResourceSnapshot} in the Prometheus text format (0.0.4) with the kubelet's names, help texts, labels and
 * order (upstream pkg/kubelet/metrics/collectors/resource_metrics.go behind client_golang's registry: families
 * sorted by name, samples by label values, empty families left out). CPU and memory samples carry the sample's
 * timestamp in milliseconds; container_start_time_seconds and the scrape error carry none. Numbers print as Go's
 * strconv 'g' with the shortest precision, as client_golang writes them.
 */
public final class ResourceMetricsText {
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private static final double NANOS = 1e9;

    private ResourceMetricsText() {}

    public static String render(ResourceSnapshot snapshot) {
        var out = new StringBuilder();
        if (!snapshot.error()) {
            var pods = snapshot.pods().stream()
                    .sorted(java.util.Comparator.comparing(ResourceSnapshot.Pod::namespace)
                            .thenComparing(ResourceSnapshot.Pod::name))
                    .toList();
            List<String> cpu = new ArrayList<>();
            List<String> memory = new ArrayList<>();
            List<String> start = new ArrayList<>();
            // labels in client_golang's order (sorted by name): container, namespace, pod
            for (var pod : pods) {
                for (var c : pod.containers()) {
                    String labels = "{container=\"" + escape(c.name()) + "\",namespace=\"" + escape(pod.namespace())
                            + "\",pod=\"" + escape(pod.name()) + "\"}";
                    cpuSample(cpu, labels, c.usage());
                    memorySample(memory, labels, c.usage());
                    if (c.startTime() != null && c.startTime().getEpochSecond() > 0) {
                        start.add(labels + " " + number(seconds(c.startTime())));
                    }
                }
            }
            family(
                    out,
                    "container_cpu_usage_seconds_total",
                    "counter",
                    "[STABLE] Cumulative cpu time consumed by the container in core-seconds",
                    cpu);
            family(
                    out,
                    "container_memory_working_set_bytes",
                    "gauge",
                    "[STABLE] Current working set of the container in bytes",
                    memory);
            family(
                    out,
                    "container_start_time_seconds",
                    "gauge",
                    "[STABLE] Start time of the container since unix epoch in seconds",
                    start);
            List<String> nodeCpu = new ArrayList<>();
            List<String> nodeMemory = new ArrayList<>();
            if (snapshot.node() != null) {
                cpuSample(nodeCpu, "", snapshot.node());
                memorySample(nodeMemory, "", snapshot.node());
            }
            family(
                    out,
                    "node_cpu_usage_seconds_total",
                    "counter",
                    "[STABLE] Cumulative cpu time consumed by the node in core-seconds",
                    nodeCpu);
            family(
                    out,
                    "node_memory_working_set_bytes",
                    "gauge",
                    "[STABLE] Current working set of the node in bytes",
                    nodeMemory);
            List<String> podCpu = new ArrayList<>();
            List<String> podMemory = new ArrayList<>();
            for (var pod : pods) {
                String labels = "{namespace=\"" + escape(pod.namespace()) + "\",pod=\"" + escape(pod.name()) + "\"}";
                cpuSample(podCpu, labels, pod.usage());
                memorySample(podMemory, labels, pod.usage());
            }
            family(
                    out,
                    "pod_cpu_usage_seconds_total",
                    "counter",
                    "[STABLE] Cumulative cpu time consumed by the pod in core-seconds",
                    podCpu);
            family(
                    out,
                    "pod_memory_working_set_bytes",
                    "gauge",
                    "[STABLE] Current working set of the pod in bytes",
                    podMemory);
        }
        String error = snapshot.error() ? " 1" : " 0";
        family(
                out,
                "resource_scrape_error",
                "gauge",
                "[STABLE] 1 if there was an error while getting container metrics, 0 otherwise",
                List.of(error));
        family(
                out,
                "scrape_error",
                "gauge",
                "[ALPHA] (Deprecated since 1.29.0) 1 if there was an error while getting container metrics, 0"
                        + " otherwise",
                List.of(error));
        return out.toString();
    }

    private static void cpuSample(List<String> into, String labels, ResourceUsage usage) {
        OptionalLong nanos = usage.usageCoreNanoSeconds();
        if (nanos.isPresent()) {
            into.add(labels + " " + number(nanos.getAsLong() / NANOS) + " "
                    + usage.timestamp().toEpochMilli());
        }
    }

    private static void memorySample(List<String> into, String labels, ResourceUsage usage) {
        OptionalLong bytes = usage.workingSetBytes();
        if (bytes.isPresent()) {
            into.add(labels + " " + number(bytes.getAsLong()) + " "
                    + usage.timestamp().toEpochMilli());
        }
    }

    private static void family(StringBuilder out, String name, String type, String help, List<String> samples) {
        if (samples.isEmpty()) {
            return;
        }
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
        for (String sample : samples) {
            out.append(name).append(sample).append('\n');
        }
    }

    private static double seconds(Instant instant) {
        return instant.getEpochSecond() + instant.getNano() / NANOS;
    }

    /** A label value escaped as the text format requires: backslash, double quote and line feed. */
    static String escape(String value) {
        if (value == null) {
            return "";
        }
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    /**
     * Go's {@code strconv.FormatFloat(v, 'g', -1, 64)}: the shortest digits that read back as {@code v}, in
     * exponent form ("1.234567e+06") when the decimal exponent is below -4 or at least 6.
     */
    static String number(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        if (v == 0) {
            return "0";
        }
        // Java 19+ Double.toString gives the shortest repeatable digits, as Go's shortest formatting does
        BigDecimal d = new BigDecimal(Double.toString(Math.abs(v))).stripTrailingZeros();
        String digits = d.unscaledValue().toString();
        int exp = digits.length() - 1 - d.scale();
        String sign = v < 0 ? "-" : "";
        if (exp < -4 || exp >= 6) {
            String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
            String e = String.valueOf(Math.abs(exp));
            return sign + mantissa + "e" + (exp < 0 ? "-" : "+") + (e.length() < 2 ? "0" + e : e);
        }
        return sign + d.toPlainString();
    }
}
