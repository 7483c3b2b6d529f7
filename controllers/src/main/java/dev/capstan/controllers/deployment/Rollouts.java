package dev.capstan.controllers.deployment;

import dev.capstan.client.workqueue.Result;
import dev.capstan.controllers.ControllerContext;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Upstream's rolling.go, recreate.go and progress.go: one step of a rollout, then the status. */
final class Rollouts {
    private final ControllerContext ctx;
    private final DeploymentSync sync;

    Rollouts(ControllerContext ctx, DeploymentSync sync) {
        this.ctx = ctx;
        this.sync = sync;
    }

    /** Upstream's rolloutRolling: scale the new ReplicaSet up, else old ones down, else clean up. */
    Result rolling(Deployment d, List<ReplicaSet> rsList) {
        DeploymentSync.Sets sets = sync.replicaSets(d, rsList, true);
        List<ReplicaSet> all = sets.all();
        ReplicaSet newRS = sets.newRS();
        if (reconcileNewReplicaSet(all, newRS, d)) {
            return rolloutStatus(d, all, newRS);
        }
        List<ReplicaSet> activeOld = new ArrayList<>(
                sets.old().stream().filter(ProportionalScaling::active).toList());
        if (reconcileOldReplicaSets(all, activeOld, newRS, d)) {
            return rolloutStatus(d, all, newRS);
        }
        if (DeploymentStatuses.complete(d, DeploymentSync.status(d))) {
            sync.cleanup(d, sets.old());
        }
        return rolloutStatus(d, all, newRS);
    }

    private boolean reconcileNewReplicaSet(List<ReplicaSet> all, ReplicaSet newRS, Deployment d) {
        int replicas = DeploymentUtil.replicas(d);
        int current = DeploymentUtil.replicas(newRS);
        if (current == replicas) {
            return false;
        }
        if (current > replicas) {
            return sync.scale(newRS, replicas, d);
        }
        return sync.scale(newRS, DeploymentUtil.newRSNewReplicas(d, all, newRS), d);
    }

    /**
     * Scales old ReplicaSets down as far as availability allows: at least replicas - maxUnavailable pods stay
     * available, counting the new ReplicaSet's unavailable pods against the budget.
     */
    private boolean reconcileOldReplicaSets(
            List<ReplicaSet> all, List<ReplicaSet> old, ReplicaSet newRS, Deployment d) {
        int oldCount = DeploymentStatuses.sum(old, DeploymentUtil::replicas);
        if (oldCount == 0) {
            return false;
        }
        int allCount = DeploymentStatuses.sum(all, DeploymentUtil::replicas);
        int minAvailable = DeploymentUtil.replicas(d) - DeploymentUtil.maxUnavailable(d);
        int newUnavailable = DeploymentUtil.replicas(newRS) - DeploymentStatuses.availableReplicas(newRS);
        int maxScaledDown = allCount - minAvailable - newUnavailable;
        if (maxScaledDown <= 0) {
            return false;
        }
        old.sort(DeploymentUtil.BY_CREATION);
        int cleaned = cleanupUnhealthy(old, d, maxScaledDown);
        List<ReplicaSet> allNow = new ArrayList<>(old);
        allNow.add(newRS);
        int scaledDown = scaleDownOld(allNow, old, d);
        return cleaned + scaledDown > 0;
    }

    /** Upstream's cleanupUnhealthyReplicas: old pods that are not available go first, oldest ReplicaSet first. */
    private int cleanupUnhealthy(List<ReplicaSet> old, Deployment d, int maxCleanup) {
        int total = 0;
        for (int i = 0; i < old.size(); i++) {
            ReplicaSet rs = old.get(i);
            if (total >= maxCleanup) {
                break;
            }
            int replicas = DeploymentUtil.replicas(rs);
            int available = DeploymentStatuses.availableReplicas(rs);
            if (replicas == 0 || replicas == available) {
                continue;
            }
            int down = Math.min(maxCleanup - total, replicas - available);
            if (down < 0) {
                // the status still counts pods of a scale-down not yet carried out: upstream refuses (and retries)
                // rather than scale an old ReplicaSet up in the middle of a rollout
                throw new IllegalStateException(String.format(
                        "when cleaning up unhealthy replicas, got invalid request to scale down %s/%s %d -> %d",
                        rs.getMetadata().getNamespace(), rs.getMetadata().getName(), replicas, replicas - down));
            }
            sync.scale(rs, replicas - down, d);
            old.set(i, withReplicas(rs, replicas - down));
            total += down;
        }
        return total;
    }

    /** Upstream's scaleDownOldReplicaSetsForRollingUpdate: available pods beyond minAvailable, oldest first. */
    private int scaleDownOld(List<ReplicaSet> all, List<ReplicaSet> old, Deployment d) {
        int minAvailable = DeploymentUtil.replicas(d) - DeploymentUtil.maxUnavailable(d);
        int available = DeploymentStatuses.sum(all, DeploymentStatuses::availableReplicas);
        if (available <= minAvailable) {
            return 0;
        }
        int total = 0;
        int budget = available - minAvailable;
        for (ReplicaSet rs : old) {
            if (total >= budget) {
                break;
            }
            int replicas = DeploymentUtil.replicas(rs);
            if (replicas == 0) {
                continue;
            }
            int down = Math.min(replicas, budget - total);
            sync.scale(rs, replicas - down, d);
            total += down;
        }
        return total;
    }

    private static ReplicaSet withReplicas(ReplicaSet rs, int replicas) {
        ReplicaSet copy = DeploymentSync.copy(rs);
        copy.getSpec().setReplicas(replicas);
        return copy;
    }

    /** Upstream's rolloutRecreate: old ReplicaSets to zero, wait for their pods to stop, then the new one up. */
    Result recreate(Deployment d, List<ReplicaSet> rsList, Map<String, List<Pod>> podsByRs) {
        DeploymentSync.Sets sets = sync.replicaSets(d, rsList, false);
        boolean scaledDown = false;
        for (ReplicaSet old : sets.old()) {
            if (ProportionalScaling.active(old)) {
                scaledDown |= sync.scale(old, 0, d);
            }
        }
        if (scaledDown || oldPodsRunning(sets.newRS(), sets.old(), podsByRs)) {
            return rolloutStatus(d, sets.all(), sets.newRS());
        }
        if (sets.newRS() == null) {
            sets = sync.replicaSets(d, rsList, true);
        }
        sync.scale(sets.newRS(), DeploymentUtil.replicas(d), d);
        if (DeploymentStatuses.complete(d, DeploymentSync.status(d))) {
            sync.cleanup(d, sets.old());
        }
        return rolloutStatus(d, sets.all(), sets.newRS());
    }

    /** Upstream's oldPodsRunning: old ReplicaSets report pods, or an old pod is in no terminal phase. */
    static boolean oldPodsRunning(ReplicaSet newRS, List<ReplicaSet> old, Map<String, List<Pod>> podsByRs) {
        if (DeploymentStatuses.sum(old, DeploymentStatuses::statusReplicas) > 0) {
            return true;
        }
        for (var e : podsByRs.entrySet()) {
            if (newRS != null && e.getKey().equals(newRS.getMetadata().getUid())) {
                continue;
            }
            for (Pod pod : e.getValue()) {
                String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
                if (!"Failed".equals(phase) && !"Succeeded".equals(phase)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Upstream's syncRolloutStatus with requeueStuckDeployment: the status, and when to look for a timeout. */
    Result rolloutStatus(Deployment d, List<ReplicaSet> all, ReplicaSet newRS) {
        Instant now = ctx.clock().instant();
        DeploymentStatus before = DeploymentSync.status(d);
        DeploymentStatus next = DeploymentStatuses.calculate(all, newRS, d, now);
        DeploymentStatuses.updateProgress(d, newRS, all, next, now);
        if (sync.writeStatusIfChanged(d, next)) {
            return Result.DONE; // the write comes back through the informer, which enqueues the Deployment
        }
        return stuckRequeue(d, before, next, now).orElse(Result.DONE);
    }

    private static Optional<Result> stuckRequeue(
            Deployment d, DeploymentStatus current, DeploymentStatus next, Instant now) {
        Optional<DeploymentCondition> cond = DeploymentStatuses.get(current, DeploymentStatuses.PROGRESSING);
        if (!DeploymentStatuses.hasProgressDeadline(d)
                || cond.isEmpty()
                || DeploymentStatuses.complete(d, next)
                || DeploymentStatuses.TIMED_OUT.equals(cond.get().getReason())) {
            return Optional.empty();
        }
        Optional<Instant> updated =
                dev.capstan.controllers.replicaset.PodStates.instant(cond.get().getLastUpdateTime());
        if (updated.isEmpty()) {
            return Optional.empty();
        }
        Duration after =
                Duration.between(now, updated.get().plusSeconds(d.getSpec().getProgressDeadlineSeconds()));
        if (after.compareTo(Duration.ofSeconds(1)) < 0) {
            return Optional.of(Result.requeueAfter(Duration.ofSeconds(1)));
        }
        return Optional.of(Result.requeueAfter(after.plusSeconds(1)));
    }
}
