package dev.capstan.scheduler.framework;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Upstream's cache.Snapshot: the NodeInfos one scheduling cycle works on, in a stable order (zones interleaved, as
 * upstream's node tree lists them), plus the lists of nodes that have pods with affinity and with required
 * anti-affinity, so InterPodAffinity visits only those. Owned by the scheduling thread; the cache refreshes it in
 * place between cycles ({@code SchedulerCache.updateSnapshot}), copying only the NodeInfos that changed.
 */
public final class Snapshot {
    private final Map<String, NodeInfo> nodeInfoMap = new HashMap<>();
    private List<NodeInfo> nodeInfoList = List.of();
    private List<NodeInfo> havePodsWithAffinity = List.of();
    private List<NodeInfo> havePodsWithRequiredAntiAffinity = List.of();
    private long generation;

    /** A snapshot of the given NodeInfos in that order (tests, tools). */
    public static Snapshot of(List<NodeInfo> nodes) {
        Snapshot s = new Snapshot();
        List<String> order = new ArrayList<>();
        for (NodeInfo n : nodes) {
            s.nodeInfoMap.put(n.name(), n);
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

    public List<NodeInfo> havePodsWithAffinity() {
        return havePodsWithAffinity;
    }

    public List<NodeInfo> havePodsWithRequiredAntiAffinity() {
        return havePodsWithRequiredAntiAffinity;
    }

    /** The cache generation this snapshot reflects. */
    public long generation() {
        return generation;
    }

    // ---- maintained by the cache ----

    public void generation(long g) {
        this.generation = g;
    }

    /** The mutable name → NodeInfo map; the cache replaces entries and then calls {@link #rebuildLists}. */
    public Map<String, NodeInfo> nodeInfoMap() {
        return nodeInfoMap;
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
        rebuildAffinityLists();
    }

    /** Re-derives only the affinity lists, after NodeInfos were replaced but no node was added or removed. */
    public void rebuildAffinityLists() {
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
