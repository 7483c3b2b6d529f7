package dev.capstan.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/** The pod QoS class as upstream's qos.ComputePodQOS derives it from cpu and memory requests and limits. */
public final class PodQos {
    private PodQos() {}

    private static final Set<String> QOS_RESOURCES = Set.of("cpu", "memory");

    public static String of(JsonNode spec) {
        Map<String, BigDecimal> requests = new HashMap<>();
        Map<String, BigDecimal> limits = new HashMap<>();
        boolean guaranteed = true;
        List<JsonNode> all = Stream.concat(
                        Json.items(spec, "containers").stream(), Json.items(spec, "initContainers").stream())
                .toList();
        for (JsonNode ctr : all) {
            JsonNode res = Json.obj(ctr, "resources");
            sum(Json.obj(res, "requests"), requests);
            Set<String> found = sum(Json.obj(res, "limits"), limits);
            if (!found.containsAll(QOS_RESOURCES)) {
                guaranteed = false;
            }
        }
        if (requests.isEmpty() && limits.isEmpty()) {
            return "BestEffort";
        }
        if (guaranteed) {
            for (Map.Entry<String, BigDecimal> e : requests.entrySet()) {
                BigDecimal lim = limits.get(e.getKey());
                if (lim == null || lim.compareTo(e.getValue()) != 0) {
                    guaranteed = false;
                    break;
                }
            }
        }
        return guaranteed && requests.size() == limits.size() ? "Guaranteed" : "Burstable";
    }

    /** Adds the positive cpu and memory amounts into totals; returns the names that were added. */
    private static Set<String> sum(JsonNode list, Map<String, BigDecimal> totals) {
        Set<String> found = new HashSet<>();
        for (Map.Entry<String, String> e : Json.entries(list)) {
            if (!QOS_RESOURCES.contains(e.getKey())) {
                continue;
            }
            BigDecimal v;
            try {
                v = Quantity.parse(e.getValue()).value();
            } catch (IllegalArgumentException ex) {
                continue;
            }
            if (v.signum() > 0) {
                found.add(e.getKey());
                totals.merge(e.getKey(), v, BigDecimal::add);
            }
        }
        return found;
    }
}
