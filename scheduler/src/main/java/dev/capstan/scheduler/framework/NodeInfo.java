package dev.capstan.scheduler.framework;

import dev.capstan.model.pod.ResourceLists;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Taint;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Upstream's framework.NodeInfo: a node with the pods assigned (or assumed) to it and the running totals the filters
 * need: requested and non-zero requested resources as longs, host ports in use, image states, and the pods that carry
 * (anti-)affinity. The cache owns the live NodeInfos; snapshots hold {@link #copy()}s. {@link #generation()} changes
 * on every mutation so the snapshot copies only what changed.
 */
public final class NodeInfo {
    private static final Interner<String> LABEL_STRINGS = new Interner<>(100_000);
    private Node node;
    private String name = "";
    private Map<String, String> labels = Map.of();
    private List<Taint> taints = List.of();
    private boolean unschedulable;
    private Resources allocatable = new Resources();
    private Resources requested;
    private long nonZeroMilliCpu;
    private long nonZeroMemory;
    private List<PodInfo> pods;
    private List<PodInfo> podsWithAffinity;
    private List<PodInfo> podsWithRequiredAntiAffinity;
    private HostPortInfo usedPorts;
    private Map<String, ImageState> imageStates = Map.of();
    private long generation;

    public NodeInfo() {
        this.requested = new Resources();
        this.pods = new ArrayList<>();
        this.podsWithAffinity = new ArrayList<>();
        this.podsWithRequiredAntiAffinity = new ArrayList<>();
        this.usedPorts = new HostPortInfo();
    }

    private NodeInfo(NodeInfo o) {
        assign(o);
    }

    /**
     * Makes this NodeInfo a copy of {@code o}, keeping its identity: the snapshot refreshes its NodeInfos this way so
     * the ordered node list never needs rebuilding for a changed node (upstream's {@code *existing = *clone}).
     */
    public void assign(NodeInfo o) {
        this.node = o.node;
        this.name = o.name;
        this.labels = o.labels;
        this.taints = o.taints;
        this.unschedulable = o.unschedulable;
        this.allocatable = o.allocatable;
        this.requested = o.requested.copy();
        this.nonZeroMilliCpu = o.nonZeroMilliCpu;
        this.nonZeroMemory = o.nonZeroMemory;
        this.pods = new ArrayList<>(o.pods);
        this.podsWithAffinity = new ArrayList<>(o.podsWithAffinity);
        this.podsWithRequiredAntiAffinity = new ArrayList<>(o.podsWithRequiredAntiAffinity);
        this.usedPorts = o.usedPorts.copy();
        this.imageStates = o.imageStates;
        this.generation = o.generation;
    }

    /** A NodeInfo for {@code node} with the given pods; for tests and what-if evaluations. */
    public static NodeInfo of(Node node, PodInfo... pods) {
        NodeInfo n = new NodeInfo();
        n.setNode(node);
        for (PodInfo p : pods) {
            n.addPod(p);
        }
        return n;
    }

    /** A NodeInfo without a node object: pods of a node the cache has not seen yet (or has seen deleted). */
    public static NodeInfo named(String name) {
        NodeInfo n = new NodeInfo();
        n.name = name;
        return n;
    }

    /** Upstream's RemoveNode: the node is gone while pods still reference it; the name and pods stay. */
    public void clearNode() {
        this.node = null;
        this.labels = Map.of();
        this.taints = List.of();
        this.unschedulable = false;
        this.allocatable = new Resources();
    }

    /** Sets the node object; allocatable is parsed here, once per node update. */
    public void setNode(Node node) {
        this.node = node;
        this.name = node.getMetadata() == null || node.getMetadata().getName() == null
                ? ""
                : node.getMetadata().getName();
        Map<String, String> l =
                node.getMetadata() == null ? null : node.getMetadata().getLabels();
        this.labels = internLabels(l);
        this.taints = node.getSpec() == null || node.getSpec().getTaints() == null
                ? List.of()
                : node.getSpec().getTaints();
        this.unschedulable =
                node.getSpec() != null && Boolean.TRUE.equals(node.getSpec().getUnschedulable());
        this.allocatable = Resources.of(ResourceLists.of(
                node.getStatus() == null ? null : node.getStatus().getAllocatable()));
    }

    /**
     * The node's labels as a compact immutable map whose keys and values are shared between nodes: Filter reads a
     * topology label of hundreds of nodes per cycle, and with shared strings (a handful of keys, zones and regions)
     * those reads stay in the CPU cache instead of comparing each node's own copies.
     */
    private static Map<String, String> internLabels(Map<String, String> labels) {
        if (labels == null || labels.isEmpty()) {
            return Map.of();
        }
        Map<String, String> shared = new java.util.HashMap<>(labels.size() * 2);
        labels.forEach((k, v) -> shared.put(LABEL_STRINGS.intern(k), LABEL_STRINGS.intern(v == null ? "" : v)));
        return Map.copyOf(shared);
    }

    /**
     * The instance of {@code key} that nodes' labels share: a plugin that looks up a topology key in every node checked
     * holds this one, so each lookup's comparison succeeds on identity instead of comparing the characters.
     */
    public static String sharedLabelKey(String key) {
        return key == null ? null : LABEL_STRINGS.intern(key);
    }

    /** The node, or null for a NodeInfo that only holds pods of a node the cache has not seen yet. */
    public Node node() {
        return node;
    }

    public String name() {
        return name;
    }

    public Map<String, String> labels() {
        return labels;
    }

    public List<Taint> taints() {
        return taints;
    }

    public boolean unschedulable() {
        return unschedulable;
    }

    /** Do not mutate. */
    public Resources allocatable() {
        return allocatable;
    }

    /** The sum of the pods' requests. Do not mutate. */
    public Resources requested() {
        return requested;
    }

    public long nonZeroRequestedMilliCpu() {
        return nonZeroMilliCpu;
    }

    public long nonZeroRequestedMemory() {
        return nonZeroMemory;
    }

    /** Do not mutate. */
    public List<PodInfo> pods() {
        return pods;
    }

    /** Pods with any pod affinity or anti-affinity term, required or preferred. */
    public List<PodInfo> podsWithAffinity() {
        return podsWithAffinity;
    }

    public List<PodInfo> podsWithRequiredAntiAffinity() {
        return podsWithRequiredAntiAffinity;
    }

    public HostPortInfo usedPorts() {
        return usedPorts;
    }

    /** Images present on the node by (each of their) names. */
    public Map<String, ImageState> imageStates() {
        return imageStates;
    }

    public void imageStates(Map<String, ImageState> states) {
        this.imageStates = states;
    }

    public long generation() {
        return generation;
    }

    public void generation(long g) {
        this.generation = g;
    }

    public void addPod(PodInfo p) {
        pods.add(p);
        if (p.hasAffinityConstraints()) {
            podsWithAffinity.add(p);
        }
        if (!p.requiredAntiAffinityTerms().isEmpty()) {
            podsWithRequiredAntiAffinity.add(p);
        }
        update(p, 1);
    }

    /** Removes the pod with the same namespace/name; false when it is not on this node. */
    public boolean removePod(PodInfo p) {
        for (int i = 0; i < pods.size(); i++) {
            PodInfo existing = pods.get(i);
            if (existing.key().equals(p.key())) {
                pods.remove(i);
                podsWithAffinity.removeIf(x -> x.key().equals(p.key()));
                podsWithRequiredAntiAffinity.removeIf(x -> x.key().equals(p.key()));
                update(existing, -1);
                return true;
            }
        }
        return false;
    }

    private void update(PodInfo p, int sign) {
        requested.add(p.requests(), sign);
        nonZeroMilliCpu += sign * p.nonZeroMilliCpu();
        nonZeroMemory += sign * p.nonZeroMemory();
        for (HostPort port : p.hostPorts()) {
            if (sign > 0) {
                usedPorts.add(port);
            } else {
                usedPorts.remove(port);
            }
        }
    }

    /** A copy whose pod lists and totals can change without touching this one (upstream's Snapshot()). */
    public NodeInfo copy() {
        return new NodeInfo(this);
    }

    @Override
    public String toString() {
        return name + " (" + pods.size() + " pods, requested " + requested + ")";
    }
}
