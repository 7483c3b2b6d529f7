package dev.capstan.scheduler.plugins.defaultpreemption;

import dev.capstan.scheduler.framework.CycleState;
import dev.capstan.scheduler.framework.FitError;
import dev.capstan.scheduler.framework.Handle;
import dev.capstan.scheduler.framework.NodeInfo;
import dev.capstan.scheduler.framework.NodeToStatus;
import dev.capstan.scheduler.framework.PluginFactory;
import dev.capstan.scheduler.framework.PodInfo;
import dev.capstan.scheduler.framework.PostFilterPlugin;
import dev.capstan.scheduler.framework.Status;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Upstream's defaultpreemption plugin (PodDisruptionBudgets are not considered: every victim counts as
 * non-violating). Evaluates up to max(100, 10% of) the nodes where preemption might help, starting at a random
 * offset; on each it removes all lower-priority pods, checks the pod fits, then reprieves victims from the most
 * important down while the pod still fits. Of the candidates it picks as upstream's pickOneNodeForPreemption.
 */
public final class DefaultPreemption implements PostFilterPlugin {
    public static final String NAME = "DefaultPreemption";
    public static final String NOT_HELPFUL = "Preemption is not helpful for scheduling";
    public static final String NO_VICTIMS = "No preemption victims found for incoming pod";
    public static final String NOT_ELIGIBLE_NEVER = "not eligible due to preemptionPolicy=Never.";
    public static final String NOT_ELIGIBLE_TERMINATING =
            "not eligible due to a terminating pod on the nominated node.";
    static final int MIN_CANDIDATE_NODES_PERCENTAGE = 10;
    static final int MIN_CANDIDATE_NODES_ABSOLUTE = 100;

    public static final PluginFactory FACTORY = handle -> new DefaultPreemption(handle, new Random());

    private final Handle handle;
    private final Random random;

    public DefaultPreemption(Handle handle, Random random) {
        this.handle = handle;
        this.random = random;
    }

    /** A node where the pod fits once {@code victims} (most important first) are gone. */
    public record Candidate(NodeInfo node, List<PodInfo> victims) {}

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Result postFilter(CycleState state, PodInfo pod, NodeToStatus statuses) {
        String notEligible = notEligibleReason(pod, statuses);
        if (notEligible != null) {
            return Result.of(Status.unschedulable("preemption: " + notEligible));
        }
        List<NodeInfo> all = handle.snapshot().list();
        NodeToStatus preemptionStatuses = new NodeToStatus();
        preemptionStatuses.absentNodesStatus(Status.unresolvable(NOT_HELPFUL));
        List<NodeInfo> potential = new ArrayList<>();
        for (NodeInfo n : all) {
            if (statuses.get(n.name()).code() == Status.Code.UNSCHEDULABLE_AND_UNRESOLVABLE) {
                preemptionStatuses.set(n.name(), Status.unresolvable(NOT_HELPFUL));
            } else {
                potential.add(n);
            }
        }
        List<Candidate> candidates =
                potential.isEmpty() ? List.of() : dryRun(state, pod, potential, preemptionStatuses);
        if (candidates.isEmpty()) {
            FitError fit = new FitError(pod, all.size(), preemptionStatuses, "", Set.of());
            Status s = Status.unschedulable("preemption: " + fit.getMessage());
            String nominated =
                    pod.pod().getStatus() == null ? null : pod.pod().getStatus().getNominatedNodeName();
            if (potential.isEmpty() && nominated != null && !nominated.isEmpty()) {
                // upstream clears the nomination when preemption cannot help anywhere
                return new Result("", List.of(), List.of(), s);
            }
            return Result.of(s);
        }
        Candidate best = pickOne(candidates);
        List<PodInfo> toClear = new ArrayList<>();
        for (PodInfo p : handle.nominator().nominatedPodsForNode(best.node().name())) {
            if (p.priority() < pod.priority()) {
                toClear.add(p);
            }
        }
        return new Result(best.node().name(), best.victims(), toClear, Status.SUCCESS);
    }

    /** Upstream's PodEligibleToPreemptOthers: null when eligible, else the reason. */
    String notEligibleReason(PodInfo pod, NodeToStatus statuses) {
        Pod p = pod.pod();
        if ("Never".equals(p.getSpec().getPreemptionPolicy())) {
            return NOT_ELIGIBLE_NEVER;
        }
        String nominated = p.getStatus() == null ? null : p.getStatus().getNominatedNodeName();
        if (nominated != null && !nominated.isEmpty()) {
            if (statuses.get(nominated).code() == Status.Code.UNSCHEDULABLE_AND_UNRESOLVABLE) {
                return null;
            }
            NodeInfo node = handle.snapshot().get(nominated);
            if (node != null) {
                for (PodInfo existing : node.pods()) {
                    if (existing.priority() < pod.priority() && terminatingByPreemption(existing.pod())) {
                        return NOT_ELIGIBLE_TERMINATING;
                    }
                }
            }
        }
        return null;
    }

    static boolean terminatingByPreemption(Pod p) {
        if (p.getMetadata() == null || p.getMetadata().getDeletionTimestamp() == null || p.getStatus() == null) {
            return false;
        }
        List<PodCondition> conditions = p.getStatus().getConditions();
        return conditions != null
                && conditions.stream()
                        .anyMatch(c -> "DisruptionTarget".equals(c.getType())
                                && "True".equals(c.getStatus())
                                && "PreemptionByScheduler".equals(c.getReason()));
    }

    /** Upstream's calculateNumCandidates. */
    static int numCandidates(int numNodes) {
        int n = numNodes * MIN_CANDIDATE_NODES_PERCENTAGE / 100;
        if (n < MIN_CANDIDATE_NODES_ABSOLUTE) {
            n = MIN_CANDIDATE_NODES_ABSOLUTE;
        }
        return Math.min(n, numNodes);
    }

    /** Upstream's DryRunPreemption, sequential: stops once enough candidates were found. */
    List<Candidate> dryRun(CycleState state, PodInfo pod, List<NodeInfo> potential, NodeToStatus statuses) {
        int wanted = numCandidates(potential.size());
        int offset = random.nextInt(potential.size());
        List<Candidate> candidates = new ArrayList<>();
        for (int i = 0; i < potential.size() && candidates.size() < wanted; i++) {
            NodeInfo node = potential.get((offset + i) % potential.size()).copy();
            CycleState copy = state.copy();
            List<PodInfo> victims = new ArrayList<>();
            Status s = selectVictimsOnNode(copy, pod, node, victims);
            if (s.isSuccess() && !victims.isEmpty()) {
                candidates.add(new Candidate(node, victims));
            } else {
                statuses.set(
                        node.name(),
                        s.isSuccess()
                                ? Status.error("expected at least one victim pod on node \"" + node.name() + "\"")
                                : s);
            }
        }
        return candidates;
    }

    /**
     * Upstream's SelectVictimsOnNode, on copies of the node and state: fills {@code victims} (most important first)
     * and returns SUCCESS, or the reason the pod cannot fit even without every lower-priority pod.
     */
    Status selectVictimsOnNode(CycleState state, PodInfo pod, NodeInfo node, List<PodInfo> victims) {
        List<PodInfo> potential = new ArrayList<>();
        for (PodInfo p : new ArrayList<>(node.pods())) {
            if (p.priority() < pod.priority()) {
                potential.add(p);
                node.removePod(p);
                Status s = handle.runPreFilterExtensionRemovePod(state, pod, p, node);
                if (!s.isSuccess()) {
                    return s;
                }
            }
        }
        if (potential.isEmpty()) {
            return Status.unresolvable(NO_VICTIMS);
        }
        Status fits = handle.runFilterWithNominatedPods(state, pod, node);
        if (!fits.isSuccess()) {
            return fits;
        }
        potential.sort(Victims::moreImportant);
        for (PodInfo p : potential) {
            node.addPod(p);
            Status s = handle.runPreFilterExtensionAddPod(state, pod, p, node);
            if (!s.isSuccess()) {
                return s;
            }
            if (!handle.runFilterWithNominatedPods(state, pod, node).isSuccess()) {
                node.removePod(p);
                Status r = handle.runPreFilterExtensionRemovePod(state, pod, p, node);
                if (!r.isSuccess()) {
                    return r;
                }
                victims.add(p);
            }
        }
        return Status.SUCCESS;
    }

    /** Upstream's pickOneNodeForPreemption (without PDB violations, which are all 0 here). */
    static Candidate pickOne(List<Candidate> candidates) {
        Candidate best = null;
        for (Candidate c : candidates) {
            if (best == null || Victims.better(c.victims(), best.victims()) < 0) {
                best = c;
            }
        }
        return best;
    }
}
