package dev.capstan.scheduler.core;

import java.util.random.RandomGenerator;

/** Pure helpers of upstream's schedule_one.go: how many feasible nodes to look for, and the pick among the best. */
public final class Selection {
    /** Upstream's minFeasibleNodesToFind. */
    public static final int MIN_FEASIBLE_NODES_TO_FIND = 100;
    /** Upstream's minFeasibleNodesPercentageToFind. */
    public static final int MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND = 5;

    private Selection() {}

    /**
     * Upstream's numFeasibleNodesToFind: all nodes below 100; else {@code percentage}% of them (0 for adaptive:
     * 50 − n/125, at least 5), but never fewer than 100.
     */
    public static int numFeasibleNodesToFind(int percentage, int numAllNodes) {
        if (numAllNodes < MIN_FEASIBLE_NODES_TO_FIND) {
            return numAllNodes;
        }
        int p = percentage;
        if (p == 0) {
            p = 50 - numAllNodes / 125;
            if (p < MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND) {
                p = MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND;
            }
        }
        int n = (int) ((long) numAllNodes * p / 100);
        return Math.max(n, MIN_FEASIBLE_NODES_TO_FIND);
    }

    /** Upstream's selectHost: the index of a highest score, chosen uniformly among ties (reservoir sampling). */
    public static int selectHost(long[] scores, RandomGenerator random) {
        if (scores.length == 0) {
            throw new IllegalArgumentException("empty priorityList");
        }
        int selected = 0;
        long max = scores[0];
        int ties = 1;
        for (int i = 1; i < scores.length; i++) {
            if (scores[i] > max) {
                max = scores[i];
                selected = i;
                ties = 1;
            } else if (scores[i] == max) {
                ties++;
                if (random.nextInt(ties) == 0) {
                    selected = i;
                }
            }
        }
        return selected;
    }
}
