package dev.capstan.node.runtime;

import java.time.Instant;
import java.util.Map;

/**
 * A container's status. The times are null until they happened; {@code exitCode} and {@code reason}
 * (e.g. {@code OOMKilled}, {@code Completed}, {@code Error}) mean something once the state is EXITED.
 */
public record ContainerStatus(
        String id,
        ContainerMetadata metadata,
        ContainerState state,
        Times times,
        int exitCode,
        String reason,
        String message,
        String image,
        String imageRef,
        String logPath,
        Map<String, String> labels,
        Map<String, String> annotations) {

    /** When the container was created, started and finished; null for what has not happened yet. */
    public record Times(Instant createdAt, Instant startedAt, Instant finishedAt) {}

    public ContainerStatus {
        labels = Map.copyOf(labels);
        annotations = Map.copyOf(annotations);
    }

    public Instant startedAt() {
        return times.startedAt();
    }

    public Instant finishedAt() {
        return times.finishedAt();
    }
}
