package dev.capstan.scheduler.plugins.noderesources;

import dev.capstan.scheduler.framework.ClusterEvent;
import dev.capstan.scheduler.framework.CycleState;
import dev.capstan.scheduler.framework.EnqueueExtensions;
import dev.capstan.scheduler.framework.FilterPlugin;
import dev.capstan.scheduler.framework.NodeInfo;
import dev.capstan.scheduler.framework.PluginFactory;
import dev.capstan.scheduler.framework.PodInfo;
import dev.capstan.scheduler.framework.Resources;
import dev.capstan.scheduler.framework.ScorePlugin;
import dev.capstan.scheduler.framework.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Upstream's noderesources Fit plugin with its default LeastAllocated strategy (cpu and memory, weight 1 each). The
 * pod's requests come pre-computed in its PodInfo (model's PodResources: sidecars, init containers, overhead), so
 * upstream's PreFilter step has nothing left to do.
 */
public final class NodeResourcesFit implements FilterPlugin, ScorePlugin, EnqueueExtensions {
    public static final String NAME = "NodeResourcesFit";
    public static final PluginFactory FACTORY = handle -> new NodeResourcesFit();

    /**
     * One resource the pod does not get; {@code unresolvable} when the request exceeds the node's whole allocatable
     * (evicting pods cannot help; v1.32's filter does not act on it).
     */
    public record Insufficient(
            String resource, String reason, long requested, long used, long capacity, boolean unresolvable) {}

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Status filter(CycleState state, PodInfo pod, NodeInfo node) {
        List<Insufficient> insufficient = fits(pod.requests(), node);
        if (insufficient.isEmpty()) {
            return Status.SUCCESS;
        }
        String[] reasons = new String[insufficient.size()];
        for (int i = 0; i < reasons.length; i++) {
            reasons[i] = insufficient.get(i).reason();
        }
        // Always resolvable, as in v1.32: answering UnschedulableAndUnresolvable for a request beyond the node's
        // whole allocatable (so that preemption skips the node) came with v1.34 (kubernetes PR 131345), and changes
        // the "preemption: …" half of the message users see.
        return Status.unschedulable(reasons);
    }

    /** Upstream's fitsRequest: the pod count first, then cpu, memory, ephemeral storage and scalar resources. */
    public static List<Insufficient> fits(Resources request, NodeInfo node) {
        List<Insufficient> out = List.of();
        Resources alloc = node.allocatable();
        Resources used = node.requested();
        int pods = node.pods().size();
        if (pods + 1 > alloc.allowedPods) {
            out = add(out, new Insufficient(Resources.PODS, "Too many pods", 1, pods, alloc.allowedPods, false));
        }
        if (request.isZero()) {
            return out;
        }
        if (request.milliCpu > 0 && request.milliCpu > alloc.milliCpu - used.milliCpu) {
            out = add(
                    out,
                    new Insufficient(
                            Resources.CPU,
                            "Insufficient cpu",
                            request.milliCpu,
                            used.milliCpu,
                            alloc.milliCpu,
                            request.milliCpu > alloc.milliCpu));
        }
        if (request.memory > 0 && request.memory > alloc.memory - used.memory) {
            out = add(
                    out,
                    new Insufficient(
                            Resources.MEMORY,
                            "Insufficient memory",
                            request.memory,
                            used.memory,
                            alloc.memory,
                            request.memory > alloc.memory));
        }
        if (request.ephemeralStorage > 0 && request.ephemeralStorage > alloc.ephemeralStorage - used.ephemeralStorage) {
            out = add(
                    out,
                    new Insufficient(
                            Resources.EPHEMERAL_STORAGE,
                            "Insufficient ephemeral-storage",
                            request.ephemeralStorage,
                            used.ephemeralStorage,
                            alloc.ephemeralStorage,
                            request.ephemeralStorage > alloc.ephemeralStorage));
        }
        if (request.scalar.isEmpty()) {
            return out; // the common case: no entry-set iterator for each node checked
        }
        for (Map.Entry<String, Long> e : request.scalar.entrySet()) {
            long want = e.getValue();
            long capacity = alloc.scalar(e.getKey());
            long inUse = used.scalar(e.getKey());
            if (want > 0 && want > capacity - inUse) {
                out = add(
                        out,
                        new Insufficient(
                                e.getKey(), "Insufficient " + e.getKey(), want, inUse, capacity, want > capacity));
            }
        }
        return out;
    }

    private static List<Insufficient> add(List<Insufficient> list, Insufficient i) {
        List<Insufficient> out = list.isEmpty() ? new ArrayList<>(4) : list;
        out.add(i);
        return out;
    }

    /**
     * LeastAllocated over cpu and memory with the non-zero requests (so best-effort pods still spread): the mean of
     * {@code (allocatable - requested) * 100 / allocatable}, resources with no allocatable left out.
     */
    @Override
    public long score(CycleState state, PodInfo pod, NodeInfo node) {
        // runs for every feasible node of every pod: two resources of weight 1 with no arrays, which C1
        // (the components' compiler) would allocate on the heap each time
        Resources alloc = node.allocatable();
        long cpuScore = leastRequestedScore(node.nonZeroRequestedMilliCpu() + pod.nonZeroMilliCpu(), alloc.milliCpu);
        long memoryScore = leastRequestedScore(node.nonZeroRequestedMemory() + pod.nonZeroMemory(), alloc.memory);
        int counted = (alloc.milliCpu == 0 ? 0 : 1) + (alloc.memory == 0 ? 0 : 1);
        return counted == 0 ? 0 : (cpuScore + memoryScore) / counted;
    }

    /** Upstream's leastResourceScorer for one resource. */
    static long leastRequestedScore(long requested, long capacity) {
        if (capacity == 0 || requested > capacity) {
            return 0;
        }
        return (capacity - requested) * MAX_NODE_SCORE / capacity;
    }

    @Override
    public List<Registration> eventsToRegister() {
        return List.of(
                Registration.of(ClusterEvent.ASSIGNED_POD_DELETE),
                Registration.of(ClusterEvent.ASSIGNED_POD_UPDATE),
                Registration.of(ClusterEvent.NODE_ADD),
                Registration.of(ClusterEvent.NODE_UPDATE));
    }
}
