package dev.capstan.api.resourcemetrics;

import java.time.Instant;

/**
 * One sample of a node or container as metrics-server keeps it: cumulative CPU in core-nanoseconds and the working
 * set, at {@code timestamp}; {@code startTime} (containers only, else null) tells a restart from a counter.
 */
public record MetricsPoint(Instant startTime, Instant timestamp, long cumulativeCpuNanos, long memoryBytes) {

    MetricsPoint withCpu(long nanos, Instant at) {
        return new MetricsPoint(startTime, at, nanos, memoryBytes);
    }

    MetricsPoint withMemory(long bytes, Instant at) {
        return new MetricsPoint(startTime, at, cumulativeCpuNanos, bytes);
    }

    MetricsPoint withStartTime(Instant start) {
        return new MetricsPoint(start, timestamp, cumulativeCpuNanos, memoryBytes);
    }

    static MetricsPoint empty() {
        return new MetricsPoint(null, null, 0, 0);
    }
}
