package dev.capstan.client.informer;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;

/** Indexes several loops of a process put on the same shared informer, defined once so that they agree. */
public final class Indexes {
    /** Pods by spec.nodeName; unbound pods are in no entry. */
    public static final String POD_NODE_NAME = "spec.nodeName";

    private Indexes() {}

    /** Adds {@link #POD_NODE_NAME} to the pods' cache unless another loop did; answers the index's name. */
    public static String podsByNode(Indexer<Pod> pods) {
        pods.addIndexIfAbsent(POD_NODE_NAME, p -> {
            String node = p.getSpec() == null ? null : p.getSpec().getNodeName();
            return node == null || node.isEmpty() ? List.of() : List.of(node);
        });
        return POD_NODE_NAME;
    }
}
