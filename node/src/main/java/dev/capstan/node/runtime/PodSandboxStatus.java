package dev.capstan.node.runtime;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A sandbox's status: its state and its pod IP (empty when it has none, e.g. host network or stopped). */
public record PodSandboxStatus(
        String id,
        PodMetadata metadata,
        SandboxState state,
        Instant createdAt,
        String ip,
        List<String> additionalIps,
        Map<String, String> labels,
        Map<String, String> annotations) {

    public PodSandboxStatus {
        additionalIps = List.copyOf(additionalIps);
        labels = Map.copyOf(labels);
        annotations = Map.copyOf(annotations);
    }
}
