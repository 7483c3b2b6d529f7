package dev.capstan.scheduler.framework;

import java.util.List;

/**
 * Runs when no node passed the filters. Contract: it may propose a node on which the pod could run after the returned
 * victims are evicted (preemption); it does not evict anything itself — the scheduler performs the returned actions.
 * It returns a result whose status is SUCCESS when it nominated a node, otherwise Unschedulable with a message that is
 * appended to the FitError message (e.g. "preemption: 0/3 nodes are available: ...").
 */
public interface PostFilterPlugin extends Plugin {
    Result postFilter(CycleState state, PodInfo pod, NodeToStatus filteredStatuses);

    /**
     * The outcome: the node nominated for the pod (null when none), the pods to evict from it, and lower-priority pods
     * nominated to that node whose nomination is to be cleared.
     */
    record Result(String nominatedNodeName, List<PodInfo> victims, List<PodInfo> nominationsToClear, Status status) {
        public static Result of(Status status) {
            return new Result(null, List.of(), List.of(), status);
        }
    }
}
