package dev.capstan.scheduler.plugins.balancedallocation;

import dev.capstan.scheduler.framework.CycleState;
import dev.capstan.scheduler.framework.NodeInfo;
import dev.capstan.scheduler.framework.PluginFactory;
import dev.capstan.scheduler.framework.PodInfo;
import dev.capstan.scheduler.framework.ScorePlugin;

/** Upstream's NodeResourcesBalancedAllocation with its default resources (cpu and memory) and actual requests. */
public final class BalancedAllocation implements ScorePlugin {
    public static final String NAME = "NodeResourcesBalancedAllocation";
    public static final PluginFactory FACTORY = handle -> new BalancedAllocation();

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public long score(CycleState state, PodInfo pod, NodeInfo node) {
        // upstream's balancedResourceScorer for its two default resources, written out: it runs for every feasible
        // node of every pod, and C1 (the components' compiler) would allocate arrays on the heap each time. The
        // standard deviation of two used fractions (each capped at 1) is half their difference.
        long cpuAllocatable = node.allocatable().milliCpu;
        long memoryAllocatable = node.allocatable().memory;
        if (cpuAllocatable == 0 || memoryAllocatable == 0) {
            return MAX_NODE_SCORE; // one fraction or none: no spread
        }
        double cpu = Math.min(1, (double) (node.requested().milliCpu + pod.requests().milliCpu) / cpuAllocatable);
        double memory = Math.min(1, (double) (node.requested().memory + pod.requests().memory) / memoryAllocatable);
        return (long) ((1 - Math.abs((cpu - memory) / 2)) * MAX_NODE_SCORE);
    }
}
