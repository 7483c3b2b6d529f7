package dev.capstan.controllers.nodelifecycle;

import dev.capstan.model.scheduling.Tolerations;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** When a pod on a node with NoExecute taints is to be deleted (upstream pkg/controller/tainteviction), pure. */
final class TaintEviction {
    static final String NOT_READY = "node.kubernetes.io/not-ready";
    static final String UNREACHABLE = "node.kubernetes.io/unreachable";
    static final String NO_EXECUTE = "NoExecute";

    private TaintEviction() {}

    static List<Taint> noExecute(List<Taint> taints) {
        return taints == null
                ? List.of()
                : taints.stream().filter(t -> NO_EXECUTE.equals(t.getEffect())).toList();
    }

    /**
     * The pod's tolerations as the API server's DefaultTolerationSeconds admission plugin leaves them: a pod without a
     * toleration of not-ready (or unreachable) NoExecute gets {@code Exists} for it with {@code seconds}. Capstan's API
     * server has no such plugin, so the controller applies it when it reads; pods that went through the plugin are
     * unchanged by it.
     */
    static List<Toleration> withDefaults(List<Toleration> tolerations, long seconds) {
        List<Toleration> out = new ArrayList<>(tolerations == null ? List.of() : tolerations);
        boolean notReady = false;
        boolean unreachable = false;
        for (Toleration t : out) {
            String key = t.getKey() == null ? "" : t.getKey();
            String effect = t.getEffect() == null ? "" : t.getEffect();
            boolean noExecute = effect.isEmpty() || effect.equals(NO_EXECUTE);
            notReady |= noExecute && (key.isEmpty() || key.equals(NOT_READY));
            unreachable |= noExecute && (key.isEmpty() || key.equals(UNREACHABLE));
        }
        if (!notReady) {
            out.add(defaultToleration(NOT_READY, seconds));
        }
        if (!unreachable) {
            out.add(defaultToleration(UNREACHABLE, seconds));
        }
        return out;
    }

    private static Toleration defaultToleration(String key, long seconds) {
        return new TolerationBuilder()
                .withKey(key)
                .withOperator("Exists")
                .withEffect(NO_EXECUTE)
                .withTolerationSeconds(seconds)
                .build();
    }

    /**
     * How long the pod may stay on a node with these NoExecute taints: zero when some taint is not tolerated, empty
     * when tolerated forever. Upstream's GetMatchingTolerations (the first toleration that tolerates each taint) and
     * getMinTolerationTime (no tolerations used: zero; a non-positive tolerationSeconds: zero; none set: forever).
     */
    static Optional<Duration> evictAfter(List<Taint> noExecuteTaints, List<Toleration> tolerations) {
        if (noExecuteTaints.isEmpty()) {
            return Optional.empty();
        }
        List<Toleration> used = new ArrayList<>();
        for (Taint taint : noExecuteTaints) {
            Optional<Toleration> match = tolerations.stream()
                    .filter(t -> Tolerations.toleratesTaint(t, taint))
                    .findFirst();
            if (match.isEmpty()) {
                return Optional.of(Duration.ZERO);
            }
            used.add(match.get());
        }
        long min = Long.MAX_VALUE;
        for (Toleration t : used) {
            Long seconds = t.getTolerationSeconds();
            if (seconds != null) {
                if (seconds <= 0) {
                    return Optional.of(Duration.ZERO);
                }
                min = Math.min(min, seconds);
            }
        }
        return min == Long.MAX_VALUE ? Optional.empty() : Optional.of(Duration.ofSeconds(min));
    }
}
