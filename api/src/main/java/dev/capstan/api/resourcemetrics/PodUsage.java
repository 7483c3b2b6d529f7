package dev.capstan.api.resourcemetrics;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** A pod's containers' usage over the window that ends at {@code timestamp}. */
public record PodUsage(Instant timestamp, Duration window, List<Container> containers) {

    public PodUsage {
        containers = List.copyOf(containers);
    }

    public record Container(String name, Usage usage) {}
}
