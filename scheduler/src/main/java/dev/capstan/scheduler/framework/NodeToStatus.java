package dev.capstan.scheduler.framework;

import java.util.HashMap;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Upstream's NodeToStatus: the status of each node that was evaluated and rejected, and the status that stands for
 * every node not listed (after a PreFilter rejection, or nodes never evaluated, which preemption treats as
 * "Preemption is not helpful for scheduling").
 */
public final class NodeToStatus {
    private final Map<String, Status> statuses = new HashMap<>();
    private Status absent = Status.unresolvable();

    public void set(String node, Status status) {
        statuses.put(node, status);
    }

    /** The node's status: its own, or the absent nodes' status. */
    public Status get(String node) {
        Status s = statuses.get(node);
        return s == null ? absent : s;
    }

    public Status absentNodesStatus() {
        return absent;
    }

    public void absentNodesStatus(Status s) {
        this.absent = s;
    }

    public int size() {
        return statuses.size();
    }

    public void forEachExplicit(BiConsumer<String, Status> action) {
        statuses.forEach(action);
    }
}
