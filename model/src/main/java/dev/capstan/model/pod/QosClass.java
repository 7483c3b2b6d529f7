package dev.capstan.model.pod;

import com.fasterxml.jackson.databind.JsonNode;
import dev.capstan.model.quantity.Quantity;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A pod's quality-of-service class, as upstream's qos.ComputePodQOS derives it from the cpu and memory requests
 * and limits of its containers and init containers (quantities compared by amount, so "1" equals "1000m").
 */
public enum QosClass {
    GUARANTEED("Guaranteed"),
    BURSTABLE("Burstable"),
    BEST_EFFORT("BestEffort");

    private static final Set<String> QOS_RESOURCES = Set.of("cpu", "memory");

    private final String value;

    QosClass(String value) {
        this.value = value;
    }

    /** The v1.PodQOSClass string, as status.qosClass holds it. */
    public String value() {
        return value;
    }

    @Override
    public String toString() {
        return value;
    }

    public static Optional<QosClass> fromValue(String value) {
        return Stream.of(values()).filter(q -> q.value.equals(value)).findFirst();
    }

    /** Upstream's GetPodQOS: status.qosClass when set, else computed. */
    public static QosClass of(Pod pod) {
        if (pod.getStatus() != null) {
            Optional<QosClass> stated = fromValue(pod.getStatus().getQosClass());
            if (stated.isPresent()) {
                return stated.get();
            }
        }
        return compute(pod.getSpec());
    }

    /**
     * Upstream's ComputePodQOS (pod-level resources, alpha and off in 1.32, are not read). Only positive cpu and
     * memory amounts count; quantities that do not parse are ignored.
     */
    public static QosClass compute(PodSpec spec) {
        List<ContainerResources> all = Stream.concat(
                        PodResources.list(spec.getContainers()).stream(),
                        PodResources.list(spec.getInitContainers()).stream())
                .map(c -> new ContainerResources(PodResources.requestsOf(c), PodResources.limitsOf(c)))
                .toList();
        return compute(all);
    }

    /**
     * As {@link #compute(PodSpec)}, from a pod spec as JSON: what the API server has in hand when it creates a pod,
     * without decoding fabric8's PodSpec (whose deserializers cost the first pod half a second to build).
     */
    public static QosClass compute(JsonNode spec) {
        List<ContainerResources> all = new ArrayList<>();
        for (String list : List.of("containers", "initContainers")) {
            for (JsonNode container : spec.path(list)) {
                JsonNode resources = container.path("resources");
                all.add(new ContainerResources(
                        quantities(resources.path("requests")), quantities(resources.path("limits"))));
            }
        }
        return compute(all);
    }

    /** One container's requests and limits, parsed. */
    private record ContainerResources(Map<String, Quantity> requests, Map<String, Quantity> limits) {}

    private static QosClass compute(List<ContainerResources> all) {
        Map<String, Quantity> requests = new HashMap<>();
        Map<String, Quantity> limits = new HashMap<>();
        boolean guaranteed = true;
        for (ContainerResources c : all) {
            addPositive(c.requests(), requests);
            if (!addPositive(c.limits(), limits).containsAll(QOS_RESOURCES)) {
                guaranteed = false;
            }
        }
        if (requests.isEmpty() && limits.isEmpty()) {
            return BEST_EFFORT;
        }
        if (guaranteed) {
            for (Map.Entry<String, Quantity> e : requests.entrySet()) {
                Quantity limit = limits.get(e.getKey());
                if (limit == null || limit.compareTo(e.getValue()) != 0) {
                    guaranteed = false;
                    break;
                }
            }
        }
        return guaranteed && requests.size() == limits.size() ? GUARANTEED : BURSTABLE;
    }

    /** A resource list in JSON as quantities; as {@link ResourceLists#of}, what does not parse is left out. */
    private static Map<String, Quantity> quantities(JsonNode list) {
        Map<String, Quantity> out = new HashMap<>();
        list.properties().forEach(e -> {
            if (e.getValue().isTextual() || e.getValue().isNumber()) {
                Quantity.tryParse(e.getValue().asText().strip()).ifPresent(q -> out.put(e.getKey(), q));
            }
        });
        return out;
    }

    /** Adds the positive cpu and memory amounts into totals; returns the names it added. */
    private static Set<String> addPositive(Map<String, Quantity> list, Map<String, Quantity> totals) {
        Set<String> found = new HashSet<>();
        list.forEach((name, q) -> {
            if (QOS_RESOURCES.contains(name) && q.sign() > 0) {
                found.add(name);
                totals.merge(name, q, Quantity::add);
            }
        });
        return found;
    }
}
