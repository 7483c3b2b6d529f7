package dev.capstan.model.scheduling;

import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/** Taints against tolerations, as v1.Toleration.ToleratesTaint and component-helpers' scheduling helpers decide. */
public final class Tolerations {
    private Tolerations() {}

    /**
     * Upstream's ToleratesTaint: an empty effect tolerates every effect, an empty key (only meaningful with Exists)
     * every key; operator Exists ignores the value, Equal (or empty) requires it; any other operator tolerates
     * nothing.
     */
    public static boolean toleratesTaint(Toleration toleration, Taint taint) {
        String effect = nonNull(toleration.getEffect());
        if (!effect.isEmpty() && !effect.equals(nonNull(taint.getEffect()))) {
            return false;
        }
        String key = nonNull(toleration.getKey());
        if (!key.isEmpty() && !key.equals(nonNull(taint.getKey()))) {
            return false;
        }
        return switch (nonNull(toleration.getOperator())) {
            case "", "Equal" -> nonNull(toleration.getValue()).equals(nonNull(taint.getValue()));
            case "Exists" -> true;
            default -> false;
        };
    }

    /** Upstream's TolerationsTolerateTaint: some toleration tolerates the taint. */
    public static boolean tolerate(List<Toleration> tolerations, Taint taint) {
        return tolerations != null && tolerations.stream().anyMatch(t -> toleratesTaint(t, taint));
    }

    /**
     * Upstream's FindMatchingUntoleratedTaint: the first taint that passes {@code filter} (null for all) and that
     * no toleration tolerates.
     */
    public static Optional<Taint> findUntoleratedTaint(
            List<Taint> taints, List<Toleration> tolerations, Predicate<Taint> filter) {
        if (taints == null) {
            return Optional.empty();
        }
        return taints.stream()
                .filter(t -> filter == null || filter.test(t))
                .filter(t -> !tolerate(tolerations, t))
                .findFirst();
    }

    /** The scheduler's filter for TaintToleration: only NoSchedule and NoExecute taints keep a pod off a node. */
    public static boolean isNoScheduleOrNoExecute(Taint taint) {
        return "NoSchedule".equals(taint.getEffect()) || "NoExecute".equals(taint.getEffect());
    }

    private static String nonNull(String s) {
        return Objects.requireNonNullElse(s, "");
    }
}
