package dev.capstan.scheduler.framework;

import dev.capstan.model.labels.LabelSelector;
import dev.capstan.model.labels.Requirement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Indexes over a {@link Snapshot}'s pods, so that PreFilter and PreScore visit the few nodes that can hold matching
 * pods instead of every pod of the cluster:
 *
 * <ul>
 *   <li>by label pair: key → value → node → number of its pods carrying {@code key=value}; a selector with an
 *       equality (or {@code in}) requirement can only match pods on those nodes ({@link #candidateNodes});
 *   <li>by existing pods' (anti-)affinity term, per {@link TermKind}: term → node → number of its pods carrying the
 *       term, with the terms filed under the label pair their selector pins. Upstream keeps only the list of nodes
 *       with such pods; with a term per replica group that list is every pod, so the terms are indexed instead and
 *       the incoming pod meets only the terms filed under its own labels ({@link #termCandidates}).
 * </ul>
 *
 * The answers are supersets: callers still apply the exact predicate (namespace, the whole selector) to each pod of
 * a candidate node, so results equal a scan over all nodes. Nodes are the snapshot's NodeInfos (by identity; the
 * snapshot refreshes them in place). Maintained by {@link Snapshot} as the cache refreshes it; not thread-safe.
 */
public final class PodIndex {
    private final Map<String, Map<String, Map<NodeInfo, int[]>>> byLabel = new HashMap<>();
    private final Map<TermKind, TermIndex> terms = new EnumMap<>(TermKind.class);
    private final DomainCounts domainCounts = new DomainCounts();

    /** The kinds of existing pods' terms indexed: what they must match is always the incoming pod. */
    public enum TermKind {
        REQUIRED_ANTI_AFFINITY,
        REQUIRED_AFFINITY,
        PREFERRED_AFFINITY,
        PREFERRED_ANTI_AFFINITY;

        List<AffinityTerm> of(PodInfo pod) {
            return switch (this) {
                case REQUIRED_ANTI_AFFINITY -> pod.requiredAntiAffinityTerms();
                case REQUIRED_AFFINITY -> pod.requiredAffinityTerms();
                case PREFERRED_AFFINITY -> pod.preferredAffinityTerms();
                case PREFERRED_ANTI_AFFINITY -> pod.preferredAntiAffinityTerms();
            };
        }
    }

    public PodIndex() {
        for (TermKind k : TermKind.values()) {
            terms.put(k, new TermIndex());
        }
    }

    /**
     * The nodes that may hold pods the selector matches, or null when the selector pins no label (then any node may;
     * callers scan all). Empty for a selector that matches nothing. A live view: do not keep or mutate it.
     */
    public Collection<NodeInfo> candidateNodes(LabelSelector selector) {
        if (selector.matchesNothing()) {
            return List.of();
        }
        Collection<NodeInfo> best = null;
        int bestSize = Integer.MAX_VALUE;
        for (Requirement r : selector.requirements()) {
            if (!pinsValues(r)) {
                continue;
            }
            Map<String, Map<NodeInfo, int[]>> byValue = byLabel.getOrDefault(r.key(), Map.of());
            if (r.values().size() == 1) {
                Map<NodeInfo, int[]> nodes = byValue.get(r.values().get(0));
                if (nodes == null) {
                    return List.of();
                }
                if (nodes.size() < bestSize) {
                    best = nodes.keySet();
                    bestSize = nodes.size();
                }
                continue;
            }
            Set<NodeInfo> union = Collections.newSetFromMap(new IdentityHashMap<>());
            for (String v : r.values()) {
                union.addAll(byValue.getOrDefault(v, Map.of()).keySet());
            }
            if (union.size() < bestSize) {
                best = union;
                bestSize = union.size();
            }
        }
        return best;
    }

    /**
     * Existing pods' terms of the kind that may match the pod: those filed under one of its labels and those that pin
     * no label. Callers check each with {@link AffinityTerm#matches}.
     */
    public List<AffinityTerm> termCandidates(TermKind kind, PodInfo pod) {
        return terms.get(kind).candidates(pod);
    }

    /** The nodes whose pods carry the term (of the kind), with how many pods each. Do not mutate. */
    public Map<NodeInfo, int[]> nodesWithTerm(TermKind kind, AffinityTerm term) {
        return terms.get(kind).nodes.getOrDefault(term, Map.of());
    }

    /** The spread constraints' pod counts per domain, maintained with this index. */
    public DomainCounts domainCounts() {
        return domainCounts;
    }

    // ---- maintenance ----

    void addNode(NodeInfo node) {
        for (PodInfo p : node.pods()) {
            add(node, p, 1);
        }
    }

    void removeNode(NodeInfo node) {
        for (PodInfo p : node.pods()) {
            add(node, p, -1);
        }
    }

    /**
     * The node's pods changed from {@code oldPods} to its current pods. PodInfos are immutable and shared between the
     * cache and its snapshots, so an unchanged pod is the same object: only the difference is applied.
     */
    void update(NodeInfo node, List<PodInfo> oldPods) {
        Map<PodInfo, int[]> old = new IdentityHashMap<>(oldPods.size() * 2);
        for (PodInfo p : oldPods) {
            old.computeIfAbsent(p, x -> new int[1])[0]++;
        }
        for (PodInfo p : node.pods()) {
            int[] n = old.get(p);
            if (n != null && n[0] > 0) {
                n[0]--;
            } else {
                add(node, p, 1);
            }
        }
        old.forEach((p, n) -> {
            for (int i = 0; i < n[0]; i++) {
                add(node, p, -1);
            }
        });
    }

    private void add(NodeInfo node, PodInfo pod, int delta) {
        domainCounts.add(node, pod, delta);
        for (Map.Entry<String, String> label : pod.labels().entrySet()) {
            Map<String, Map<NodeInfo, int[]>> byValue = byLabel.computeIfAbsent(label.getKey(), k -> new HashMap<>());
            Map<NodeInfo, int[]> nodes = byValue.computeIfAbsent(label.getValue(), v -> new HashMap<>());
            if (count(nodes, node, delta) && nodes.isEmpty()) {
                byValue.remove(label.getValue());
                if (byValue.isEmpty()) {
                    byLabel.remove(label.getKey());
                }
            }
        }
        if (pod.hasAffinityConstraints()) {
            for (TermKind k : TermKind.values()) {
                for (AffinityTerm t : k.of(pod)) {
                    terms.get(k).add(node, t, delta);
                }
            }
        }
    }

    /** Adds delta to the node's count; true when the count reached zero and the node was dropped. */
    private static boolean count(Map<NodeInfo, int[]> nodes, NodeInfo node, int delta) {
        int[] n = nodes.computeIfAbsent(node, x -> new int[1]);
        n[0] += delta;
        if (n[0] <= 0) {
            nodes.remove(node);
            return true;
        }
        return false;
    }

    /** Existing pods' terms of one kind: term → node → pods carrying it, and the terms filed by pinned label. */
    private static final class TermIndex {
        final Map<AffinityTerm, Map<NodeInfo, int[]>> nodes = new HashMap<>();
        final Map<String, Map<String, Set<AffinityTerm>>> byLabel = new HashMap<>();
        final Set<AffinityTerm> unindexed = new HashSet<>();

        void add(NodeInfo node, AffinityTerm t, int delta) {
            Map<NodeInfo, int[]> n = nodes.get(t);
            if (n == null) {
                n = new HashMap<>();
                nodes.put(t, n);
                file(t, true);
            }
            if (count(n, node, delta) && n.isEmpty()) {
                nodes.remove(t);
                file(t, false);
            }
        }

        List<AffinityTerm> candidates(PodInfo pod) {
            if (nodes.isEmpty()) {
                return List.of();
            }
            List<AffinityTerm> out = new ArrayList<>(unindexed);
            for (Map.Entry<String, String> label : pod.labels().entrySet()) {
                Map<String, Set<AffinityTerm>> byValue = byLabel.get(label.getKey());
                Set<AffinityTerm> filed = byValue == null ? null : byValue.get(label.getValue());
                if (filed != null) {
                    out.addAll(filed);
                }
            }
            return out;
        }

        /** Files (or unfiles) the term under each value its first pinning requirement allows; others apart. */
        private void file(AffinityTerm t, boolean add) {
            if (t.selector().matchesNothing()) {
                return; // matches no pod: never a candidate
            }
            for (Requirement r : t.selector().requirements()) {
                if (pinsValues(r)) {
                    Map<String, Set<AffinityTerm>> byValue = byLabel.computeIfAbsent(r.key(), k -> new HashMap<>());
                    for (String v : r.values()) {
                        Set<AffinityTerm> filed = byValue.computeIfAbsent(v, x -> new HashSet<>());
                        if (add) {
                            filed.add(t);
                        } else {
                            filed.remove(t);
                            if (filed.isEmpty()) {
                                byValue.remove(v);
                            }
                        }
                    }
                    if (byValue.isEmpty()) {
                        byLabel.remove(r.key());
                    }
                    return;
                }
            }
            if (add) {
                unindexed.add(t);
            } else {
                unindexed.remove(t);
            }
        }

        void dump(StringBuilder out) {
            Map<String, Map<String, Integer>> counts = new TreeMap<>();
            nodes.forEach((t, ns) -> ns.forEach((n, c) ->
                    counts.computeIfAbsent(t.toString(), x -> new TreeMap<>()).put(n.name(), c[0])));
            Map<String, Map<String, List<String>>> filed = new TreeMap<>();
            byLabel.forEach((k, byValue) -> byValue.forEach((v, ts) -> filed.computeIfAbsent(k, x -> new TreeMap<>())
                    .put(v, ts.stream().map(AffinityTerm::toString).sorted().toList())));
            out.append(" terms=")
                    .append(counts)
                    .append(" filed=")
                    .append(filed)
                    .append(" unindexed=")
                    .append(unindexed.stream()
                            .map(AffinityTerm::toString)
                            .sorted()
                            .toList());
        }
    }

    private static boolean pinsValues(Requirement r) {
        return switch (r.operator()) {
            case EQUALS, DOUBLE_EQUALS, IN -> !r.values().isEmpty();
            default -> false;
        };
    }

    /**
     * The index's content with nodes by name, in sorted order: equal for equal indexes (tests compare an
     * incrementally maintained index with one built from scratch).
     */
    public String dump() {
        Map<String, Map<String, Map<String, Integer>>> labels = new TreeMap<>();
        byLabel.forEach((k, byValue) ->
                byValue.forEach((v, nodes) -> nodes.forEach((n, c) -> labels.computeIfAbsent(k, x -> new TreeMap<>())
                        .computeIfAbsent(v, x -> new TreeMap<>())
                        .put(n.name(), c[0]))));
        StringBuilder out = new StringBuilder("labels=").append(labels);
        for (TermKind k : TermKind.values()) {
            out.append('\n').append(k).append(':');
            terms.get(k).dump(out);
        }
        return out.toString();
    }
}
