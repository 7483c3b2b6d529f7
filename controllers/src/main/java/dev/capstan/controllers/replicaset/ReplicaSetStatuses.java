package dev.capstan.controllers.replicaset;

import dev.capstan.model.labels.LabelSelector;
import dev.capstan.model.pod.PodConditions;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetCondition;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatus;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Upstream's replica_set_utils.go calculateStatus: a ReplicaSet's status from its claimed active pods. */
public final class ReplicaSetStatuses {
    public static final String REPLICA_FAILURE = "ReplicaFailure";

    private ReplicaSetStatuses() {}

    /**
     * The status to write: counts of {@code pods}, the ReplicaFailure condition set on a failed create or delete and
     * removed once a pass succeeds, observedGeneration the object's generation.
     */
    public static ReplicaSetStatus calculate(ReplicaSet rs, List<Pod> pods, Exception manageError, Instant now) {
        Map<String, String> templateLabels =
                rs.getSpec().getTemplate() == null || rs.getSpec().getTemplate().getMetadata() == null
                        ? null
                        : rs.getSpec().getTemplate().getMetadata().getLabels();
        LabelSelector template = LabelSelector.fromSet(templateLabels == null ? Map.of() : templateLabels);
        int minReady = intOr(rs.getSpec().getMinReadySeconds(), 0);
        int fullyLabeled = 0;
        int ready = 0;
        int available = 0;
        for (Pod pod : pods) {
            Map<String, String> labels = pod.getMetadata().getLabels();
            if (template.matches(labels == null ? Map.of() : labels)) {
                fullyLabeled++;
            }
            if (PodConditions.isReady(pod)) {
                ready++;
                if (PodStates.isAvailable(pod, minReady, now)) {
                    available++;
                }
            }
        }
        ReplicaSetStatus old = rs.getStatus() == null ? new ReplicaSetStatus() : rs.getStatus();
        List<ReplicaSetCondition> conditions =
                new ArrayList<>(old.getConditions() == null ? List.of() : old.getConditions());
        boolean hasFailure = conditions.stream().anyMatch(c -> REPLICA_FAILURE.equals(c.getType()));
        if (manageError != null && !hasFailure) {
            int diff = pods.size() - intOr(rs.getSpec().getReplicas(), 1);
            String reason = diff < 0 ? "FailedCreate" : diff > 0 ? "FailedDelete" : "";
            conditions.add(new ReplicaSetCondition(
                    now.truncatedTo(ChronoUnit.SECONDS).toString(),
                    String.valueOf(manageError.getMessage()),
                    reason,
                    "True",
                    REPLICA_FAILURE));
        } else if (manageError == null && hasFailure) {
            conditions.removeIf(c -> REPLICA_FAILURE.equals(c.getType()));
        }
        ReplicaSetStatus status = new ReplicaSetStatus();
        status.setReplicas(pods.size());
        status.setFullyLabeledReplicas(fullyLabeled);
        status.setReadyReplicas(ready);
        status.setAvailableReplicas(available);
        status.setObservedGeneration(rs.getMetadata().getGeneration());
        status.setConditions(conditions.isEmpty() ? null : conditions);
        return status;
    }

    /** Whether writing {@code next} would change anything (upstream compares the counts and observedGeneration). */
    public static boolean differs(ReplicaSetStatus old, ReplicaSetStatus next) {
        if (old == null) {
            return true;
        }
        List<ReplicaSetCondition> oldConditions =
                old.getConditions() == null || old.getConditions().isEmpty() ? null : old.getConditions();
        return intOr(old.getReplicas(), 0) != intOr(next.getReplicas(), 0)
                || intOr(old.getFullyLabeledReplicas(), 0) != intOr(next.getFullyLabeledReplicas(), 0)
                || intOr(old.getReadyReplicas(), 0) != intOr(next.getReadyReplicas(), 0)
                || intOr(old.getAvailableReplicas(), 0) != intOr(next.getAvailableReplicas(), 0)
                || !Objects.equals(old.getObservedGeneration(), next.getObservedGeneration())
                || !Objects.equals(oldConditions, next.getConditions());
    }

    static int intOr(Integer value, int otherwise) {
        return value == null ? otherwise : value;
    }
}
