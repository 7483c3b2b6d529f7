package dev.capstan.model.node;

import io.fabric8.kubernetes.api.model.Node;

/** Upstream's nodeutil readers of a node's conditions. */
public final class NodeConditions {
    private NodeConditions() {}

    /** Upstream's IsNodeReady: the Ready condition is True. */
    public static boolean isReady(Node node) {
        return node.getStatus() != null
                && node.getStatus().getConditions() != null
                && node.getStatus().getConditions().stream()
                        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }
}
