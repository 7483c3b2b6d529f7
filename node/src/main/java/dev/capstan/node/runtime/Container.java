package dev.capstan.node.runtime;

import java.time.Instant;
import java.util.Map;

/** A container as ListContainers shows it; {@code imageRef} is the image ID it was created from. */
public record Container(
        String id,
        String podSandboxId,
        ContainerMetadata metadata,
        ContainerState state,
        String image,
        String imageRef,
        Instant createdAt,
        Map<String, String> labels,
        Map<String, String> annotations) {

    public Container {
        labels = Map.copyOf(labels);
        annotations = Map.copyOf(annotations);
    }
}
