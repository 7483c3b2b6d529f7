package dev.capstan.scheduler.plugins.interpodaffinity;

import java.util.HashMap;
import java.util.Map;

/**
 * Upstream's topologyToMatchedTermCount: counts by (topology key, value), nested so lookups for a node's label need
 * no pair object. Entries that reach 0 are removed, so {@link #isEmpty()} means "nothing counted".
 */
final class TopologyCounts {
    private final Map<String, Map<String, Long>> counts;

    TopologyCounts() {
        this.counts = new HashMap<>();
    }

    private TopologyCounts(Map<String, Map<String, Long>> counts) {
        this.counts = counts;
    }

    /** Adds delta to the node's domain for the key; nothing when the node lacks the label. */
    void update(Map<String, String> nodeLabels, String key, long delta) {
        String value = nodeLabels.get(key);
        if (value == null) {
            return;
        }
        Map<String, Long> byValue = counts.computeIfAbsent(key, k -> new HashMap<>());
        long n = byValue.getOrDefault(value, 0L) + delta;
        if (n == 0) {
            byValue.remove(value);
            if (byValue.isEmpty()) {
                counts.remove(key);
            }
        } else {
            byValue.put(value, n);
        }
    }

    long get(String key, String value) {
        Map<String, Long> byValue = counts.get(key);
        if (byValue == null) {
            return 0;
        }
        Long n = byValue.get(value);
        return n == null ? 0 : n;
    }

    boolean isEmpty() {
        return counts.isEmpty();
    }

    /** Whether some label of the node names a domain with a positive count. */
    boolean anyPositive(Map<String, String> nodeLabels) {
        for (Map.Entry<String, Map<String, Long>> e : counts.entrySet()) {
            String value = nodeLabels.get(e.getKey());
            if (value != null) {
                Long n = e.getValue().get(value);
                if (n != null && n > 0) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The sum over the node's domains (scoring). */
    long sumFor(Map<String, String> nodeLabels) {
        long sum = 0;
        for (Map.Entry<String, Map<String, Long>> e : counts.entrySet()) {
            String value = nodeLabels.get(e.getKey());
            if (value != null) {
                sum += e.getValue().getOrDefault(value, 0L);
            }
        }
        return sum;
    }

    TopologyCounts copy() {
        Map<String, Map<String, Long>> c = new HashMap<>();
        counts.forEach((k, v) -> c.put(k, new HashMap<>(v)));
        return new TopologyCounts(c);
    }
}
