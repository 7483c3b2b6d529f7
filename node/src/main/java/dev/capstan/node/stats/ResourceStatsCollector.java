package dev.capstan.node.stats;

import dev.capstan.node.runtime.Container;
import dev.capstan.node.runtime.ContainerRuntime;
import dev.capstan.node.runtime.ContainerRuntimeException;
import dev.capstan.node.runtime.ContainerState;
import dev.capstan.node.runtime.ContainerStats;
import dev.capstan.node.runtime.PodSandboxStats;
import dev.capstan.node.runtime.ResourceUsage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Gathers a {@link ResourceSnapshot}: the node's usage, and the running containers of the pods this agent runs (the
 * runtime may hold others: they are left out). A pod's own usage comes from CRI ListPodSandboxStats when the runtime
 * implements it, otherwise from its containers' sum; after the first failure it is not asked again.
 */
public final class ResourceStatsCollector {
    private static final Logger LOG = Logger.getLogger(ResourceStatsCollector.class);
    // the labels the pod workers put on every container (ContainerSpecs), as the kubelet does
    static final String POD_NAME = "io.kubernetes.pod.name";
    static final String POD_NAMESPACE = "io.kubernetes.pod.namespace";
    static final String POD_UID = "io.kubernetes.pod.uid";

    /** Whether this agent runs the pod (its informer holds a pod of that namespace, name and UID). */
    @FunctionalInterface
    public interface Pods {
        boolean runs(String namespace, String name, String uid);
    }

    private final ContainerRuntime runtime;
    private final Pods pods;
    private final Supplier<ResourceUsage> node;
    private volatile boolean sandboxStats = true;

    public ResourceStatsCollector(ContainerRuntime runtime, Pods pods, Supplier<ResourceUsage> node) {
        this.runtime = runtime;
        this.pods = pods;
        this.node = node;
    }

    /** Blocks on CRI calls: call it from a virtual thread. */
    public ResourceSnapshot collect() {
        try {
            return gather();
        } catch (ContainerRuntimeException | java.io.UncheckedIOException e) {
            LOG.warnf("cannot gather resource metrics: %s", e.getMessage());
            return ResourceSnapshot.failed();
        }
    }

    private ResourceSnapshot gather() {
        Map<String, Container> running = new HashMap<>();
        for (Container container : runtime.listContainers(null, Map.of())) {
            if (container.state() == ContainerState.RUNNING) {
                running.put(container.id(), container);
            }
        }
        Map<String, ResourceUsage> sandboxUsage = sandboxUsage();
        Map<String, List<ResourceSnapshot.Container>> byPod = new LinkedHashMap<>();
        Map<String, String> sandboxOf = new HashMap<>();
        for (ContainerStats stats : runtime.listContainerStats()) {
            Container container = running.get(stats.id());
            Map<String, String> labels = stats.labels();
            if (container == null || !pods.runs(labels.get(POD_NAMESPACE), labels.get(POD_NAME), labels.get(POD_UID))) {
                continue;
            }
            String key = labels.get(POD_NAMESPACE) + "/" + labels.get(POD_NAME);
            byPod.computeIfAbsent(key, k -> new ArrayList<>())
                    .add(new ResourceSnapshot.Container(stats.metadata().name(), container.createdAt(), stats.usage()));
            sandboxOf.put(key, container.podSandboxId());
        }
        List<ResourceSnapshot.Pod> result = new ArrayList<>();
        byPod.forEach((key, containers) -> {
            containers.sort(Comparator.comparing(ResourceSnapshot.Container::name));
            ResourceUsage usage = sandboxUsage.get(sandboxOf.get(key));
            if (usage == null) {
                usage = containers.stream()
                        .map(ResourceSnapshot.Container::usage)
                        .reduce(ResourceUsage::plus)
                        .orElseThrow();
            }
            int slash = key.indexOf('/');
            result.add(new ResourceSnapshot.Pod(key.substring(0, slash), key.substring(slash + 1), usage, containers));
        });
        return new ResourceSnapshot(node.get(), result, false);
    }

    private Map<String, ResourceUsage> sandboxUsage() {
        if (!sandboxStats) {
            return Map.of();
        }
        try {
            Map<String, ResourceUsage> usage = new HashMap<>();
            for (PodSandboxStats stats : runtime.listPodSandboxStats()) {
                // an unset CPU or memory value (no cgroup yet) would hide the containers' sum: skip it
                if (stats.usage().usageCoreNanoSeconds().isPresent()
                        && stats.usage().workingSetBytes().isPresent()) {
                    usage.put(stats.id(), stats.usage());
                }
            }
            return usage;
        } catch (ContainerRuntimeException e) {
            if (e.reason() == ContainerRuntimeException.Reason.FAILED) {
                LOG.infof("pod usage from the containers' sum: %s", e.getMessage());
                sandboxStats = false;
                return Map.of();
            }
            throw e;
        }
    }
}
