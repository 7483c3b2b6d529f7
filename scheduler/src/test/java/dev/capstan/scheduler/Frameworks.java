package dev.capstan.scheduler;

import dev.capstan.scheduler.framework.CycleState;
import dev.capstan.scheduler.framework.Framework;
import dev.capstan.scheduler.framework.NodeInfo;
import dev.capstan.scheduler.framework.Nominator;
import dev.capstan.scheduler.framework.PodInfo;
import dev.capstan.scheduler.framework.Profile;
import dev.capstan.scheduler.framework.Snapshot;
import dev.capstan.scheduler.framework.Status;
import dev.capstan.scheduler.plugins.InTreePlugins;
import java.util.List;

/** Runs one plugin (or the default profile) over a snapshot, as the scheduler would for one cycle. */
public final class Frameworks {
    private Frameworks() {}

    public static Framework only(String plugin, List<NodeInfo> nodes) {
        Framework fw = new Framework(
                new Profile("test", List.of(new Profile.PluginConfig(plugin, 1)), null),
                InTreePlugins.registry(),
                ns -> null,
                Nominator.NONE);
        fw.snapshot(Snapshot.of(nodes));
        return fw;
    }

    /** PreFilter then Filter of the pod on {@code node}, as one cycle. */
    public static Status filter(Framework fw, PodInfo pod, NodeInfo node) {
        CycleState state = new CycleState();
        Status pre = fw.runPreFilter(state, pod);
        if (!pre.isSuccess()) {
            return pre;
        }
        return fw.runFilter(state, pod, node);
    }
}
