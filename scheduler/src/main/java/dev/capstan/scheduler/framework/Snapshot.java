package dev.capstan.scheduler.framework;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Upstream's cache.Snapshot: the NodeInfos one scheduling cycle works on, in a stable order (zones interleaved, as
 * upstream's node tree lists them), a {@link PodIndex} of the pods by label and by (anti-)affinity term, so that
 * PodTopologySpread and InterPodAffinity visit only the nodes that can matter, and (derived on demand) the lists of
 * nodes that have pods with affinity and with required anti-affinity. Owned by the scheduling thread; the cache refreshes it in
 * place between cycles ({@code SchedulerCache.updateSnapshot}), copying only the NodeInfos that changed.
 */
public final class Snapshot {
    private final Map<String, NodeInfo> nodeInfoMap = new HashMap<>();
    private List<NodeInfo> nodeInfoList = List.of();
    private List<NodeInfo> havePodsWithAffinity = List.of();
    private List<NodeInfo> havePodsWithRequiredAntiAffinity = List.of();
    private final PodIndex podIndex = new PodIndex();
    private final Map<List<String>, Set<String>> topologyValues = new HashMap<>();
    private long generation;
    private boolean affinityListsStale;

    /** A snapshot of the given NodeInfos in that order (tests, tools); they must not change afterwards. */
    public static Snapshot of(List<NodeInfo> nodes) {
        Snapshot s = new Snapshot();
        List<String> order = new ArrayList<>();
        for (NodeInfo n : nodes) {
            s.put(n);
            order.add(n.name());
        }
        s.rebuildLists(order);
        return s;
    }

    public List<NodeInfo> list() {
        return nodeInfoList;
    }

    public NodeInfo get(String nodeName) {
        return nodeInfoMap.get(nodeName);
    }

    public int numNodes() {
        return nodeInfoList.size();
    }

    /** The listed nodes with pods that have any (anti-)affinity term; derived on first use after a change. */
    public List<NodeInfo> havePodsWithAffinity() {
        deriveAffinityLists();
        return havePodsWithAffinity;
    }

    /** The listed nodes with pods that have required anti-affinity terms; derived on first use after a change. */
    public List<NodeInfo> havePodsWithRequiredAntiAffinity() {
        deriveAffinityLists();
        return havePodsWithRequiredAntiAffinity;
    }

    /** The label and anti-affinity-term indexes over this snapshot's pods. */
    public PodIndex podIndex() {
        return podIndex;
    }

    /**
     * The values of {@code key} on the listed nodes that carry every one of {@code requiredKeys}: the topology domains
     * of a spread constraint before node inclusion policies. Cached until a node comes, goes or changes labels, so a
     * spread PreFilter need not read 5,000 nodes' labels each cycle. Do not mutate.
     */
    public Set<String> topologyValues(String key, List<String> requiredKeys) {
        List<String> cacheKey = new ArrayList<>(requiredKeys.size() + 1);
        cacheKey.add(key);
        cacheKey.addAll(requiredKeys);
        Set<String> values = topologyValues.get(cacheKey);
        if (values == null) {
            values = new HashSet<>();
            for (NodeInfo n : nodeInfoList) {
                if (n.labels().keySet().containsAll(requiredKeys)) {
                    values.add(n.labels().get(key));
                }
            }
            topologyValues.put(cacheKey, values);
        }
        return values;
    }

    /** The cache generation this snapshot reflects. */
    public long generation() {
        return generation;
    }

    // ---- maintained by the cache ----

    public void generation(long g) {
        this.generation = g;
    }

    /** The number of NodeInfos held (listed or not yet listed). */
    public int size() {
        return nodeInfoMap.size();
    }

    /** Adds a NodeInfo the snapshot did not hold (then call {@link #rebuildLists}). */
    public void put(NodeInfo info) {
        NodeInfo previous = nodeInfoMap.put(info.name(), info);
        if (previous != null) {
            podIndex.removeNode(previous);
        }
        podIndex.addNode(info);
    }

    /** Makes the held NodeInfo a copy of {@code source} in place, updating the indexes by the pods that changed. */
    public void refresh(NodeInfo existing, NodeInfo source) {
        List<PodInfo> oldPods = existing.pods();
        if (!existing.labels().equals(source.labels())) {
            topologyValues.clear();
            podIndex.domainCounts().clear();
        }
        existing.assign(source);
        podIndex.update(existing, oldPods);
    }

    /** Drops the NodeInfos whose names the predicate accepts (then call {@link #rebuildLists}). */
    public void removeIf(java.util.function.Predicate<String> drop) {
        nodeInfoMap.values().removeIf(n -> {
            if (drop.test(n.name())) {
                podIndex.removeNode(n);
                return true;
            }
            return false;
        });
    }

    /** Re-derives the node list (in {@code order}, skipping names without a NodeInfo) and the affinity lists. */
    public void rebuildLists(List<String> order) {
        List<NodeInfo> all = new ArrayList<>(order.size());
        for (String name : order) {
            NodeInfo n = nodeInfoMap.get(name);
            if (n != null) {
                all.add(n);
            }
        }
        this.nodeInfoList = all;
        topologyValues.clear();
        rebuildAffinityLists();
    }

    /**
     * Marks the affinity lists for re-derivation, after NodeInfos were replaced but no node was added or removed.
     * Lazily: the plugins find such pods through the {@link PodIndex}, so the 5,000-node walk is paid only by callers
     * of the lists.
     */
    public void rebuildAffinityLists() {
        affinityListsStale = true;
    }

    private void deriveAffinityLists() {
        if (!affinityListsStale) {
            return;
        }
        affinityListsStale = false;
        List<NodeInfo> affinity = new ArrayList<>(havePodsWithAffinity.size() + 16);
        List<NodeInfo> antiAffinity = new ArrayList<>(havePodsWithRequiredAntiAffinity.size() + 16);
        for (NodeInfo n : nodeInfoList) {
            if (!n.podsWithAffinity().isEmpty()) {
                affinity.add(n);
            }
            if (!n.podsWithRequiredAntiAffinity().isEmpty()) {
                antiAffinity.add(n);
            }
        }
        this.havePodsWithAffinity = affinity;
        this.havePodsWithRequiredAntiAffinity = antiAffinity;
    }
}
