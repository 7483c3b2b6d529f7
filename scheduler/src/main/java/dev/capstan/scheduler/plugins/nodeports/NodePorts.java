package dev.capstan.scheduler.plugins.nodeports;

import dev.capstan.scheduler.framework.ClusterEvent;
import dev.capstan.scheduler.framework.CycleState;
import dev.capstan.scheduler.framework.EnqueueExtensions;
import dev.capstan.scheduler.framework.FilterPlugin;
import dev.capstan.scheduler.framework.HostPort;
import dev.capstan.scheduler.framework.HostPortInfo;
import dev.capstan.scheduler.framework.NodeInfo;
import dev.capstan.scheduler.framework.PluginFactory;
import dev.capstan.scheduler.framework.PodInfo;
import dev.capstan.scheduler.framework.PreFilterPlugin;
import dev.capstan.scheduler.framework.Status;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;

/** Upstream's nodeports plugin; PreFilter skips pods without host ports. */
public final class NodePorts implements PreFilterPlugin, FilterPlugin, EnqueueExtensions {
    public static final String NAME = "NodePorts";
    public static final String ERR_REASON = "node(s) didn't have free ports for the requested pod ports";
    public static final PluginFactory FACTORY = handle -> new NodePorts();

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Status preFilter(CycleState state, PodInfo pod) {
        return pod.hostPorts().isEmpty() ? Status.skip() : Status.SUCCESS;
    }

    @Override
    public Status filter(CycleState state, PodInfo pod, NodeInfo node) {
        return fits(pod.hostPorts(), node.usedPorts()) ? Status.SUCCESS : Status.unschedulable(ERR_REASON);
    }

    /** Upstream's fitsPorts: no wanted port conflicts with one in use. */
    public static boolean fits(List<HostPort> wanted, HostPortInfo used) {
        for (HostPort p : wanted) {
            if (used.conflicts(p)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public List<Registration> eventsToRegister() {
        return List.of(
                new Registration(
                        ClusterEvent.ASSIGNED_POD_DELETE,
                        (pod, o, n) -> o instanceof Pod deleted
                                && !PodInfo.of(deleted).hostPorts().isEmpty()),
                Registration.of(ClusterEvent.NODE_ADD),
                Registration.of(ClusterEvent.NODE_UPDATE));
    }
}
