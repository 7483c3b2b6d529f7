package dev.capstan.scheduler.framework;

import java.util.List;

/**
 * Upstream's PodNominator, read side: the pods nominated to run on a node (status.nominatedNodeName, or set by this
 * scheduler's preemption) that are not bound yet. Filters count those of equal or higher priority as present.
 */
public interface Nominator {
    Nominator NONE = node -> List.of();

    List<PodInfo> nominatedPodsForNode(String nodeName);
}
