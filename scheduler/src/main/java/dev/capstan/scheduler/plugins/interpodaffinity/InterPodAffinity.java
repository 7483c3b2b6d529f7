package dev.capstan.scheduler.plugins.interpodaffinity;

import dev.capstan.scheduler.framework.AffinityTerm;
import dev.capstan.scheduler.framework.ClusterEvent;
import dev.capstan.scheduler.framework.CycleState;
import dev.capstan.scheduler.framework.EnqueueExtensions;
import dev.capstan.scheduler.framework.FilterPlugin;
import dev.capstan.scheduler.framework.Handle;
import dev.capstan.scheduler.framework.NodeInfo;
import dev.capstan.scheduler.framework.PluginFactory;
import dev.capstan.scheduler.framework.PodIndex;
import dev.capstan.scheduler.framework.PodIndex.TermKind;
import dev.capstan.scheduler.framework.PodInfo;
import dev.capstan.scheduler.framework.PreFilterPlugin;
import dev.capstan.scheduler.framework.PreScorePlugin;
import dev.capstan.scheduler.framework.ScorePlugin;
import dev.capstan.scheduler.framework.Snapshot;
import dev.capstan.scheduler.framework.Status;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Upstream's interpodaffinity plugin. PreFilter counts, per topology domain: existing pods whose required
 * anti-affinity matches the incoming pod, and existing pods matching the incoming pod's required affinity and
 * anti-affinity terms. Filter then only looks up the node's domains. Both counts, and PreScore's, come through the
 * snapshot's {@link PodIndex}: existing pods' terms filed under the incoming pod's labels, and the nodes holding pods
 * with the labels the incoming pod's terms pin — the same counts as upstream's walk over every pod.
 */
public final class InterPodAffinity
        implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin, EnqueueExtensions {
    public static final String NAME = "InterPodAffinity";
    public static final String ERR_REASON_EXISTING_ANTI_AFFINITY =
            "node(s) didn't satisfy existing pods anti-affinity rules";
    public static final String ERR_REASON_AFFINITY = "node(s) didn't match pod affinity rules";
    public static final String ERR_REASON_ANTI_AFFINITY = "node(s) didn't match pod anti-affinity rules";
    /** Upstream's default hardPodAffinityWeight: existing pods' required affinity counts this much in scoring. */
    public static final int HARD_POD_AFFINITY_WEIGHT = 1;

    public static final PluginFactory FACTORY = InterPodAffinity::new;

    private static final String PRE_FILTER_KEY = "PreFilter" + NAME;
    private static final String PRE_SCORE_KEY = "PreScore" + NAME;

    private final Handle handle;

    private InterPodAffinity(Handle handle) {
        this.handle = handle;
    }

    static final class PreFilterState implements CycleState.Data {
        final PodInfo pod;
        final Map<String, String> namespaceLabels;
        TopologyCounts existingAntiAffinityCounts;
        TopologyCounts affinityCounts;
        TopologyCounts antiAffinityCounts;

        PreFilterState(PodInfo pod, Map<String, String> namespaceLabels) {
            this.pod = pod;
            this.namespaceLabels = namespaceLabels;
        }

        @Override
        public CycleState.Data copy() {
            PreFilterState c = new PreFilterState(pod, namespaceLabels);
            c.existingAntiAffinityCounts = existingAntiAffinityCounts.copy();
            c.affinityCounts = affinityCounts.copy();
            c.antiAffinityCounts = antiAffinityCounts.copy();
            return c;
        }

        /** Upstream's updateWithPod: {@code existing} was added to (+1) or removed from (-1) {@code node}. */
        void updateWithPod(PodInfo existing, NodeInfo node, int multiplier, Function<String, Map<String, String>> ns) {
            Map<String, String> labels = node.labels();
            for (AffinityTerm t : existing.requiredAntiAffinityTerms()) {
                if (t.matches(pod, n -> namespaceLabels)) {
                    existingAntiAffinityCounts.update(labels, t.topologyKey(), multiplier);
                }
            }
            if (!pod.requiredAffinityTerms().isEmpty() && matchesAll(pod.requiredAffinityTerms(), existing, ns)) {
                for (AffinityTerm t : pod.requiredAffinityTerms()) {
                    affinityCounts.update(labels, t.topologyKey(), multiplier);
                }
            }
            for (AffinityTerm t : pod.requiredAntiAffinityTerms()) {
                if (t.matches(existing, ns)) {
                    antiAffinityCounts.update(labels, t.topologyKey(), multiplier);
                }
            }
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Status preFilter(CycleState state, PodInfo pod) {
        if (pod.parseError() != null) {
            return Status.unresolvable("parsing pod: " + pod.parseError());
        }
        PreFilterState s = new PreFilterState(pod, handle.namespaceLabels(pod.namespace()));
        Snapshot snapshot = handle.snapshot();
        s.existingAntiAffinityCounts = existingAntiAffinityCounts(pod, s.namespaceLabels, snapshot.podIndex());
        s.affinityCounts = new TopologyCounts();
        s.antiAffinityCounts = new TopologyCounts();
        if (!pod.requiredAffinityTerms().isEmpty()
                || !pod.requiredAntiAffinityTerms().isEmpty()) {
            Set<NodeInfo> visit = nodesToVisit(snapshot, pod.requiredAffinityTerms(), pod.requiredAntiAffinityTerms());
            incomingCounts(
                    pod,
                    visit == null ? snapshot.list() : visit,
                    s.affinityCounts,
                    s.antiAffinityCounts,
                    handle::namespaceLabels);
        }
        if (s.existingAntiAffinityCounts.isEmpty()
                && pod.requiredAffinityTerms().isEmpty()
                && pod.requiredAntiAffinityTerms().isEmpty()) {
            return Status.skip();
        }
        state.write(PRE_FILTER_KEY, s);
        return Status.SUCCESS;
    }

    /**
     * Upstream's getExistingAntiAffinityCounts: existing pods' required anti-affinity terms that match the incoming
     * pod, counted on their nodes' domains. The index yields the terms filed under the incoming pod's labels (and
     * those pinning no label) with the pods carrying them per node, so this costs the matching terms, not the pods.
     */
    static TopologyCounts existingAntiAffinityCounts(PodInfo pod, Map<String, String> nsLabels, PodIndex index) {
        TopologyCounts counts = new TopologyCounts();
        Function<String, Map<String, String>> ns = n -> nsLabels;
        for (AffinityTerm t : index.termCandidates(TermKind.REQUIRED_ANTI_AFFINITY, pod)) {
            if (t.matches(pod, ns)) {
                for (Map.Entry<NodeInfo, int[]> e :
                        index.nodesWithTerm(TermKind.REQUIRED_ANTI_AFFINITY, t).entrySet()) {
                    counts.update(e.getKey().labels(), t.topologyKey(), e.getValue()[0]);
                }
            }
        }
        return counts;
    }

    /**
     * The nodes that may hold pods matching all the affinity terms or any anti-affinity term (from the index, each
     * node once; a new set the caller may extend), or null for every node when some term's selector pins no label.
     */
    static Set<NodeInfo> nodesToVisit(Snapshot snapshot, List<AffinityTerm> all, List<AffinityTerm> any) {
        Set<NodeInfo> visit = Collections.newSetFromMap(new IdentityHashMap<>());
        if (!all.isEmpty()) {
            Collection<NodeInfo> best = null;
            for (AffinityTerm t : all) {
                Collection<NodeInfo> c = snapshot.podIndex().candidateNodes(t.selector());
                if (c != null && (best == null || c.size() < best.size())) {
                    best = c;
                }
            }
            if (best == null) {
                return null;
            }
            visit.addAll(best);
        }
        for (AffinityTerm t : any) {
            Collection<NodeInfo> c = snapshot.podIndex().candidateNodes(t.selector());
            if (c == null) {
                return null;
            }
            visit.addAll(c);
        }
        return visit;
    }

    /** Upstream's getIncomingAffinityAntiAffinityCounts: existing pods matching the incoming pod's terms. */
    static void incomingCounts(
            PodInfo pod,
            Collection<NodeInfo> nodes,
            TopologyCounts affinity,
            TopologyCounts antiAffinity,
            Function<String, Map<String, String>> ns) {
        List<AffinityTerm> aff = pod.requiredAffinityTerms();
        List<AffinityTerm> anti = pod.requiredAntiAffinityTerms();
        for (NodeInfo node : nodes) {
            Map<String, String> labels = node.labels();
            if (node.pods().isEmpty() || !hasAnyKey(labels, aff, anti)) {
                continue;
            }
            for (PodInfo existing : node.pods()) {
                if (!aff.isEmpty() && matchesAll(aff, existing, ns)) {
                    for (AffinityTerm t : aff) {
                        affinity.update(labels, t.topologyKey(), 1);
                    }
                }
                for (AffinityTerm t : anti) {
                    if (t.matches(existing, ns)) {
                        antiAffinity.update(labels, t.topologyKey(), 1);
                    }
                }
            }
        }
    }

    private static boolean hasAnyKey(Map<String, String> labels, List<AffinityTerm> a, List<AffinityTerm> b) {
        for (AffinityTerm t : a) {
            if (labels.containsKey(t.topologyKey())) {
                return true;
            }
        }
        for (AffinityTerm t : b) {
            if (labels.containsKey(t.topologyKey())) {
                return true;
            }
        }
        return false;
    }

    /** Upstream's podMatchesAllAffinityTerms: false for no terms. */
    static boolean matchesAll(List<AffinityTerm> terms, PodInfo pod, Function<String, Map<String, String>> ns) {
        if (terms.isEmpty()) {
            return false;
        }
        for (AffinityTerm t : terms) {
            if (!t.matches(pod, ns)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public Extensions preFilterExtensions() {
        return new Extensions() {
            @Override
            public Status addPod(CycleState state, PodInfo podToSchedule, PodInfo podToAdd, NodeInfo node) {
                return update(state, podToAdd, node, 1);
            }

            @Override
            public Status removePod(CycleState state, PodInfo podToSchedule, PodInfo podToRemove, NodeInfo node) {
                return update(state, podToRemove, node, -1);
            }
        };
    }

    private Status update(CycleState state, PodInfo pod, NodeInfo node, int multiplier) {
        PreFilterState s = state.read(PRE_FILTER_KEY, PreFilterState.class);
        if (s != null) {
            s.updateWithPod(pod, node, multiplier, handle::namespaceLabels);
        }
        return Status.SUCCESS;
    }

    @Override
    public Status filter(CycleState state, PodInfo pod, NodeInfo node) {
        PreFilterState s = state.read(PRE_FILTER_KEY, PreFilterState.class);
        if (s == null) {
            return Status.error("reading \"" + PRE_FILTER_KEY + "\" from cycleState: not found");
        }
        if (!satisfyPodAffinity(s, node.labels())) {
            return Status.unresolvable(ERR_REASON_AFFINITY);
        }
        if (!satisfyPodAntiAffinity(s, node.labels())) {
            return Status.unschedulable(ERR_REASON_ANTI_AFFINITY);
        }
        if (!s.existingAntiAffinityCounts.isEmpty() && s.existingAntiAffinityCounts.anyPositive(node.labels())) {
            return Status.unschedulable(ERR_REASON_EXISTING_ANTI_AFFINITY);
        }
        return Status.SUCCESS;
    }

    /**
     * Upstream's satisfyPodAffinity: every term's domain on this node holds a matching pod; or no pod matches at all
     * and the pod matches its own terms (the first of a group with affinity to itself), given the node has every key.
     */
    static boolean satisfyPodAffinity(PreFilterState s, Map<String, String> nodeLabels) {
        boolean podsExist = true;
        for (AffinityTerm t : s.pod.requiredAffinityTerms()) {
            String value = nodeLabels.get(t.topologyKey());
            if (value == null) {
                return false;
            }
            if (s.affinityCounts.get(t.topologyKey(), value) <= 0) {
                podsExist = false;
            }
        }
        if (!podsExist) {
            return s.affinityCounts.isEmpty()
                    && matchesAll(s.pod.requiredAffinityTerms(), s.pod, ns -> s.namespaceLabels);
        }
        return true;
    }

    static boolean satisfyPodAntiAffinity(PreFilterState s, Map<String, String> nodeLabels) {
        if (s.antiAffinityCounts.isEmpty()) {
            return true;
        }
        for (AffinityTerm t : s.pod.requiredAntiAffinityTerms()) {
            String value = nodeLabels.get(t.topologyKey());
            if (value != null && s.antiAffinityCounts.get(t.topologyKey(), value) > 0) {
                return false;
            }
        }
        return true;
    }

    // ---- scoring ----

    private record PreScoreState(TopologyCounts topologyScore) implements CycleState.Data {
        @Override
        public CycleState.Data copy() {
            return this;
        }
    }

    @Override
    public Status preScore(CycleState state, PodInfo pod, List<NodeInfo> nodes) {
        if (nodes.isEmpty()) {
            return Status.SUCCESS;
        }
        if (pod.parseError() != null) {
            return Status.error("failed to parse pod: " + pod.parseError());
        }
        Map<String, String> nsLabels = handle.namespaceLabels(pod.namespace());
        Function<String, Map<String, String>> incomingNs = n -> nsLabels;
        Function<String, Map<String, String>> ns = handle::namespaceLabels;
        TopologyCounts score = new TopologyCounts();
        if (!pod.preferredAffinityTerms().isEmpty()
                || !pod.preferredAntiAffinityTerms().isEmpty()) {
            Set<NodeInfo> visit = nodesToVisit(handle.snapshot(), List.of(), preferredTerms(pod));
            for (NodeInfo node : visit == null ? handle.snapshot().list() : visit) {
                if (node.labels().isEmpty()) {
                    continue;
                }
                for (PodInfo existing : node.pods()) {
                    processIncomingTerms(pod, existing, node.labels(), ns, score);
                }
            }
        }
        PodIndex index = handle.snapshot().podIndex();
        existingTermsScore(index, TermKind.REQUIRED_AFFINITY, pod, incomingNs, score);
        existingTermsScore(index, TermKind.PREFERRED_AFFINITY, pod, incomingNs, score);
        existingTermsScore(index, TermKind.PREFERRED_ANTI_AFFINITY, pod, incomingNs, score);
        if (score.isEmpty()) {
            return Status.skip();
        }
        state.write(PRE_SCORE_KEY, new PreScoreState(score));
        return Status.SUCCESS;
    }

    private static List<AffinityTerm> preferredTerms(PodInfo pod) {
        List<AffinityTerm> terms = new ArrayList<>(pod.preferredAffinityTerms());
        terms.addAll(pod.preferredAntiAffinityTerms());
        return terms;
    }

    /** The first half of upstream's processExistingPod: the incoming pod's preferred terms matching the existing pod. */
    static void processIncomingTerms(
            PodInfo incoming,
            PodInfo existing,
            Map<String, String> nodeLabels,
            Function<String, Map<String, String>> ns,
            TopologyCounts score) {
        for (AffinityTerm t : incoming.preferredAffinityTerms()) {
            if (t.matches(existing, ns)) {
                score.update(nodeLabels, t.topologyKey(), t.weight());
            }
        }
        for (AffinityTerm t : incoming.preferredAntiAffinityTerms()) {
            if (t.matches(existing, ns)) {
                score.update(nodeLabels, t.topologyKey(), -t.weight());
            }
        }
    }

    /**
     * The second half of upstream's processExistingPod, by term instead of by pod: each existing pod's required
     * affinity (weight {@value #HARD_POD_AFFINITY_WEIGHT}), preferred affinity (+weight) and preferred anti-affinity
     * (-weight) term that matches the incoming pod adds to its node's domain; the index gives each matching term
     * with the number of pods per node carrying it. Nodes without labels count nothing, as upstream.
     */
    static void existingTermsScore(
            PodIndex index,
            TermKind kind,
            PodInfo incoming,
            Function<String, Map<String, String>> incomingNs,
            TopologyCounts score) {
        for (AffinityTerm t : index.termCandidates(kind, incoming)) {
            if (!t.matches(incoming, incomingNs)) {
                continue;
            }
            long weight = switch (kind) {
                case REQUIRED_AFFINITY -> HARD_POD_AFFINITY_WEIGHT;
                case PREFERRED_AFFINITY -> t.weight();
                case PREFERRED_ANTI_AFFINITY -> -t.weight();
                case REQUIRED_ANTI_AFFINITY -> 0;
            };
            for (Map.Entry<NodeInfo, int[]> e : index.nodesWithTerm(kind, t).entrySet()) {
                Map<String, String> labels = e.getKey().labels();
                if (!labels.isEmpty()) {
                    score.update(labels, t.topologyKey(), weight * e.getValue()[0]);
                }
            }
        }
    }

    @Override
    public long score(CycleState state, PodInfo pod, NodeInfo node) {
        PreScoreState s = state.read(PRE_SCORE_KEY, PreScoreState.class);
        return s == null ? 0 : s.topologyScore().sumFor(node.labels());
    }

    /** Upstream's NormalizeScore: min-max scaling onto [0, 100]; all equal gives 0. */
    @Override
    public void normalize(CycleState state, PodInfo pod, List<NodeInfo> nodes, long[] scores) {
        if (state.read(PRE_SCORE_KEY, PreScoreState.class) == null) {
            return;
        }
        minMaxNormalize(scores);
    }

    static void minMaxNormalize(long[] scores) {
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (long s : scores) {
            min = Math.min(min, s);
            max = Math.max(max, s);
        }
        long diff = max - min;
        for (int i = 0; i < scores.length; i++) {
            scores[i] = diff > 0 ? (long) (MAX_NODE_SCORE * ((double) (scores[i] - min) / diff)) : 0;
        }
    }

    // ---- queueing ----

    @Override
    public List<Registration> eventsToRegister() {
        Hint added = (pending, o, n) -> n instanceof Pod p && matchesAnyRequiredAffinity(pending, PodInfo.of(p));
        Hint deleted = (pending, o, n) -> o instanceof Pod p && mayHelpAfterDelete(pending, PodInfo.of(p));
        return List.of(
                new Registration(ClusterEvent.ASSIGNED_POD_ADD, added),
                Registration.of(ClusterEvent.ASSIGNED_POD_UPDATE),
                new Registration(ClusterEvent.ASSIGNED_POD_DELETE, deleted),
                Registration.of(ClusterEvent.NODE_ADD),
                Registration.of(ClusterEvent.NODE_UPDATE));
    }

    private static boolean matchesAnyRequiredAffinity(PodInfo pending, PodInfo added) {
        for (AffinityTerm t : pending.requiredAffinityTerms()) {
            if (t.matches(added, null)) {
                return true;
            }
        }
        return false;
    }

    private static boolean mayHelpAfterDelete(PodInfo pending, PodInfo deleted) {
        if (!deleted.requiredAntiAffinityTerms().isEmpty()) {
            return true;
        }
        for (AffinityTerm t : pending.requiredAntiAffinityTerms()) {
            if (t.matches(deleted, null)) {
                return true;
            }
        }
        return false;
    }
}
