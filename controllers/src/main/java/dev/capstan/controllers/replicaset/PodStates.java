package dev.capstan.controllers.replicaset;

import dev.capstan.model.pod.PodConditions;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** Upstream's podutil and controller_utils helpers on a pod's phase and Ready condition. */
public final class PodStates {
    private PodStates() {}

    public static String phase(Pod pod) {
        return pod.getStatus() == null || pod.getStatus().getPhase() == null
                ? ""
                : pod.getStatus().getPhase();
    }

    /** Upstream's IsPodActive: not Succeeded, not Failed, not being deleted. */
    public static boolean isActive(Pod pod) {
        String phase = phase(pod);
        return !phase.equals("Succeeded")
                && !phase.equals("Failed")
                && pod.getMetadata().getDeletionTimestamp() == null;
    }

    public static Optional<PodCondition> readyCondition(Pod pod) {
        return PodConditions.get(pod, "Ready");
    }

    /** When the pod became ready; empty when not ready or the time is unknown. */
    public static Optional<Instant> readySince(Pod pod) {
        return readyCondition(pod)
                .filter(c -> "True".equals(c.getStatus()))
                .map(PodCondition::getLastTransitionTime)
                .flatMap(PodStates::instant);
    }

    /** Upstream's IsPodAvailable: ready, and ready for longer than minReadySeconds. */
    public static boolean isAvailable(Pod pod, int minReadySeconds, Instant now) {
        if (!PodConditions.isReady(pod)) {
            return false;
        }
        if (minReadySeconds == 0) {
            return true;
        }
        return readySince(pod)
                .map(t -> t.plusSeconds(minReadySeconds).isBefore(now))
                .orElse(false);
    }

    /** How long until a ready pod becomes available; empty when it is not ready or already available. */
    public static Optional<Duration> untilAvailable(Pod pod, int minReadySeconds, Instant now) {
        if (minReadySeconds == 0 || !PodConditions.isReady(pod) || isAvailable(pod, minReadySeconds, now)) {
            return Optional.empty();
        }
        return readySince(pod).map(t -> Duration.between(now, t.plusSeconds(minReadySeconds)));
    }

    /** An RFC 3339 timestamp as Kubernetes writes it; empty for null, blank or unparsable text. */
    public static Optional<Instant> instant(String timestamp) {
        if (timestamp == null || timestamp.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(timestamp));
        } catch (java.time.format.DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
