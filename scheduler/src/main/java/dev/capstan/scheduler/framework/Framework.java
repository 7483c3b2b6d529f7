package dev.capstan.scheduler.framework;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Upstream's frameworkImpl for one {@link Profile}: instantiates the profile's plugins from the {@link Registry} and
 * runs the extension points in upstream's order — PreEnqueue (for the queue), PreFilter, Filter per node (first rejection wins), PostFilter,
 * PreScore, Score, NormalizeScore, then the weighted sum. It is the plugins' {@link Handle}. Not thread-safe: one
 * scheduling thread drives it; {@link #snapshot(Snapshot)} is set at the start of each cycle.
 */
public final class Framework implements Handle {
    private final Profile profile;
    private final Function<String, Map<String, String>> namespaceLabels;
    private final Nominator nominator;
    private final WorkloadListers workloadListers;
    private final Map<String, Plugin> plugins = new LinkedHashMap<>();
    private final List<PreEnqueuePlugin> preEnqueues = new ArrayList<>();
    private final List<PreFilterPlugin> preFilters = new ArrayList<>();
    private final List<FilterPlugin> filters = new ArrayList<>();
    private final List<PostFilterPlugin> postFilters = new ArrayList<>();
    private final List<PreScorePlugin> preScores = new ArrayList<>();
    private final List<ScorePlugin> scores = new ArrayList<>();
    private final List<Integer> scoreWeights = new ArrayList<>();
    private Snapshot snapshot = new Snapshot();

    /**
     * @param namespaceLabels a namespace's labels (null when unknown), for pod affinity's namespaceSelector
     * @throws IllegalArgumentException when the profile names a plugin the registry lacks, with the known names
     */
    public Framework(
            Profile profile,
            Registry registry,
            Function<String, Map<String, String>> namespaceLabels,
            Nominator nominator) {
        this(profile, registry, namespaceLabels, nominator, WorkloadListers.NONE);
    }

    /**
     * @param workloadListers Services and controllers for default topology spreading
     * @throws IllegalArgumentException when the profile names a plugin the registry lacks, with the known names
     */
    public Framework(
            Profile profile,
            Registry registry,
            Function<String, Map<String, String>> namespaceLabels,
            Nominator nominator,
            WorkloadListers workloadListers) {
        this.profile = profile;
        this.workloadListers = workloadListers == null ? WorkloadListers.NONE : workloadListers;
        this.namespaceLabels = namespaceLabels == null ? ns -> null : namespaceLabels;
        this.nominator = nominator == null ? Nominator.NONE : nominator;
        for (Profile.PluginConfig cfg : profile.plugins()) {
            PluginFactory factory = registry.get(cfg.name());
            if (factory == null) {
                throw new IllegalArgumentException("profile " + profile.schedulerName() + ": plugin \"" + cfg.name()
                        + "\" does not exist; known plugins: " + registry.names());
            }
            if (plugins.containsKey(cfg.name())) {
                throw new IllegalArgumentException(
                        "profile " + profile.schedulerName() + ": plugin \"" + cfg.name() + "\" enabled twice");
            }
            Plugin p = factory.create(this);
            plugins.put(cfg.name(), p);
            if (p instanceof PreEnqueuePlugin x) {
                preEnqueues.add(x);
            }
            if (p instanceof PreFilterPlugin x) {
                preFilters.add(x);
            }
            if (p instanceof FilterPlugin x) {
                filters.add(x);
            }
            if (p instanceof PostFilterPlugin x) {
                postFilters.add(x);
            }
            if (p instanceof PreScorePlugin x) {
                preScores.add(x);
            }
            if (p instanceof ScorePlugin x && cfg.weight() > 0) {
                scores.add(x);
                scoreWeights.add(cfg.weight());
            }
        }
    }

    public Profile profile() {
        return profile;
    }

    public String schedulerName() {
        return profile.schedulerName();
    }

    public Map<String, Plugin> plugins() {
        return plugins;
    }

    public boolean hasFilterPlugins() {
        return !filters.isEmpty();
    }

    public boolean hasScorePlugins() {
        return !scores.isEmpty();
    }

    public void snapshot(Snapshot s) {
        this.snapshot = s;
    }

    @Override
    public Snapshot snapshot() {
        return snapshot;
    }

    @Override
    public Map<String, String> namespaceLabels(String namespace) {
        return namespaceLabels.apply(namespace);
    }

    @Override
    public Nominator nominator() {
        return nominator;
    }

    @Override
    public WorkloadListers workloadListers() {
        return workloadListers;
    }

    /**
     * Upstream's runPreEnqueuePlugins: the first status that is not SUCCESS, with its plugin set; called from informer
     * threads (PreEnqueue plugins are stateless).
     */
    public Status runPreEnqueue(PodInfo pod) {
        for (PreEnqueuePlugin p : preEnqueues) {
            Status s = p.preEnqueue(pod);
            if (!s.isSuccess()) {
                return s.withPlugin(p.name());
            }
        }
        return Status.SUCCESS;
    }

    /**
     * Upstream's RunPreFilterPlugins: Skip adds the plugin to the cycle's skipped filters; the first rejection or
     * error is returned with its plugin set.
     */
    public Status runPreFilter(CycleState state, PodInfo pod) {
        for (PreFilterPlugin p : preFilters) {
            Status s;
            try {
                s = p.preFilter(state, pod);
            } catch (RuntimeException e) {
                s = Status.error("running PreFilter plugin \"" + p.name() + "\": " + e.getMessage());
            }
            if (s.isSkip()) {
                state.skipFilterPlugins().add(p.name());
            } else if (!s.isSuccess()) {
                return s.withPlugin(p.name());
            }
        }
        return Status.SUCCESS;
    }

    /** Upstream's RunFilterPlugins: the first plugin that does not return SUCCESS decides, with its name set. */
    public Status runFilter(CycleState state, PodInfo pod, NodeInfo node) {
        // called for every node checked: the skipped plugins are left out once per cycle, and an indexed loop
        // allocates no iterator (the components run on C1, which does not remove such allocations)
        List<FilterPlugin> toRun = state.filtersToRun(filters);
        for (int i = 0; i < toRun.size(); i++) {
            FilterPlugin p = toRun.get(i);
            Status s = p.filter(state, pod, node);
            if (!s.isSuccess()) {
                return s.withPlugin(p.name());
            }
        }
        return Status.SUCCESS;
    }

    /**
     * Upstream's RunFilterPluginsWithNominatedPods: when pods of equal or higher priority are nominated to the node,
     * the filters run once with them added (to the NodeInfo and the PreFilter state) and, if that passes, once
     * without them — inter-pod affinity may need the second pass.
     */
    @Override
    public Status runFilterWithNominatedPods(CycleState state, PodInfo pod, NodeInfo node) {
        List<PodInfo> nominated = nominator.nominatedPodsForNode(node.name());
        if (nominated.isEmpty()) {
            return runFilter(state, pod, node);
        }
        NodeInfo withNominated = null;
        CycleState stateWithNominated = null;
        for (PodInfo n : nominated) {
            if (n.priority() >= pod.priority() && !n.key().equals(pod.key())) {
                if (withNominated == null) {
                    withNominated = node.copy();
                    stateWithNominated = state.copy();
                }
                withNominated.addPod(n);
                Status s = runPreFilterExtensionAddPod(stateWithNominated, pod, n, withNominated);
                if (!s.isSuccess()) {
                    return s;
                }
            }
        }
        if (withNominated == null) {
            return runFilter(state, pod, node);
        }
        Status first = runFilter(stateWithNominated, pod, withNominated);
        if (!first.isSuccess()) {
            return first;
        }
        return runFilter(state, pod, node);
    }

    @Override
    public Status runPreFilterExtensionAddPod(
            CycleState state, PodInfo podToSchedule, PodInfo podToAdd, NodeInfo node) {
        for (PreFilterPlugin p : preFilters) {
            PreFilterPlugin.Extensions ext = p.preFilterExtensions();
            if (ext == null || state.skipFilterPlugins().contains(p.name())) {
                continue;
            }
            Status s = ext.addPod(state, podToSchedule, podToAdd, node);
            if (!s.isSuccess()) {
                return Status.error("running AddPod on PreFilter plugin \"" + p.name() + "\": " + s.message());
            }
        }
        return Status.SUCCESS;
    }

    @Override
    public Status runPreFilterExtensionRemovePod(
            CycleState state, PodInfo podToSchedule, PodInfo podToRemove, NodeInfo node) {
        for (PreFilterPlugin p : preFilters) {
            PreFilterPlugin.Extensions ext = p.preFilterExtensions();
            if (ext == null || state.skipFilterPlugins().contains(p.name())) {
                continue;
            }
            Status s = ext.removePod(state, podToSchedule, podToRemove, node);
            if (!s.isSuccess()) {
                return Status.error("running RemovePod on PreFilter plugin \"" + p.name() + "\": " + s.message());
            }
        }
        return Status.SUCCESS;
    }

    /**
     * Upstream's RunPostFilterPlugins: the first plugin that nominates a node wins; otherwise the rejection messages
     * of the plugins are joined.
     */
    public PostFilterPlugin.Result runPostFilter(CycleState state, PodInfo pod, NodeToStatus statuses) {
        List<String> reasons = new ArrayList<>();
        PostFilterPlugin.Result last = PostFilterPlugin.Result.of(Status.unschedulable());
        for (PostFilterPlugin p : postFilters) {
            PostFilterPlugin.Result r = p.postFilter(state, pod, statuses);
            if (r.status().isSuccess()) {
                return r;
            }
            if (r.status().code() == Status.Code.ERROR) {
                return r;
            }
            reasons.addAll(r.status().reasons());
            last = r;
        }
        if (postFilters.size() <= 1) {
            return last;
        }
        return PostFilterPlugin.Result.of(Status.unschedulable(reasons.toArray(String[]::new)));
    }

    /** Upstream's RunPreScorePlugins: Skip adds the plugin to the cycle's skipped scores. */
    public Status runPreScore(CycleState state, PodInfo pod, List<NodeInfo> nodes) {
        for (PreScorePlugin p : preScores) {
            Status s = p.preScore(state, pod, nodes);
            if (s.isSkip()) {
                state.skipScorePlugins().add(p.name());
            } else if (!s.isSuccess()) {
                return Status.error("running PreScore plugin \"" + p.name() + "\": " + s.message());
            }
        }
        return Status.SUCCESS;
    }

    /**
     * Upstream's RunScorePlugins plus the weighted sum: each plugin's scores, normalized, must lie in [0, 100]; the
     * result is sum(weight × score) per node, in the order of {@code nodes}.
     *
     * @throws SchedulingException when a plugin fails or returns a score out of range
     */
    public long[] runScore(CycleState state, PodInfo pod, List<NodeInfo> nodes) {
        long[] total = new long[nodes.size()];
        long[] buf = new long[nodes.size()];
        Set<String> skip = state.skipScorePlugins();
        for (int p = 0; p < scores.size(); p++) {
            ScorePlugin plugin = scores.get(p);
            if (skip.contains(plugin.name())) {
                continue;
            }
            for (int i = 0; i < nodes.size(); i++) {
                buf[i] = plugin.score(state, pod, nodes.get(i));
            }
            plugin.normalize(state, pod, nodes, buf);
            int weight = scoreWeights.get(p);
            for (int i = 0; i < buf.length; i++) {
                if (buf[i] < ScorePlugin.MIN_NODE_SCORE || buf[i] > ScorePlugin.MAX_NODE_SCORE) {
                    throw new SchedulingException("plugin \"" + plugin.name() + "\" returns an invalid score " + buf[i]
                            + ", it should in the range of [0, 100] after normalizing");
                }
                total[i] += buf[i] * weight;
            }
        }
        return total;
    }

    /** The registrations of every plugin that implements {@link EnqueueExtensions}, by plugin name. */
    public Map<String, List<EnqueueExtensions.Registration>> eventRegistrations() {
        Map<String, List<EnqueueExtensions.Registration>> out = new LinkedHashMap<>();
        plugins.forEach((name, p) -> {
            if (p instanceof EnqueueExtensions e) {
                out.put(name, e.eventsToRegister());
            }
        });
        return out;
    }

    /** Names of the plugins that can reject pods (filters and prefilters). */
    public Set<String> rejectingPlugins() {
        Set<String> out = new HashSet<>();
        preFilters.forEach(p -> out.add(p.name()));
        filters.forEach(p -> out.add(p.name()));
        return out;
    }
}
