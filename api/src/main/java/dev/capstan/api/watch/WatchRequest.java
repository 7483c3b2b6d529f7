package dev.capstan.api.watch;

import dev.capstan.api.registry.ResourceType;
import dev.capstan.api.resources.ListOptions;
import java.time.Duration;

/** One watch as the client asked for it. */
public record WatchRequest(
        ResourceType type,
        String namespace,
        ListOptions options,
        boolean bookmarks,
        boolean sendInitialEvents,
        Duration timeout) {}
