package dev.capstan.model.pod;

import dev.capstan.model.quantity.Quantity;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * A pod's effective resource requests and limits as component-helpers' resource.PodRequests and PodLimits compute
 * them in 1.32 (pod-level resources, an alpha feature off by default, are not read):
 *
 * <ul>
 *   <li>regular containers are summed;
 *   <li>restartable init containers (sidecars, restartPolicy Always) run beside them, so they are summed too;
 *   <li>a regular init container runs alone, next to the sidecars started before it: the pod needs the largest of
 *       those moments, so the result is raised to their maximum per resource;
 *   <li>the pod overhead is added to requests, and to the limits that are set.
 * </ul>
 */
public final class PodResources {
    /** The scheduler's DefaultMilliCPURequest for a container without a cpu request. */
    public static final Quantity DEFAULT_CPU_REQUEST = Quantity.ofMilli(100, Quantity.Format.DECIMAL_SI);
    /** The scheduler's DefaultMemoryRequest (200Mi) for a container without a memory request. */
    public static final Quantity DEFAULT_MEMORY_REQUEST = Quantity.of(200L * 1024 * 1024, Quantity.Format.BINARY_SI);

    private static final Map<String, Quantity> NON_ZERO_DEFAULTS =
            Map.of("cpu", DEFAULT_CPU_REQUEST, "memory", DEFAULT_MEMORY_REQUEST);

    private PodResources() {}

    public static Map<String, Quantity> requests(Pod pod) {
        return requests(pod.getSpec());
    }

    /** Upstream's PodRequests with default options: container and init container requests, plus overhead. */
    public static Map<String, Quantity> requests(PodSpec spec) {
        Map<String, Quantity> total = aggregate(spec, PodResources::requestsOf, Map.of());
        ResourceLists.add(total, ResourceLists.of(spec.getOverhead()));
        return total;
    }

    public static Map<String, Quantity> nonZeroRequests(Pod pod) {
        return nonZeroRequests(pod.getSpec());
    }

    /**
     * The scheduler's non-zero requests: like {@link #requests} but a container that states no cpu (memory)
     * request counts as 100m cpu (200Mi memory), so best-effort pods still spread. An explicit "0" stays 0.
     */
    public static Map<String, Quantity> nonZeroRequests(PodSpec spec) {
        Map<String, Quantity> total = aggregate(spec, PodResources::requestsOf, NON_ZERO_DEFAULTS);
        ResourceLists.add(total, ResourceLists.of(spec.getOverhead()));
        return total;
    }

    public static Map<String, Quantity> limits(Pod pod) {
        return limits(pod.getSpec());
    }

    /** Upstream's PodLimits: the overhead is added only to the limits that are set. */
    public static Map<String, Quantity> limits(PodSpec spec) {
        Map<String, Quantity> total = aggregate(spec, PodResources::limitsOf, Map.of());
        ResourceLists.of(spec.getOverhead()).forEach((name, q) -> total.computeIfPresent(name, (n, v) -> v.add(q)));
        return total;
    }

    /** Upstream's AggregateContainerRequests / AggregateContainerLimits. */
    private static Map<String, Quantity> aggregate(
            PodSpec spec, Function<Container, Map<String, Quantity>> resources, Map<String, Quantity> nonMissing) {
        Map<String, Quantity> total = new TreeMap<>();
        for (Container c : list(spec.getContainers())) {
            ResourceLists.add(total, withDefaults(resources.apply(c), nonMissing));
        }
        Map<String, Quantity> sidecars = new TreeMap<>();
        Map<String, Quantity> initPeak = new TreeMap<>();
        for (Container c : list(spec.getInitContainers())) {
            Map<String, Quantity> own = withDefaults(resources.apply(c), nonMissing);
            Map<String, Quantity> whileRunning = new TreeMap<>(own);
            if (Sidecars.isSidecar(c)) {
                ResourceLists.add(total, own);
                ResourceLists.add(sidecars, own);
                whileRunning = new TreeMap<>(sidecars);
            } else {
                ResourceLists.add(whileRunning, sidecars);
            }
            ResourceLists.max(initPeak, whileRunning);
        }
        ResourceLists.max(total, initPeak);
        return total;
    }

    /** Upstream's applyNonMissing: defaults for the resources the container does not name. */
    private static Map<String, Quantity> withDefaults(Map<String, Quantity> own, Map<String, Quantity> nonMissing) {
        if (nonMissing.isEmpty()) {
            return own;
        }
        Map<String, Quantity> out = new TreeMap<>(own);
        nonMissing.forEach(out::putIfAbsent);
        return out;
    }

    static Map<String, Quantity> requestsOf(Container c) {
        ResourceRequirements r = c.getResources();
        return r == null ? Map.of() : ResourceLists.of(r.getRequests());
    }

    static Map<String, Quantity> limitsOf(Container c) {
        ResourceRequirements r = c.getResources();
        return r == null ? Map.of() : ResourceLists.of(r.getLimits());
    }

    static <T> List<T> list(List<T> list) {
        return list == null ? List.of() : list;
    }
}
