package dev.capstan.scheduler.framework;

/**
 * Runs once per scheduling cycle before any Filter call. Contract: it computes what its Filter needs for this pod and
 * writes it to the {@link CycleState}; it returns {@link Status#SUCCESS}, {@link Status#skip()} (its Filter is then
 * not called this cycle, e.g. the pod has no host ports), a rejection (every node then fails with this status and
 * Filter does not run at all) or an error. It must not mutate the snapshot.
 */
public interface PreFilterPlugin extends Plugin {
    Status preFilter(CycleState state, PodInfo pod);

    /**
     * How to update this plugin's cycle state when a pod is added to or removed from a node in a what-if evaluation
     * (nominated pods, preemption); null when the state does not depend on other pods.
     */
    default Extensions preFilterExtensions() {
        return null;
    }

    /**
     * Upstream's PreFilterExtensions. Contract: after {@code addPod(state, pod, added, node)} the state answers as if
     * {@code added} were on {@code node}; {@code removePod} undoes that or removes an existing pod. {@code node} is
     * the NodeInfo as it is after the change.
     */
    interface Extensions {
        Status addPod(CycleState state, PodInfo podToSchedule, PodInfo podToAdd, NodeInfo node);

        Status removePod(CycleState state, PodInfo podToSchedule, PodInfo podToRemove, NodeInfo node);
    }
}
