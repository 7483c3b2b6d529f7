package dev.capstan.node.runtime;

import java.time.Instant;
import java.util.OptionalLong;

/**
 * CPU and memory of a container or a pod sandbox at {@code timestamp}, as CRI reports them: cumulative CPU time in
 * core-nanoseconds, the runtime's own average rate if it fills it (containerd 1.6 does), and the working set.
 */
public record ResourceUsage(
        Instant timestamp,
        OptionalLong usageCoreNanoSeconds,
        OptionalLong usageNanoCores,
        OptionalLong workingSetBytes) {

    /** Both usages added up (a pod's from its containers'); the later timestamp; a rate only if both have one. */
    public ResourceUsage plus(ResourceUsage other) {
        return new ResourceUsage(
                timestamp.isAfter(other.timestamp) ? timestamp : other.timestamp,
                sum(usageCoreNanoSeconds, other.usageCoreNanoSeconds),
                sum(usageNanoCores, other.usageNanoCores),
                sum(workingSetBytes, other.workingSetBytes));
    }

    private static OptionalLong sum(OptionalLong a, OptionalLong b) {
        return a.isPresent() && b.isPresent() ? OptionalLong.of(a.getAsLong() + b.getAsLong()) : OptionalLong.empty();
    }
}
