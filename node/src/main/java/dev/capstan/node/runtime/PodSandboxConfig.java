package dev.capstan.node.runtime;

import java.util.List;
import java.util.Map;

/**
 * What a pod's sandbox is made from. {@code logDirectory} is where its containers' {@code logPath}s are
 * resolved; {@code cgroupParent} is the pod's cgroup (empty: the runtime's default).
 */
public record PodSandboxConfig(
        PodMetadata metadata,
        String hostname,
        String logDirectory,
        DnsConfig dns,
        List<PortMapping> portMappings,
        Map<String, String> labels,
        Map<String, String> annotations,
        String cgroupParent) {

    public PodSandboxConfig {
        portMappings = List.copyOf(portMappings);
        labels = Map.copyOf(labels);
        annotations = Map.copyOf(annotations);
    }

    /** A sandbox with the pod's name as its hostname, no DNS settings, ports, labels or cgroup parent. */
    public static PodSandboxConfig of(PodMetadata metadata, String logDirectory) {
        return new PodSandboxConfig(metadata, metadata.name(), logDirectory, null, List.of(), Map.of(), Map.of(), "");
    }

    public PodSandboxConfig withLabels(Map<String, String> newLabels) {
        return new PodSandboxConfig(
                metadata, hostname, logDirectory, dns, portMappings, newLabels, annotations, cgroupParent);
    }

    public PodSandboxConfig withDns(DnsConfig newDns) {
        return new PodSandboxConfig(
                metadata, hostname, logDirectory, newDns, portMappings, labels, annotations, cgroupParent);
    }

    public PodSandboxConfig withPortMappings(List<PortMapping> newPortMappings) {
        return new PodSandboxConfig(
                metadata, hostname, logDirectory, dns, newPortMappings, labels, annotations, cgroupParent);
    }

    public PodSandboxConfig withCgroupParent(String newCgroupParent) {
        return new PodSandboxConfig(
                metadata, hostname, logDirectory, dns, portMappings, labels, annotations, newCgroupParent);
    }
}
