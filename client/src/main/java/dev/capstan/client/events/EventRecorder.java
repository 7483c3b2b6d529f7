package dev.capstan.client.events;

import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * Records Events about objects as upstream's record.EventRecorder does: {@code type} is "Normal" or "Warning",
 * {@code reason} a short UpperCamelCase word (SuccessfulCreate, FailedScheduling), {@code message} what a human
 * reads in {@code kubectl describe}. Never blocks the caller and never fails it: events are best effort.
 */
public interface EventRecorder {
    String NORMAL = "Normal";
    String WARNING = "Warning";

    /** A recorder that drops everything. */
    EventRecorder NONE = (regarding, type, reason, message) -> {};

    void event(HasMetadata regarding, String type, String reason, String message);

    default void eventf(HasMetadata regarding, String type, String reason, String format, Object... args) {
        event(regarding, type, reason, String.format(format, args));
    }
}
