package dev.capstan.node.runtime;

import java.time.Instant;
import java.util.Map;

/** A sandbox as ListPodSandbox shows it. */
public record PodSandbox(
        String id,
        PodMetadata metadata,
        SandboxState state,
        Instant createdAt,
        Map<String, String> labels,
        Map<String, String> annotations) {

    public PodSandbox {
        labels = Map.copyOf(labels);
        annotations = Map.copyOf(annotations);
    }
}
