package dev.capstan.scheduler.plugins.nodeaffinity;

import dev.capstan.model.labels.SelectorParseException;
import dev.capstan.scheduler.framework.ClusterEvent;
import dev.capstan.scheduler.framework.CycleState;
import dev.capstan.scheduler.framework.EnqueueExtensions;
import dev.capstan.scheduler.framework.FilterPlugin;
import dev.capstan.scheduler.framework.NodeInfo;
import dev.capstan.scheduler.framework.PluginFactory;
import dev.capstan.scheduler.framework.PodInfo;
import dev.capstan.scheduler.framework.PreFilterPlugin;
import dev.capstan.scheduler.framework.PreScorePlugin;
import dev.capstan.scheduler.framework.ScorePlugin;
import dev.capstan.scheduler.framework.Status;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.PodSpec;
import java.util.List;

/**
 * Upstream's nodeaffinity plugin, on model's {@link dev.capstan.model.scheduling.NodeAffinity} (the same matching
 * code every component uses). PreFilter skips pods without nodeSelector or required node affinity.
 */
public final class NodeAffinity
        implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin, EnqueueExtensions {
    public static final String NAME = "NodeAffinity";
    public static final String ERR_REASON_POD = "node(s) didn't match Pod's node affinity/selector";
    public static final PluginFactory FACTORY = handle -> new NodeAffinity();
    private static final String PRE_SCORE_KEY = "PreScore" + NAME;

    private record PreScoreState(dev.capstan.model.scheduling.NodeAffinity.Preferred preferred)
            implements CycleState.Data {
        @Override
        public CycleState.Data copy() {
            return this;
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Status preFilter(CycleState state, PodInfo pod) {
        PodSpec spec = pod.pod().getSpec();
        boolean noAffinity = spec.getAffinity() == null
                || spec.getAffinity().getNodeAffinity() == null
                || spec.getAffinity().getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution() == null;
        if (noAffinity && spec.getNodeSelector() == null) {
            return Status.skip();
        }
        return Status.SUCCESS;
    }

    @Override
    public Status filter(CycleState state, PodInfo pod, NodeInfo node) {
        return pod.requiredNodeAffinity().matches(node.node()) ? Status.SUCCESS : Status.unresolvable(ERR_REASON_POD);
    }

    @Override
    public Status preScore(CycleState state, PodInfo pod, List<NodeInfo> nodes) {
        PodSpec spec = pod.pod().getSpec();
        var na = spec.getAffinity() == null ? null : spec.getAffinity().getNodeAffinity();
        if (na == null
                || na.getPreferredDuringSchedulingIgnoredDuringExecution() == null
                || na.getPreferredDuringSchedulingIgnoredDuringExecution().isEmpty()) {
            return Status.skip();
        }
        try {
            state.write(PRE_SCORE_KEY, new PreScoreState(dev.capstan.model.scheduling.NodeAffinity.preferred(spec)));
        } catch (SelectorParseException e) {
            return Status.error(e.getMessage());
        }
        return Status.SUCCESS;
    }

    @Override
    public long score(CycleState state, PodInfo pod, NodeInfo node) {
        PreScoreState s = state.read(PRE_SCORE_KEY, PreScoreState.class);
        return s == null ? 0 : s.preferred().score(node.node());
    }

    @Override
    public void normalize(CycleState state, PodInfo pod, List<NodeInfo> nodes, long[] scores) {
        ScorePlugin.defaultNormalize(MAX_NODE_SCORE, false, scores);
    }

    @Override
    public List<Registration> eventsToRegister() {
        Hint hint = (pod, o, n) ->
                n instanceof Node node && pod.requiredNodeAffinity().matches(node);
        return List.of(new Registration(ClusterEvent.NODE_ADD, hint), new Registration(ClusterEvent.NODE_UPDATE, hint));
    }
}
