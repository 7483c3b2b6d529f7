package dev.capstan.model.pod;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import java.util.Optional;

/** Upstream's podutil readers of a pod's conditions. */
public final class PodConditions {
    private PodConditions() {}

    /** The condition of the type, if the pod's status has it. */
    public static Optional<PodCondition> get(Pod pod, String type) {
        if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
            return Optional.empty();
        }
        return pod.getStatus().getConditions().stream()
                .filter(c -> type.equals(c.getType()))
                .findFirst();
    }

    /** Upstream's IsPodReady: the Ready condition is True. */
    public static boolean isReady(Pod pod) {
        return get(pod, "Ready").map(c -> "True".equals(c.getStatus())).orElse(false);
    }
}
