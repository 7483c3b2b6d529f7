package dev.capstan.scheduler.plugins.nodeunschedulable;

import dev.capstan.model.scheduling.Tolerations;
import dev.capstan.scheduler.framework.ClusterEvent;
import dev.capstan.scheduler.framework.CycleState;
import dev.capstan.scheduler.framework.EnqueueExtensions;
import dev.capstan.scheduler.framework.FilterPlugin;
import dev.capstan.scheduler.framework.NodeInfo;
import dev.capstan.scheduler.framework.PluginFactory;
import dev.capstan.scheduler.framework.PodInfo;
import dev.capstan.scheduler.framework.Status;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.List;

/** Upstream's nodeunschedulable plugin. */
public final class NodeUnschedulable implements FilterPlugin, EnqueueExtensions {
    public static final String NAME = "NodeUnschedulable";
    public static final String ERR_REASON_UNSCHEDULABLE = "node(s) were unschedulable";
    public static final PluginFactory FACTORY = handle -> new NodeUnschedulable();

    /** The taint a cordoned node carries; a pod tolerating it also tolerates spec.unschedulable. */
    private static final Taint UNSCHEDULABLE_TAINT = new TaintBuilder()
            .withKey("node.kubernetes.io/unschedulable")
            .withEffect("NoSchedule")
            .build();

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Status filter(CycleState state, PodInfo pod, NodeInfo node) {
        return fits(pod.tolerations(), node.unschedulable())
                ? Status.SUCCESS
                : Status.unresolvable(ERR_REASON_UNSCHEDULABLE);
    }

    /** Whether a pod with these tolerations may go to a node with this spec.unschedulable. */
    public static boolean fits(List<Toleration> tolerations, boolean unschedulable) {
        return !unschedulable || Tolerations.tolerate(tolerations, UNSCHEDULABLE_TAINT);
    }

    @Override
    public List<Registration> eventsToRegister() {
        Hint hint = (pod, oldObj, newObj) -> newObj instanceof Node n
                && fits(
                        pod.tolerations(),
                        n.getSpec() != null && Boolean.TRUE.equals(n.getSpec().getUnschedulable()));
        return List.of(new Registration(ClusterEvent.NODE_ADD, hint), new Registration(ClusterEvent.NODE_UPDATE, hint));
    }
}
