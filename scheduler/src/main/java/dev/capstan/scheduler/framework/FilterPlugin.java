package dev.capstan.scheduler.framework;

/**
 * Decides whether the pod may run on one node. Contract: a pure function of (cycle state, pod, node info) — no side
 * effects, safe to call for any node in any order, and on copies of NodeInfos with pods added or removed (preemption's
 * what-if runs). Returns {@link Status#SUCCESS}; {@link Status#unschedulable} with upstream's reason text when the pod
 * does not fit but removing pods could help; {@link Status#unresolvable} when preemption cannot help (taints, node
 * affinity); or an error. The reasons are counted per node in the FitError message, so they must be stable texts.
 */
public interface FilterPlugin extends Plugin {
    Status filter(CycleState state, PodInfo pod, NodeInfo node);
}
