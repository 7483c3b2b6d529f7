package dev.capstan.node.runtime;

import java.util.Map;

/** A running container's usage as CRI ListContainerStats gives it, with the container's CRI name and labels. */
public record ContainerStats(String id, ContainerMetadata metadata, Map<String, String> labels, ResourceUsage usage) {

    public ContainerStats {
        labels = Map.copyOf(labels);
    }
}
