package dev.capstan.controllers.deployment;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.ToIntFunction;

/** Upstream's deployment conditions, status calculation and progress checks (sync.go, progress.go, util). */
public final class DeploymentStatuses {
    public static final String AVAILABLE = "Available";
    public static final String PROGRESSING = "Progressing";
    public static final String REPLICA_FAILURE = "ReplicaFailure";

    public static final String MINIMUM_REPLICAS_AVAILABLE = "MinimumReplicasAvailable";
    public static final String MINIMUM_REPLICAS_UNAVAILABLE = "MinimumReplicasUnavailable";
    public static final String NEW_RS_CREATED = "NewReplicaSetCreated";
    public static final String FOUND_NEW_RS = "FoundNewReplicaSet";
    public static final String RS_UPDATED = "ReplicaSetUpdated";
    public static final String NEW_RS_AVAILABLE = "NewReplicaSetAvailable";
    public static final String TIMED_OUT = "ProgressDeadlineExceeded";
    public static final String PAUSED = "DeploymentPaused";
    public static final String RESUMED = "DeploymentResumed";
    public static final String FAILED_RS_CREATE = "ReplicaSetCreateError";

    private DeploymentStatuses() {}

    public static DeploymentCondition condition(
            String type, String status, String reason, String message, Instant now) {
        String t = now.truncatedTo(ChronoUnit.SECONDS).toString();
        return new DeploymentCondition(t, t, message, reason, status, type);
    }

    public static Optional<DeploymentCondition> get(DeploymentStatus status, String type) {
        if (status == null || status.getConditions() == null) {
            return Optional.empty();
        }
        return status.getConditions().stream()
                .filter(c -> type.equals(c.getType()))
                .findFirst();
    }

    /**
     * Upstream's SetDeploymentCondition: nothing changes when a condition of the type has the same status and reason;
     * the transition time is kept when only the reason changes.
     */
    public static void set(DeploymentStatus status, DeploymentCondition condition) {
        Optional<DeploymentCondition> current = get(status, condition.getType());
        if (current.isPresent()
                && Objects.equals(current.get().getStatus(), condition.getStatus())
                && Objects.equals(current.get().getReason(), condition.getReason())) {
            return;
        }
        if (current.isPresent() && Objects.equals(current.get().getStatus(), condition.getStatus())) {
            condition.setLastTransitionTime(current.get().getLastTransitionTime());
        }
        remove(status, condition.getType());
        status.getConditions().add(condition);
    }

    public static void remove(DeploymentStatus status, String type) {
        List<DeploymentCondition> kept =
                new ArrayList<>(status.getConditions() == null ? List.of() : status.getConditions());
        kept.removeIf(c -> type.equals(c.getType()));
        status.setConditions(kept);
    }

    static int sum(List<ReplicaSet> rss, ToIntFunction<ReplicaSet> f) {
        return rss.stream().filter(Objects::nonNull).mapToInt(f).sum();
    }

    static int specReplicas(ReplicaSet rs) {
        return DeploymentUtil.replicas(rs);
    }

    static int statusReplicas(ReplicaSet rs) {
        return rs.getStatus() == null || rs.getStatus().getReplicas() == null
                ? 0
                : rs.getStatus().getReplicas();
    }

    static int readyReplicas(ReplicaSet rs) {
        return rs.getStatus() == null || rs.getStatus().getReadyReplicas() == null
                ? 0
                : rs.getStatus().getReadyReplicas();
    }

    static int availableReplicas(ReplicaSet rs) {
        return rs.getStatus() == null || rs.getStatus().getAvailableReplicas() == null
                ? 0
                : rs.getStatus().getAvailableReplicas();
    }

    static int intOr(Integer v, int otherwise) {
        return v == null ? otherwise : v;
    }

    /** Upstream's calculateStatus: counts over all ReplicaSets and the Available condition. */
    public static DeploymentStatus calculate(List<ReplicaSet> all, ReplicaSet newRS, Deployment d, Instant now) {
        int available = sum(all, DeploymentStatuses::availableReplicas);
        int unavailable = Math.max(0, sum(all, DeploymentStatuses::specReplicas) - available);
        DeploymentStatus status = new DeploymentStatus();
        status.setObservedGeneration(d.getMetadata().getGeneration());
        status.setReplicas(sum(all, DeploymentStatuses::statusReplicas));
        status.setUpdatedReplicas(newRS == null ? 0 : statusReplicas(newRS));
        status.setReadyReplicas(sum(all, DeploymentStatuses::readyReplicas));
        status.setAvailableReplicas(available);
        status.setUnavailableReplicas(unavailable);
        status.setCollisionCount(d.getStatus() == null ? null : d.getStatus().getCollisionCount());
        status.setConditions(new ArrayList<>(
                d.getStatus() == null || d.getStatus().getConditions() == null
                        ? List.of()
                        : d.getStatus().getConditions()));
        if (available >= DeploymentUtil.replicas(d) - DeploymentUtil.maxUnavailable(d)) {
            set(
                    status,
                    condition(
                            AVAILABLE,
                            "True",
                            MINIMUM_REPLICAS_AVAILABLE,
                            "Deployment has minimum availability.",
                            now));
        } else {
            set(
                    status,
                    condition(
                            AVAILABLE,
                            "False",
                            MINIMUM_REPLICAS_UNAVAILABLE,
                            "Deployment does not have minimum availability.",
                            now));
        }
        return status;
    }

    public static boolean hasProgressDeadline(Deployment d) {
        Integer s = d.getSpec().getProgressDeadlineSeconds();
        return s != null && s != Integer.MAX_VALUE;
    }

    /** Upstream's DeploymentComplete. */
    public static boolean complete(Deployment d, DeploymentStatus s) {
        int replicas = DeploymentUtil.replicas(d);
        return intOr(s.getUpdatedReplicas(), 0) == replicas
                && intOr(s.getReplicas(), 0) == replicas
                && intOr(s.getAvailableReplicas(), 0) == replicas
                && (s.getObservedGeneration() == null ? 0 : s.getObservedGeneration())
                        >= (d.getMetadata().getGeneration() == null
                                ? 0
                                : d.getMetadata().getGeneration());
    }

    /** Upstream's DeploymentProgressing: more updated, fewer old, more ready or more available replicas. */
    public static boolean progressing(Deployment d, DeploymentStatus next) {
        DeploymentStatus old = d.getStatus() == null ? new DeploymentStatus() : d.getStatus();
        int oldOld = intOr(old.getReplicas(), 0) - intOr(old.getUpdatedReplicas(), 0);
        int newOld = intOr(next.getReplicas(), 0) - intOr(next.getUpdatedReplicas(), 0);
        return intOr(next.getUpdatedReplicas(), 0) > intOr(old.getUpdatedReplicas(), 0)
                || newOld < oldOld
                || intOr(next.getReadyReplicas(), 0) > intOr(old.getReadyReplicas(), 0)
                || intOr(next.getAvailableReplicas(), 0) > intOr(old.getAvailableReplicas(), 0);
    }

    /** Upstream's DeploymentTimedOut: the Progressing condition was last updated longer ago than the deadline. */
    public static boolean timedOut(Deployment d, DeploymentStatus next, Instant now) {
        if (!hasProgressDeadline(d)) {
            return false;
        }
        Optional<DeploymentCondition> c = get(next, PROGRESSING);
        if (c.isEmpty() || NEW_RS_AVAILABLE.equals(c.get().getReason())) {
            return false;
        }
        if (TIMED_OUT.equals(c.get().getReason())) {
            return true;
        }
        return dev.capstan.controllers.replicaset.PodStates.instant(c.get().getLastUpdateTime())
                .map(from -> from.plusSeconds(d.getSpec().getProgressDeadlineSeconds())
                        .isBefore(now))
                .orElse(false);
    }

    /** Upstream's syncRolloutStatus condition logic, applied to {@code next}. */
    public static void updateProgress(
            Deployment d, ReplicaSet newRS, List<ReplicaSet> all, DeploymentStatus next, Instant now) {
        if (!hasProgressDeadline(d)) {
            remove(next, PROGRESSING);
        }
        Optional<DeploymentCondition> current = get(d.getStatus(), PROGRESSING);
        boolean completeRollout = Objects.equals(next.getReplicas(), next.getUpdatedReplicas())
                && current.isPresent()
                && NEW_RS_AVAILABLE.equals(current.get().getReason());
        if (hasProgressDeadline(d) && !completeRollout) {
            String subject = newRS != null
                    ? "ReplicaSet \"" + newRS.getMetadata().getName() + "\""
                    : "Deployment \"" + d.getMetadata().getName() + "\"";
            if (complete(d, next)) {
                set(
                        next,
                        condition(
                                PROGRESSING, "True", NEW_RS_AVAILABLE, subject + " has successfully progressed.", now));
            } else if (progressing(d, next)) {
                DeploymentCondition c = condition(PROGRESSING, "True", RS_UPDATED, subject + " is progressing.", now);
                if (current.isPresent()) {
                    if ("True".equals(current.get().getStatus())) {
                        c.setLastTransitionTime(current.get().getLastTransitionTime());
                    }
                    remove(next, PROGRESSING);
                }
                set(next, c);
            } else if (timedOut(d, next, now)) {
                set(next, condition(PROGRESSING, "False", TIMED_OUT, subject + " has timed out progressing.", now));
            }
        }
        // the ReplicaFailure condition of the new ReplicaSet (else of the first old one with one) is the Deployment's
        Optional<DeploymentCondition> failure = replicaFailure(all, newRS);
        if (failure.isPresent()) {
            set(next, failure.get());
        } else {
            remove(next, REPLICA_FAILURE);
        }
    }

    /** Upstream's getReplicaFailures. */
    private static Optional<DeploymentCondition> replicaFailure(List<ReplicaSet> all, ReplicaSet newRS) {
        List<ReplicaSet> order = new ArrayList<>();
        if (newRS != null) {
            order.add(newRS);
        }
        all.stream().filter(rs -> rs != null && rs != newRS).forEach(order::add);
        for (ReplicaSet rs : order) {
            if (rs.getStatus() == null || rs.getStatus().getConditions() == null) {
                continue;
            }
            for (var c : rs.getStatus().getConditions()) {
                if (REPLICA_FAILURE.equals(c.getType())) {
                    return Optional.of(new DeploymentCondition(
                            c.getLastTransitionTime(),
                            c.getLastTransitionTime(),
                            c.getMessage(),
                            c.getReason(),
                            c.getStatus(),
                            REPLICA_FAILURE));
                }
            }
        }
        return Optional.empty();
    }
}
