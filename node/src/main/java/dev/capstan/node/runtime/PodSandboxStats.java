package dev.capstan.node.runtime;

import java.util.Map;

/** A ready sandbox's own usage (its pod cgroup, pause included) as CRI ListPodSandboxStats gives it. */
public record PodSandboxStats(String id, PodMetadata metadata, Map<String, String> labels, ResourceUsage usage) {

    public PodSandboxStats {
        labels = Map.copyOf(labels);
    }
}
