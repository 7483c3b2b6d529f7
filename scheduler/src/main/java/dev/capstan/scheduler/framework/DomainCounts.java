package dev.capstan.scheduler.framework;

import dev.capstan.model.labels.LabelSelector;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The number of pods a spread constraint counts per topology domain (upstream's countPodsMatchSelector summed by
 * domain), kept up to date as the snapshot's pods change, so that a PodTopologySpread PreFilter reads a few domains
 * instead of walking every node with matching pods each cycle (with 10,000 replicas over 5,000 nodes that walk was
 * 90 % of a scheduling cycle). Counted: pods in the namespace, not terminating, matched by the selector, on nodes that
 * carry every required topology key. Only for constraints whose node inclusion policies admit every node. Used by
 * Filter's and Score's halves of the plugin alike.
 *
 * <p>An entry is computed on first use from a scan and then adjusted by each pod added to or removed from a node;
 * a node's label change drops every entry (the domains moved). At most {@link #MAX_ENTRIES} selectors are followed:
 * when full, all are dropped, so label churn cannot grow it. Maintained by {@link PodIndex}; not thread-safe.
 */
public final class DomainCounts {
    static final int MAX_ENTRIES = 64;

    private record Key(String namespace, LabelSelector selector, String topologyKey, List<String> requiredKeys) {}

    private final Map<Key, Map<String, Integer>> entries = new HashMap<>();

    /**
     * The matching pods per domain of {@code topologyKey} (domains without any are absent). {@code candidates} are the
     * nodes to scan when the entry is not yet followed (every node that may hold a matching pod). Do not mutate.
     */
    public Map<String, Integer> counts(
            String namespace,
            LabelSelector selector,
            String topologyKey,
            List<String> requiredKeys,
            Supplier<Collection<NodeInfo>> candidates) {
        Key key = new Key(namespace, selector, topologyKey, List.copyOf(requiredKeys));
        Map<String, Integer> counts = entries.get(key);
        if (counts == null) {
            if (entries.size() >= MAX_ENTRIES) {
                entries.clear();
            }
            counts = new HashMap<>();
            for (NodeInfo node : candidates.get()) {
                for (PodInfo pod : node.pods()) {
                    adjust(key, counts, node, pod, 1);
                }
            }
            entries.put(key, counts);
        }
        return counts;
    }

    void add(NodeInfo node, PodInfo pod, int delta) {
        if (!entries.isEmpty()) {
            entries.forEach((key, counts) -> adjust(key, counts, node, pod, delta));
        }
    }

    /** A node's labels changed: its domain may have, so every entry is recomputed on next use. */
    void clear() {
        entries.clear();
    }

    private static void adjust(Key key, Map<String, Integer> counts, NodeInfo node, PodInfo pod, int delta) {
        if (pod.isTerminating()
                || !pod.namespace().equals(key.namespace())
                || !node.labels().keySet().containsAll(key.requiredKeys())
                || !key.selector().matches(pod.labels())) {
            return;
        }
        // a node without the key (allowed when no keys are required) is the domain "", as upstream's scoring has it
        String domain = node.labels().getOrDefault(key.topologyKey(), "");
        if (counts.merge(domain, delta, Integer::sum) <= 0) {
            counts.remove(domain);
        }
    }
}
