package dev.capstan.scheduler.framework;

import java.util.List;

/**
 * Runs once per cycle after filtering, with the feasible nodes. Contract: it computes what its Score needs (e.g. the
 * pod counts per topology domain) into the {@link CycleState}; {@link Status#skip()} means its Score is not called
 * this cycle (all nodes then get 0 from it). It must not mutate the snapshot.
 */
public interface PreScorePlugin extends Plugin {
    Status preScore(CycleState state, PodInfo pod, List<NodeInfo> feasibleNodes);
}
