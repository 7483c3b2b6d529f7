package dev.capstan.scheduler.plugins.podtopologyspread;

import dev.capstan.model.labels.LabelSelector;
import dev.capstan.model.labels.Requirement;
import dev.capstan.model.scheduling.NodeAffinity;
import dev.capstan.model.scheduling.Tolerations;
import dev.capstan.scheduler.framework.NodeInfo;
import dev.capstan.scheduler.framework.PodInfo;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Upstream's topologySpreadConstraint: one parsed constraint with its selector (matchLabelKeys merged in from the
 * pod's labels), minDomains (default 1) and node inclusion policies (nodeAffinityPolicy default Honor,
 * nodeTaintsPolicy default Ignore).
 */
record Constraint(
        int maxSkew,
        String topologyKey,
        LabelSelector selector,
        int minDomains,
        boolean honorNodeAffinity,
        boolean honorNodeTaints) {

    Constraint {
        topologyKey = NodeInfo.sharedLabelKey(topologyKey); // read from every node checked
    }

    static final String DO_NOT_SCHEDULE = "DoNotSchedule";
    static final String SCHEDULE_ANYWAY = "ScheduleAnyway";
    static final String HOSTNAME = "kubernetes.io/hostname";
    static final String ZONE = "topology.kubernetes.io/zone";

    /**
     * Upstream's systemDefaultConstraints (hostname maxSkew 3, zone maxSkew 5, both ScheduleAnyway) with the pod's
     * default selector, as buildDefaultConstraints makes them; minDomains 1, nodeAffinityPolicy Honor,
     * nodeTaintsPolicy Ignore.
     */
    static List<Constraint> systemDefaults(LabelSelector selector) {
        return List.of(
                new Constraint(3, HOSTNAME, selector, 1, true, false),
                new Constraint(5, ZONE, selector, 1, true, false));
    }

    /** The pod has topologySpreadConstraints of its own (then the system defaults do not apply). */
    static boolean hasOwn(PodInfo pod) {
        List<TopologySpreadConstraint> given = pod.pod().getSpec().getTopologySpreadConstraints();
        return given != null && !given.isEmpty();
    }

    /** The pod's constraints with the given whenUnsatisfiable, parsed (upstream's filterTopologySpreadConstraints). */
    static List<Constraint> of(PodInfo pod, String whenUnsatisfiable) {
        List<TopologySpreadConstraint> given = pod.pod().getSpec().getTopologySpreadConstraints();
        if (given == null || given.isEmpty()) {
            return List.of();
        }
        List<Constraint> out = new ArrayList<>();
        for (TopologySpreadConstraint c : given) {
            if (!whenUnsatisfiable.equals(c.getWhenUnsatisfiable())) {
                continue;
            }
            LabelSelector selector = LabelSelector.of(c.getLabelSelector());
            if (c.getMatchLabelKeys() != null && !c.getMatchLabelKeys().isEmpty() && !selector.matchesNothing()) {
                List<Requirement> reqs = new ArrayList<>(selector.requirements());
                for (String key : c.getMatchLabelKeys()) {
                    String value = pod.labels().get(key);
                    if (value != null) {
                        reqs.add(new Requirement(key, Requirement.Operator.IN, List.of(value)));
                    }
                }
                selector = LabelSelector.of(reqs);
            }
            out.add(new Constraint(
                    c.getMaxSkew() == null ? 1 : c.getMaxSkew(),
                    c.getTopologyKey() == null ? "" : c.getTopologyKey(),
                    selector,
                    c.getMinDomains() == null ? 1 : c.getMinDomains(),
                    !"Ignore".equals(c.getNodeAffinityPolicy()),
                    "Honor".equals(c.getNodeTaintsPolicy())));
        }
        return List.copyOf(out);
    }

    /** Upstream's matchNodeInclusionPolicies: whether the node's domain counts for this constraint. */
    boolean includes(PodInfo pod, NodeInfo node, NodeAffinity.Required required) {
        if (honorNodeAffinity
                && (required.nodeSelector() != null || required.affinity() != null)
                && !required.matches(node.node())) {
            return false;
        }
        return !honorNodeTaints
                || Tolerations.findUntoleratedTaint(
                                node.taints(), pod.tolerations(), Tolerations::isNoScheduleOrNoExecute)
                        .isEmpty();
    }

    /** Whether {@link #includes} holds for every node: no node affinity honoured and no taints honoured. */
    boolean includesEveryNode(NodeAffinity.Required required) {
        return !honorNodeTaints
                && !(honorNodeAffinity && (required.nodeSelector() != null || required.affinity() != null));
    }

    /** Upstream's nodeLabelsMatchSpreadConstraints: the node has every constraint's topology key. */
    static boolean nodeHasAllKeys(Map<String, String> labels, List<Constraint> constraints) {
        for (Constraint c : constraints) {
            if (!labels.containsKey(c.topologyKey())) {
                return false;
            }
        }
        return true;
    }

    /**
     * Upstream's countPodsMatchSelector: pods in the namespace, not terminating, matching the selector; an empty
     * selector counts nothing.
     */
    static int countMatching(List<PodInfo> pods, LabelSelector selector, String namespace) {
        if (selector.isEmpty()) {
            return 0;
        }
        int n = 0;
        for (PodInfo p : pods) {
            if (!p.isTerminating() && p.namespace().equals(namespace) && selector.matches(p.labels())) {
                n++;
            }
        }
        return n;
    }
}
