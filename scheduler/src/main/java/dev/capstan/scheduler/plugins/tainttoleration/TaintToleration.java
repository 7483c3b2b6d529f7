package dev.capstan.scheduler.plugins.tainttoleration;

import dev.capstan.model.scheduling.Tolerations;
import dev.capstan.scheduler.framework.ClusterEvent;
import dev.capstan.scheduler.framework.CycleState;
import dev.capstan.scheduler.framework.EnqueueExtensions;
import dev.capstan.scheduler.framework.FilterPlugin;
import dev.capstan.scheduler.framework.NodeInfo;
import dev.capstan.scheduler.framework.PluginFactory;
import dev.capstan.scheduler.framework.PodInfo;
import dev.capstan.scheduler.framework.PreScorePlugin;
import dev.capstan.scheduler.framework.ScorePlugin;
import dev.capstan.scheduler.framework.Status;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.List;
import java.util.Optional;

/** Upstream's tainttoleration plugin. */
public final class TaintToleration implements FilterPlugin, PreScorePlugin, ScorePlugin, EnqueueExtensions {
    public static final String NAME = "TaintToleration";
    public static final PluginFactory FACTORY = handle -> new TaintToleration();
    private static final String PRE_SCORE_KEY = "PreScore" + NAME;

    private record PreScoreState(List<Toleration> preferNoSchedule) implements CycleState.Data {
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
    public Status filter(CycleState state, PodInfo pod, NodeInfo node) {
        Optional<Taint> taint = untolerated(node.taints(), pod.tolerations());
        return taint.isEmpty() ? Status.SUCCESS : Status.unresolvable(reason(taint.get()));
    }

    /** The first NoSchedule or NoExecute taint the tolerations do not tolerate. */
    public static Optional<Taint> untolerated(List<Taint> taints, List<Toleration> tolerations) {
        if (taints.isEmpty()) {
            return Optional.empty();
        }
        return Tolerations.findUntoleratedTaint(taints, tolerations, Tolerations::isNoScheduleOrNoExecute);
    }

    /** Upstream's message: {@code node(s) had untolerated taint {key: value}}. */
    public static String reason(Taint taint) {
        return "node(s) had untolerated taint {" + nonNull(taint.getKey()) + ": " + nonNull(taint.getValue()) + "}";
    }

    @Override
    public Status preScore(CycleState state, PodInfo pod, List<NodeInfo> nodes) {
        List<Toleration> prefer = pod.tolerations().stream()
                .filter(t ->
                        t.getEffect() == null || t.getEffect().isEmpty() || "PreferNoSchedule".equals(t.getEffect()))
                .toList();
        state.write(PRE_SCORE_KEY, new PreScoreState(prefer));
        return Status.SUCCESS;
    }

    @Override
    public long score(CycleState state, PodInfo pod, NodeInfo node) {
        PreScoreState s = state.read(PRE_SCORE_KEY, PreScoreState.class);
        return countIntolerable(node.taints(), s == null ? pod.tolerations() : s.preferNoSchedule());
    }

    /** Upstream's countIntolerableTaintsPreferNoSchedule. */
    public static long countIntolerable(List<Taint> taints, List<Toleration> tolerations) {
        long n = 0;
        // indexed: called for every feasible node, and C1 allocates each iterator
        for (int i = 0; i < taints.size(); i++) {
            Taint t = taints.get(i);
            if ("PreferNoSchedule".equals(t.getEffect()) && !Tolerations.tolerate(tolerations, t)) {
                n++;
            }
        }
        return n;
    }

    @Override
    public void normalize(CycleState state, PodInfo pod, List<NodeInfo> nodes, long[] scores) {
        ScorePlugin.defaultNormalize(MAX_NODE_SCORE, true, scores);
    }

    @Override
    public List<Registration> eventsToRegister() {
        Hint hint = (pod, o, n) -> n instanceof Node node
                && untolerated(
                                node.getSpec() == null || node.getSpec().getTaints() == null
                                        ? List.of()
                                        : node.getSpec().getTaints(),
                                pod.tolerations())
                        .isEmpty();
        return List.of(new Registration(ClusterEvent.NODE_ADD, hint), new Registration(ClusterEvent.NODE_UPDATE, hint));
    }

    private static String nonNull(String s) {
        return s == null ? "" : s;
    }
}
