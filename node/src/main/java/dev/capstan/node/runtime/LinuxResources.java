package dev.capstan.node.runtime;

/**
 * The cgroup limits of a container, as kubelet derives them from requests and limits. Zero means "not set"
 * (CRI's convention): no quota, the runtime's default shares, no memory limit.
 */
public record LinuxResources(long cpuPeriodMicros, long cpuQuotaMicros, long cpuShares, long memoryLimitBytes) {

    public static final LinuxResources NONE = new LinuxResources(0, 0, 0, 0);

    public static LinuxResources memoryLimit(long bytes) {
        return new LinuxResources(0, 0, 0, bytes);
    }
}
