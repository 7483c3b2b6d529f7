package dev.capstan.scheduler.plugins.nodename;

import dev.capstan.scheduler.framework.ClusterEvent;
import dev.capstan.scheduler.framework.CycleState;
import dev.capstan.scheduler.framework.EnqueueExtensions;
import dev.capstan.scheduler.framework.FilterPlugin;
import dev.capstan.scheduler.framework.NodeInfo;
import dev.capstan.scheduler.framework.PluginFactory;
import dev.capstan.scheduler.framework.PodInfo;
import dev.capstan.scheduler.framework.Status;
import io.fabric8.kubernetes.api.model.Node;
import java.util.List;

/** Upstream's nodename plugin. */
public final class NodeName implements FilterPlugin, EnqueueExtensions {
    public static final String NAME = "NodeName";
    public static final String ERR_REASON = "node(s) didn't match the requested node name";
    public static final PluginFactory FACTORY = handle -> new NodeName();

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Status filter(CycleState state, PodInfo pod, NodeInfo node) {
        return fits(pod.nodeName(), node.name()) ? Status.SUCCESS : Status.unresolvable(ERR_REASON);
    }

    /** Upstream's Fits: the pod names no node, or this one. */
    public static boolean fits(String podNodeName, String nodeName) {
        return podNodeName.isEmpty() || podNodeName.equals(nodeName);
    }

    @Override
    public List<Registration> eventsToRegister() {
        return List.of(new Registration(
                ClusterEvent.NODE_ADD,
                (pod, o, n) -> n instanceof Node node
                        && node.getMetadata() != null
                        && fits(pod.nodeName(), node.getMetadata().getName())));
    }
}
