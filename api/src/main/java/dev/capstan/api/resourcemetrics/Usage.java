package dev.capstan.api.resourcemetrics;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Usage over the window between two samples, as metrics-server's resourceUsage computes it: CPU in nanocores (the
 * cumulative difference over the window, truncated), memory the last working set; the timestamp is the last
 * sample's. Absent when the samples go backwards (a restart the start time did not show, or a counter reset).
 */
public record Usage(long nanoCores, long memoryBytes, Instant timestamp, Duration window) {

    public static Optional<Usage> between(MetricsPoint last, MetricsPoint prev) {
        if (last.startTime() != null
                && prev.startTime() != null
                && last.startTime().isBefore(prev.startTime())) {
            return Optional.empty();
        }
        if (last.cumulativeCpuNanos() < prev.cumulativeCpuNanos()) {
            return Optional.empty();
        }
        Duration window = Duration.between(prev.timestamp(), last.timestamp());
        if (window.isNegative() || window.isZero()) {
            return Optional.empty();
        }
        double seconds = window.toNanos() / 1e9;
        long nanoCores = (long) ((last.cumulativeCpuNanos() - prev.cumulativeCpuNanos()) / seconds);
        return Optional.of(new Usage(nanoCores, last.memoryBytes(), last.timestamp(), window));
    }
}
