package dev.capstan.scheduler.plugins;

import dev.capstan.scheduler.framework.Profile;
import dev.capstan.scheduler.framework.Profile.PluginConfig;
import dev.capstan.scheduler.framework.Registry;
import dev.capstan.scheduler.plugins.balancedallocation.BalancedAllocation;
import dev.capstan.scheduler.plugins.defaultpreemption.DefaultPreemption;
import dev.capstan.scheduler.plugins.imagelocality.ImageLocality;
import dev.capstan.scheduler.plugins.interpodaffinity.InterPodAffinity;
import dev.capstan.scheduler.plugins.nodeaffinity.NodeAffinity;
import dev.capstan.scheduler.plugins.nodename.NodeName;
import dev.capstan.scheduler.plugins.nodeports.NodePorts;
import dev.capstan.scheduler.plugins.noderesources.NodeResourcesFit;
import dev.capstan.scheduler.plugins.nodeunschedulable.NodeUnschedulable;
import dev.capstan.scheduler.plugins.podtopologyspread.PodTopologySpread;
import dev.capstan.scheduler.plugins.schedulinggates.SchedulingGates;
import dev.capstan.scheduler.plugins.tainttoleration.TaintToleration;
import java.util.List;

/** Upstream's plugins/registry.go and the default profile of apis/config/v1/default_plugins.go. */
public final class InTreePlugins {
    /** Upstream's default scheduler name. */
    public static final String DEFAULT_SCHEDULER_NAME = "default-scheduler";

    private InTreePlugins() {}

    /** A new registry of every in-tree plugin; callers may register more. */
    public static Registry registry() {
        return new Registry()
                .register(NodeUnschedulable.NAME, NodeUnschedulable.FACTORY)
                .register(NodeName.NAME, NodeName.FACTORY)
                .register(TaintToleration.NAME, TaintToleration.FACTORY)
                .register(NodeAffinity.NAME, NodeAffinity.FACTORY)
                .register(NodePorts.NAME, NodePorts.FACTORY)
                .register(NodeResourcesFit.NAME, NodeResourcesFit.FACTORY)
                .register(PodTopologySpread.NAME, PodTopologySpread.FACTORY)
                .register(InterPodAffinity.NAME, InterPodAffinity.FACTORY)
                .register(DefaultPreemption.NAME, DefaultPreemption.FACTORY)
                .register(BalancedAllocation.NAME, BalancedAllocation.FACTORY)
                .register(ImageLocality.NAME, ImageLocality.FACTORY)
                .register(SchedulingGates.NAME, SchedulingGates.FACTORY);
    }

    /**
     * Upstream's default plugins in their order (filters run in this order, the first rejection wins), with the
     * default score weights: TaintToleration 3, NodeAffinity 2, NodeResourcesFit 1, PodTopologySpread 2,
     * InterPodAffinity 2, NodeResourcesBalancedAllocation 1, ImageLocality 1.
     */
    public static List<PluginConfig> defaultPlugins() {
        return List.of(
                new PluginConfig(NodeUnschedulable.NAME, 0),
                new PluginConfig(NodeName.NAME, 0),
                new PluginConfig(TaintToleration.NAME, 3),
                new PluginConfig(NodeAffinity.NAME, 2),
                new PluginConfig(NodePorts.NAME, 0),
                new PluginConfig(NodeResourcesFit.NAME, 1),
                new PluginConfig(PodTopologySpread.NAME, 2),
                new PluginConfig(InterPodAffinity.NAME, 2),
                new PluginConfig(DefaultPreemption.NAME, 0),
                new PluginConfig(BalancedAllocation.NAME, 1),
                new PluginConfig(ImageLocality.NAME, 1),
                new PluginConfig(SchedulingGates.NAME, 0));
    }

    /** The default profile under the given schedulerName, adaptive percentageOfNodesToScore. */
    public static Profile defaultProfile(String schedulerName) {
        return new Profile(schedulerName, defaultPlugins(), null);
    }

    public static Profile defaultProfile() {
        return defaultProfile(DEFAULT_SCHEDULER_NAME);
    }
}
