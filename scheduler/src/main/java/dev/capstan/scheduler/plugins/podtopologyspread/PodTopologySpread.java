package dev.capstan.scheduler.plugins.podtopologyspread;

import dev.capstan.model.labels.LabelSelector;
import dev.capstan.model.scheduling.NodeAffinity;
import dev.capstan.scheduler.framework.ClusterEvent;
import dev.capstan.scheduler.framework.CycleState;
import dev.capstan.scheduler.framework.EnqueueExtensions;
import dev.capstan.scheduler.framework.FilterPlugin;
import dev.capstan.scheduler.framework.Handle;
import dev.capstan.scheduler.framework.NodeInfo;
import dev.capstan.scheduler.framework.PluginFactory;
import dev.capstan.scheduler.framework.PodIndex;
import dev.capstan.scheduler.framework.PodInfo;
import dev.capstan.scheduler.framework.PreFilterPlugin;
import dev.capstan.scheduler.framework.PreScorePlugin;
import dev.capstan.scheduler.framework.ScorePlugin;
import dev.capstan.scheduler.framework.Snapshot;
import dev.capstan.scheduler.framework.Status;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Upstream's podtopologyspread plugin with the system-default constraints (pods without constraints of their own are
 * spread by hostname and zone over the pods of their Services and controller, see {@link DefaultSelector}). PreFilter
 * counts the matching pods per domain of each DoNotSchedule constraint over the eligible nodes — visiting only those
 * the snapshot's {@link PodIndex} names for the selector — and keeps the two smallest domains (critical paths); Filter
 * then checks {@code matching + self - globalMin <= maxSkew} per constraint.
 */
public final class PodTopologySpread
        implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin, EnqueueExtensions {
    public static final String NAME = "PodTopologySpread";
    public static final String ERR_REASON_CONSTRAINTS_NOT_MATCH =
            "node(s) didn't match pod topology spread constraints";
    public static final String ERR_REASON_NODE_LABEL_NOT_MATCH =
            ERR_REASON_CONSTRAINTS_NOT_MATCH + " (missing required label)";
    public static final PluginFactory FACTORY = PodTopologySpread::new;

    // Filter rejects a share of the nodes it checks in every cycle: one immutable status each, not one per node
    private static final Status LABEL_NOT_MATCH =
            Status.unresolvable(ERR_REASON_NODE_LABEL_NOT_MATCH).withPlugin(NAME);
    private static final Status CONSTRAINTS_NOT_MATCH =
            Status.unschedulable(ERR_REASON_CONSTRAINTS_NOT_MATCH).withPlugin(NAME);

    private static final String PRE_FILTER_KEY = "PreFilter" + NAME;
    private static final String PRE_SCORE_KEY = "PreScore" + NAME;

    private final Handle handle;

    private PodTopologySpread(Handle handle) {
        this.handle = handle;
    }

    static final class PreFilterState implements CycleState.Data {
        final List<Constraint> constraints;
        final List<Map<String, Integer>> tpValueToMatchNum;
        final List<CriticalPaths> criticalPaths;

        /** Whether the incoming pod matches each constraint's selector (the "self" of the skew), computed once. */
        int[] selfMatch;

        /** minMatchNum of each constraint, which Filter reads for every node checked: kept as the counts change. */
        private final int[] minMatch;

        PreFilterState(List<Constraint> constraints, List<Map<String, Integer>> counts, List<CriticalPaths> paths) {
            this.constraints = constraints;
            this.tpValueToMatchNum = counts;
            this.criticalPaths = paths;
            this.minMatch = new int[constraints.size()];
            for (int i = 0; i < minMatch.length; i++) {
                minMatch[i] = computeMinMatchNum(i);
            }
        }

        @Override
        public CycleState.Data copy() {
            List<Map<String, Integer>> counts = new ArrayList<>();
            tpValueToMatchNum.forEach(m -> counts.add(new HashMap<>(m)));
            List<CriticalPaths> paths = new ArrayList<>();
            criticalPaths.forEach(p -> paths.add(p.copy()));
            PreFilterState c = new PreFilterState(constraints, counts, paths);
            c.selfMatch = selfMatch;
            return c;
        }

        int minMatchNum(int i) {
            return minMatch[i];
        }

        /** Upstream's minMatchNum: the smallest domain's count, or 0 while there are fewer domains than minDomains. */
        private int computeMinMatchNum(int i) {
            Constraint c = constraints.get(i);
            if (tpValueToMatchNum.get(i).size() < c.minDomains()) {
                return 0;
            }
            return criticalPaths.get(i).min();
        }

        void updateWithPod(PodInfo existing, PodInfo preemptor, NodeInfo node, int delta) {
            if (!existing.namespace().equals(preemptor.namespace()) || node.node() == null) {
                return;
            }
            if (!Constraint.nodeHasAllKeys(node.labels(), constraints)) {
                return;
            }
            for (int i = 0; i < constraints.size(); i++) {
                Constraint c = constraints.get(i);
                if (!c.selector().matches(existing.labels())) {
                    continue;
                }
                String v = node.labels().get(c.topologyKey());
                int n = tpValueToMatchNum.get(i).merge(v, delta, Integer::sum);
                criticalPaths.get(i).update(v, n);
                minMatch[i] = computeMinMatchNum(i);
            }
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Status preFilter(CycleState state, PodInfo pod) {
        List<Constraint> constraints = Constraint.of(pod, Constraint.DO_NOT_SCHEDULE);
        if (constraints.isEmpty()) {
            return Status.skip();
        }
        state.write(PRE_FILTER_KEY, calPreFilterState(pod, constraints, handle.snapshot()));
        return Status.SUCCESS;
    }

    /**
     * Upstream's calPreFilterState: the domains of every eligible node (every key present, inclusion policies), then
     * the matching pods per domain, counted only on the nodes the snapshot's {@link PodIndex} names as holding pods
     * with the selector's pinned labels (every node when the selector pins none): the same counts as a full scan.
     */
    static PreFilterState calPreFilterState(PodInfo pod, List<Constraint> constraints, Snapshot snapshot) {
        List<Map<String, Integer>> counts = new ArrayList<>(constraints.size());
        for (int i = 0; i < constraints.size(); i++) {
            counts.add(new HashMap<>());
        }
        NodeAffinity.Required required = pod.requiredNodeAffinity();
        List<String> keys = new ArrayList<>(constraints.size());
        constraints.forEach(c -> keys.add(c.topologyKey()));
        boolean perNode = false;
        for (int i = 0; i < constraints.size(); i++) {
            Constraint c = constraints.get(i);
            if (c.includesEveryNode(required)) {
                // every node with all keys counts: the snapshot caches those domains
                for (String value : snapshot.topologyValues(c.topologyKey(), keys)) {
                    counts.get(i).put(value, 0);
                }
            } else {
                perNode = true;
            }
        }
        if (perNode) {
            for (NodeInfo node : snapshot.list()) {
                if (!Constraint.nodeHasAllKeys(node.labels(), constraints)) {
                    continue;
                }
                for (int i = 0; i < constraints.size(); i++) {
                    Constraint c = constraints.get(i);
                    if (!c.includesEveryNode(required) && c.includes(pod, node, required)) {
                        counts.get(i).putIfAbsent(node.labels().get(c.topologyKey()), 0);
                    }
                }
            }
        }
        for (int i = 0; i < constraints.size(); i++) {
            Constraint c = constraints.get(i);
            int index = i;
            if (c.selector().isEmpty()) {
                continue; // counts nothing
            }
            if (c.includesEveryNode(required)) {
                // the snapshot follows these counts as pods come and go: no walk over the nodes
                snapshot.podIndex()
                        .domainCounts()
                        .counts(pod.namespace(), c.selector(), c.topologyKey(), keys, () -> candidates(snapshot, c))
                        .forEach((domain, n) -> counts.get(index).merge(domain, n, Integer::sum));
                continue;
            }
            for (NodeInfo node : candidates(snapshot, c)) {
                if (!Constraint.nodeHasAllKeys(node.labels(), constraints) || !c.includes(pod, node, required)) {
                    continue;
                }
                int n = Constraint.countMatching(node.pods(), c.selector(), pod.namespace());
                if (n > 0) {
                    counts.get(i).merge(node.labels().get(c.topologyKey()), n, Integer::sum);
                }
            }
        }
        List<CriticalPaths> paths = new ArrayList<>(constraints.size());
        for (Map<String, Integer> m : counts) {
            CriticalPaths p = new CriticalPaths();
            m.forEach(p::update);
            paths.add(p);
        }
        PreFilterState state = new PreFilterState(constraints, counts, paths);
        state.selfMatch = new int[constraints.size()];
        for (int i = 0; i < constraints.size(); i++) {
            state.selfMatch[i] = constraints.get(i).selector().matches(pod.labels()) ? 1 : 0;
        }
        return state;
    }

    /** The nodes that may hold pods matching the constraint's selector (a superset, from the index). */
    private static Collection<NodeInfo> candidates(Snapshot snapshot, Constraint c) {
        Collection<NodeInfo> nodes = snapshot.podIndex().candidateNodes(c.selector());
        return nodes == null ? snapshot.list() : nodes;
    }

    @Override
    public Extensions preFilterExtensions() {
        return new Extensions() {
            @Override
            public Status addPod(CycleState state, PodInfo podToSchedule, PodInfo podToAdd, NodeInfo node) {
                PreFilterState s = state.read(PRE_FILTER_KEY, PreFilterState.class);
                if (s != null) {
                    s.updateWithPod(podToAdd, podToSchedule, node, 1);
                }
                return Status.SUCCESS;
            }

            @Override
            public Status removePod(CycleState state, PodInfo podToSchedule, PodInfo podToRemove, NodeInfo node) {
                PreFilterState s = state.read(PRE_FILTER_KEY, PreFilterState.class);
                if (s != null) {
                    s.updateWithPod(podToRemove, podToSchedule, node, -1);
                }
                return Status.SUCCESS;
            }
        };
    }

    @Override
    public Status filter(CycleState state, PodInfo pod, NodeInfo node) {
        PreFilterState s = state.read(PRE_FILTER_KEY, PreFilterState.class);
        if (s == null) {
            return Status.error("reading \"" + PRE_FILTER_KEY + "\" from cycleState: not found");
        }
        for (int i = 0; i < s.constraints.size(); i++) {
            Constraint c = s.constraints.get(i);
            String value = node.labels().get(c.topologyKey());
            if (value == null) {
                return LABEL_NOT_MATCH;
            }
            int self = s.selfMatch[i];
            Integer matching = s.tpValueToMatchNum.get(i).get(value);
            int skew = (matching == null ? 0 : matching) + self - s.minMatchNum(i);
            if (skew > c.maxSkew()) {
                return CONSTRAINTS_NOT_MATCH;
            }
        }
        return Status.SUCCESS;
    }

    // ---- scoring (ScheduleAnyway) ----

    static final class PreScoreState implements CycleState.Data {
        final List<Constraint> constraints;
        final Set<String> ignoredNodes = new HashSet<>();
        final List<Map<String, long[]>> podCounts = new ArrayList<>();
        final double[] weights;
        /** Per constraint, the nodes that may hold matching pods (index view, valid for the cycle), or null: any. */
        final List<Collection<NodeInfo>> candidates = new ArrayList<>();

        PreScoreState(List<Constraint> constraints) {
            this.constraints = constraints;
            this.weights = new double[constraints.size()];
        }

        @Override
        public CycleState.Data copy() {
            return this;
        }
    }

    /**
     * Upstream's PreScore: the ScheduleAnyway constraints (the pod's own, or the system defaults with the default
     * selector when it has none), their domains among the filtered nodes, and the matching pods per domain over all
     * nodes (hostname counts are taken per node in Score). Only the pod's own constraints require nodes to carry
     * every topology key; with the defaults a node without a zone label is still spread by hostname.
     */
    @Override
    public Status preScore(CycleState state, PodInfo pod, List<NodeInfo> filtered) {
        List<NodeInfo> all = handle.snapshot().list();
        if (filtered.isEmpty() || all.isEmpty()) {
            return Status.SUCCESS;
        }
        boolean requireAllTopologies = Constraint.hasOwn(pod);
        List<Constraint> constraints =
                requireAllTopologies ? Constraint.of(pod, Constraint.SCHEDULE_ANYWAY) : defaultConstraints(pod);
        if (constraints.isEmpty()) {
            return Status.skip();
        }
        PreScoreState s = new PreScoreState(constraints);
        int[] topoSize = new int[constraints.size()];
        for (int i = 0; i < constraints.size(); i++) {
            s.podCounts.add(new HashMap<>());
        }
        for (NodeInfo node : filtered) {
            if (requireAllTopologies && !Constraint.nodeHasAllKeys(node.labels(), constraints)) {
                s.ignoredNodes.add(node.name());
                continue;
            }
            for (int i = 0; i < constraints.size(); i++) {
                Constraint c = constraints.get(i);
                if (c.topologyKey().equals(Constraint.HOSTNAME)) {
                    continue;
                }
                // a node without the key is the domain "" here, as upstream reads a missing Go map entry
                if (s.podCounts.get(i).putIfAbsent(node.labels().getOrDefault(c.topologyKey(), ""), new long[1])
                        == null) {
                    topoSize[i]++;
                }
            }
        }
        for (int i = 0; i < constraints.size(); i++) {
            int size = constraints.get(i).topologyKey().equals(Constraint.HOSTNAME)
                    ? filtered.size() - s.ignoredNodes.size()
                    : topoSize[i];
            s.weights[i] = Math.log(size + 2);
        }
        NodeAffinity.Required required = pod.requiredNodeAffinity();
        List<String> keys = new ArrayList<>(constraints.size());
        constraints.forEach(c -> keys.add(c.topologyKey()));
        for (int i = 0; i < constraints.size(); i++) {
            Constraint c = constraints.get(i);
            if (c.topologyKey().equals(Constraint.HOSTNAME) || c.selector().isEmpty()) {
                continue; // hostname counts are taken per node in Score; an empty selector counts nothing
            }
            Map<String, long[]> domains = s.podCounts.get(i);
            if (c.includesEveryNode(required)) {
                // the snapshot follows these counts: only the domains of the filtered nodes take theirs
                handle.snapshot()
                        .podIndex()
                        .domainCounts()
                        .counts(
                                pod.namespace(),
                                c.selector(),
                                c.topologyKey(),
                                requireAllTopologies ? keys : List.of(),
                                () -> candidates(handle.snapshot(), c))
                        .forEach((domain, n) -> {
                            long[] count = domains.get(domain);
                            if (count != null) {
                                count[0] += n;
                            }
                        });
                continue;
            }
            for (NodeInfo node : candidates(handle.snapshot(), c)) {
                if (requireAllTopologies && !Constraint.nodeHasAllKeys(node.labels(), constraints)) {
                    continue;
                }
                if (!c.includes(pod, node, required)) {
                    continue;
                }
                long[] count = s.podCounts.get(i).get(node.labels().getOrDefault(c.topologyKey(), ""));
                if (count != null) {
                    count[0] += Constraint.countMatching(node.pods(), c.selector(), pod.namespace());
                }
            }
        }
        for (Constraint c : constraints) {
            s.candidates.add(handle.snapshot().podIndex().candidateNodes(c.selector()));
        }
        state.write(PRE_SCORE_KEY, s);
        return Status.SUCCESS;
    }

    /** Upstream's buildDefaultConstraints for ScheduleAnyway: none when the default selector is empty. */
    private List<Constraint> defaultConstraints(PodInfo pod) {
        LabelSelector selector = DefaultSelector.of(pod, handle.workloadListers());
        return selector.isEmpty() ? List.of() : Constraint.systemDefaults(selector);
    }

    @Override
    public long score(CycleState state, PodInfo pod, NodeInfo node) {
        PreScoreState s = state.read(PRE_SCORE_KEY, PreScoreState.class);
        if (s == null || s.ignoredNodes.contains(node.name())) {
            return 0;
        }
        double score = 0;
        for (int i = 0; i < s.constraints.size(); i++) {
            Constraint c = s.constraints.get(i);
            String value = node.labels().get(c.topologyKey());
            if (value == null) {
                continue;
            }
            long cnt;
            if (c.topologyKey().equals(Constraint.HOSTNAME)) {
                Collection<NodeInfo> candidates = s.candidates.get(i);
                // a node the index does not name holds no matching pod
                cnt = candidates != null && !candidates.contains(node)
                        ? 0
                        : Constraint.countMatching(node.pods(), c.selector(), pod.namespace());
            } else {
                long[] count = s.podCounts.get(i).get(value);
                cnt = count == null ? 0 : count[0];
            }
            score += cnt * s.weights[i] + (c.maxSkew() - 1);
        }
        return Math.round(score);
    }

    /** Upstream's NormalizeScore: fewer matching pods score higher; ignored nodes get 0. */
    @Override
    public void normalize(CycleState state, PodInfo pod, List<NodeInfo> nodes, long[] scores) {
        PreScoreState s = state.read(PRE_SCORE_KEY, PreScoreState.class);
        if (s == null) {
            return;
        }
        long min = Long.MAX_VALUE;
        long max = 0;
        for (int i = 0; i < scores.length; i++) {
            if (s.ignoredNodes.contains(nodes.get(i).name())) {
                continue;
            }
            min = Math.min(min, scores[i]);
            max = Math.max(max, scores[i]);
        }
        for (int i = 0; i < scores.length; i++) {
            if (s.ignoredNodes.contains(nodes.get(i).name())) {
                scores[i] = 0;
            } else if (max == 0) {
                scores[i] = MAX_NODE_SCORE;
            } else {
                scores[i] = MAX_NODE_SCORE * (max + min - scores[i]) / max;
            }
        }
    }

    // ---- queueing ----

    @Override
    public List<Registration> eventsToRegister() {
        Hint podChange = (pending, o, n) -> {
            Object obj = n != null ? n : o;
            if (!(obj instanceof Pod p)) {
                return true;
            }
            PodInfo changed = PodInfo.of(p);
            if (!changed.namespace().equals(pending.namespace())) {
                return false;
            }
            for (Constraint c : Constraint.of(pending, Constraint.DO_NOT_SCHEDULE)) {
                if (c.selector().matches(changed.labels())) {
                    return true;
                }
            }
            return false;
        };
        return List.of(
                new Registration(ClusterEvent.ASSIGNED_POD_ADD, podChange),
                new Registration(ClusterEvent.ASSIGNED_POD_UPDATE, podChange),
                new Registration(ClusterEvent.ASSIGNED_POD_DELETE, podChange),
                Registration.of(ClusterEvent.NODE_ADD),
                Registration.of(ClusterEvent.NODE_UPDATE),
                Registration.of(ClusterEvent.NODE_DELETE));
    }
}
