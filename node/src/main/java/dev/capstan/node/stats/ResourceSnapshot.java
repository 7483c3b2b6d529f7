package dev.capstan.node.stats;

import dev.capstan.node.runtime.ResourceUsage;
import java.time.Instant;
import java.util.List;

/**
 * One scrape's worth of usage: the node's, and each pod's with its containers'. {@code error} is set when the
 * runtime could not be asked; the scrape then carries nothing else, as the kubelet's collector does.
 */
public record ResourceSnapshot(ResourceUsage node, List<Pod> pods, boolean error) {

    public ResourceSnapshot {
        pods = List.copyOf(pods);
    }

    public static ResourceSnapshot failed() {
        return new ResourceSnapshot(null, List.of(), true);
    }

    /** @param usage the pod's own (its sandbox's cgroup) or the sum of its containers' */
    public record Pod(String namespace, String name, ResourceUsage usage, List<Container> containers) {
        public Pod {
            containers = List.copyOf(containers);
        }
    }

    /** @param startTime when the container was created, as the kubelet's CRI stats provider reports it */
    public record Container(String name, Instant startTime, ResourceUsage usage) {}
}
