package dev.capstan.scheduler.framework;

import java.util.Map;

/**
 * Upstream's framework.Handle: what a plugin may use beyond its arguments — the current cycle's snapshot, namespace
 * labels (for namespaceSelector), the nominated pods, the workload listers, and the framework's own runners (for preemption's what-ifs).
 */
public interface Handle {
    /** The snapshot of the cycle in progress. */
    Snapshot snapshot();

    /** The labels of a namespace, or null when unknown. */
    Map<String, String> namespaceLabels(String namespace);

    Nominator nominator();

    /** Services and controllers, for PodTopologySpread's system-default constraints. */
    WorkloadListers workloadListers();

    /** Runs the filters as the main cycle does, counting nominated pods of equal or higher priority. */
    Status runFilterWithNominatedPods(CycleState state, PodInfo pod, NodeInfo node);

    Status runPreFilterExtensionAddPod(CycleState state, PodInfo podToSchedule, PodInfo podToAdd, NodeInfo node);

    Status runPreFilterExtensionRemovePod(CycleState state, PodInfo podToSchedule, PodInfo podToRemove, NodeInfo node);
}
