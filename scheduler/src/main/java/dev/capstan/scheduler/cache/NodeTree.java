package dev.capstan.scheduler.cache;

import io.fabric8.kubernetes.api.model.Node;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Upstream's nodeTree: node names grouped by zone (region and zone labels). {@link #list()} interleaves the zones
 * (first node of each zone, then the second of each, ...) so that scoring only a percentage of the nodes still sees
 * every zone. Not thread-safe; the cache guards it.
 */
final class NodeTree {
    private final Map<String, List<String>> tree = new HashMap<>();
    private final List<String> zones = new ArrayList<>();
    private final java.util.Set<String> names = new java.util.HashSet<>();
    private int numNodes;

    void add(Node node) {
        String zone = zoneKey(node);
        String name = node.getMetadata().getName();
        if (!names.add(name)) {
            return;
        }
        tree.computeIfAbsent(zone, z -> {
                    zones.add(z);
                    return new ArrayList<>();
                })
                .add(name);
        numNodes++;
    }

    /** Removes the node; false when it was not in the tree. */
    boolean remove(Node node) {
        String zone = zoneKey(node);
        List<String> names = tree.get(zone);
        if (names == null || !names.remove(node.getMetadata().getName())) {
            return false;
        }
        this.names.remove(node.getMetadata().getName());
        if (names.isEmpty()) {
            tree.remove(zone);
            zones.remove(zone);
        }
        numNodes--;
        return true;
    }

    /** Moves the node to its new zone; false when its zone did not change. */
    boolean update(Node oldNode, Node newNode) {
        if (oldNode != null && zoneKey(oldNode).equals(zoneKey(newNode))) {
            return false;
        }
        if (oldNode != null) {
            remove(oldNode);
        }
        add(newNode);
        return true;
    }

    int numNodes() {
        return numNodes;
    }

    List<String> list() {
        List<String> out = new ArrayList<>(numNodes);
        for (int index = 0; out.size() < numNodes; index++) {
            for (String zone : zones) {
                List<String> names = tree.get(zone);
                if (index < names.size()) {
                    out.add(names.get(index));
                }
            }
        }
        return out;
    }

    /** Upstream's GetZoneKey: region + ":\0:" + zone, with the deprecated beta labels as fallback; "" if neither. */
    static String zoneKey(Node node) {
        Map<String, String> labels =
                node.getMetadata() == null ? null : node.getMetadata().getLabels();
        if (labels == null) {
            return "";
        }
        String zone = labels.get("topology.kubernetes.io/zone");
        if (zone == null) {
            zone = labels.getOrDefault("failure-domain.beta.kubernetes.io/zone", "");
        }
        String region = labels.get("topology.kubernetes.io/region");
        if (region == null) {
            region = labels.getOrDefault("failure-domain.beta.kubernetes.io/region", "");
        }
        if (region.isEmpty() && zone.isEmpty()) {
            return "";
        }
        return region + ":\0:" + zone;
    }
}
