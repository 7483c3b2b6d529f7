package dev.capstan.scheduler.framework;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Upstream's framework.FitError: no node fits the pod. {@link #getMessage()} is upstream's exact text, e.g.
 * {@code 0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2
 * Insufficient cpu. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.} — each reason
 * counted over the nodes, the "count reason" strings sorted as strings (Go's sort.Strings), then the PostFilter
 * message.
 */
public final class FitError extends RuntimeException {
    public static final String NO_NODE_AVAILABLE = "0/%d nodes are available";

    private final transient PodInfo pod;
    private final int numAllNodes;
    private final transient NodeToStatus statuses;
    private final String preFilterMsg;
    private final Set<String> unschedulablePlugins;
    private String postFilterMsg = "";

    public FitError(
            PodInfo pod,
            int numAllNodes,
            NodeToStatus statuses,
            String preFilterMsg,
            Set<String> unschedulablePlugins) {
        super(null, null, false, false);
        this.pod = pod;
        this.numAllNodes = numAllNodes;
        this.statuses = statuses;
        this.preFilterMsg = preFilterMsg == null ? "" : preFilterMsg;
        this.unschedulablePlugins = unschedulablePlugins;
    }

    public PodInfo pod() {
        return pod;
    }

    public int numAllNodes() {
        return numAllNodes;
    }

    public NodeToStatus statuses() {
        return statuses;
    }

    /** The plugins that rejected the pod on some node; the queue moves it back on their events. */
    public Set<String> unschedulablePlugins() {
        return unschedulablePlugins;
    }

    public void postFilterMsg(String msg) {
        this.postFilterMsg = msg == null ? "" : msg;
    }

    @Override
    public String getMessage() {
        StringBuilder msg = new StringBuilder(String.format(NO_NODE_AVAILABLE, numAllNodes)).append(':');
        if (!preFilterMsg.isEmpty()) {
            msg.append(' ').append(preFilterMsg).append('.');
        } else {
            List<String> reasons = histogram(statuses, numAllNodes);
            if (!reasons.isEmpty()) {
                msg.append(' ').append(String.join(", ", reasons)).append('.');
            }
        }
        if (!postFilterMsg.isEmpty()) {
            msg.append(' ').append(postFilterMsg);
        }
        return msg.toString();
    }

    /** "count reason" for each reason over all nodes (absent nodes counted with the absent status), sorted. */
    static List<String> histogram(NodeToStatus statuses, int numAllNodes) {
        Map<String, Integer> counts = new HashMap<>();
        statuses.forEachExplicit((node, s) -> s.reasons().forEach(r -> counts.merge(r, 1, Integer::sum)));
        if (statuses.size() < numAllNodes) {
            int absent = numAllNodes - statuses.size();
            statuses.absentNodesStatus().reasons().forEach(r -> counts.merge(r, absent, Integer::sum));
        }
        List<String> out = new ArrayList<>(counts.size());
        counts.forEach((reason, n) -> out.add(n + " " + reason));
        // Go's sort.Strings compares bytes; String.compareTo compares UTF-16 units, the same order for these texts
        Collections.sort(out);
        return out;
    }
}
