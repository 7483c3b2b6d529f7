package dev.capstan.scheduler.plugins.imagelocality;

import dev.capstan.scheduler.framework.CycleState;
import dev.capstan.scheduler.framework.Handle;
import dev.capstan.scheduler.framework.ImageState;
import dev.capstan.scheduler.framework.NodeInfo;
import dev.capstan.scheduler.framework.PluginFactory;
import dev.capstan.scheduler.framework.PodInfo;
import dev.capstan.scheduler.framework.ScorePlugin;

/** Upstream's imagelocality plugin. */
public final class ImageLocality implements ScorePlugin {
    public static final String NAME = "ImageLocality";
    public static final PluginFactory FACTORY = ImageLocality::new;

    static final long MB = 1024 * 1024;
    /** Below this the image is cheap to pull: no preference. */
    static final long MIN_THRESHOLD = 23 * MB;
    /** Per container; beyond this the preference does not grow. */
    static final long MAX_CONTAINER_THRESHOLD = 1000 * MB;

    private final Handle handle;

    private ImageLocality(Handle handle) {
        this.handle = handle;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public long score(CycleState state, PodInfo pod, NodeInfo node) {
        int totalNodes = handle.snapshot().numNodes();
        long sum = 0;
        if (!node.imageStates().isEmpty()) {
            for (String image : pod.images()) {
                ImageState s = node.imageStates().get(image);
                if (s != null) {
                    sum += scaledImageScore(s.size(), s.numNodes(), totalNodes);
                }
            }
        }
        return calculatePriority(sum, pod.images().size());
    }

    /** Upstream's scaledImageScore: the size scaled by the fraction of nodes that have the image. */
    public static long scaledImageScore(long size, int numNodes, int totalNodes) {
        double spread = totalNodes == 0 ? 0 : (double) numNodes / totalNodes;
        return (long) (size * spread);
    }

    /** Upstream's calculatePriority: the clamped sum mapped linearly onto [0, 100]. */
    public static long calculatePriority(long sumScores, int numContainers) {
        long maxThreshold = MAX_CONTAINER_THRESHOLD * numContainers;
        long s = sumScores;
        if (s < MIN_THRESHOLD) {
            s = MIN_THRESHOLD;
        } else if (s > maxThreshold) {
            s = maxThreshold;
        }
        if (maxThreshold <= MIN_THRESHOLD) {
            return 0;
        }
        return MAX_NODE_SCORE * (s - MIN_THRESHOLD) / (maxThreshold - MIN_THRESHOLD);
    }
}
