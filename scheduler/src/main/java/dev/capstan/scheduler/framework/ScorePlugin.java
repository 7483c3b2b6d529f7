package dev.capstan.scheduler.framework;

import java.util.List;

/**
 * Ranks the feasible nodes. Contract: {@link #score} is a pure function of (cycle state, pod, node) returning any
 * long; {@link #normalize} then maps the scores of all feasible nodes (same order as {@code nodes}) into
 * [0, {@link #MAX_NODE_SCORE}] in place. When not overridden, {@link #score} must already be in that range. The
 * framework multiplies the result by the plugin's weight in the profile and sums over plugins. A score that cannot be
 * computed throws {@link SchedulingException}.
 */
public interface ScorePlugin extends Plugin {
    long MAX_NODE_SCORE = 100;
    long MIN_NODE_SCORE = 0;

    long score(CycleState state, PodInfo pod, NodeInfo node);

    default void normalize(CycleState state, PodInfo pod, List<NodeInfo> nodes, long[] scores) {}

    /**
     * Upstream's helper.DefaultNormalizeScore: scales to [0, max] by the highest score; with {@code reverse}, a higher
     * raw score yields a lower result (and all-zero scores all become max).
     */
    static void defaultNormalize(long max, boolean reverse, long[] scores) {
        long maxCount = 0;
        for (long s : scores) {
            maxCount = Math.max(maxCount, s);
        }
        if (maxCount == 0) {
            if (reverse) {
                java.util.Arrays.fill(scores, max);
            }
            return;
        }
        for (int i = 0; i < scores.length; i++) {
            long s = max * scores[i] / maxCount;
            scores[i] = reverse ? max - s : s;
        }
    }
}
