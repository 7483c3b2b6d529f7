package dev.capstan.controllers.nodelifecycle;

import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The taints the node lifecycle controller owns, as pure functions: NoSchedule taints mirroring node conditions
 * (upstream's doNoScheduleTaintingPass and nodeConditionToTaintKeyStatusMap) and the NoExecute not-ready/unreachable
 * taints that follow the Ready condition (processTaintBaseEviction).
 */
final class NodeTaints {
    static final String UNSCHEDULABLE = "node.kubernetes.io/unschedulable";

    /** Condition type → status → taint key. */
    private static final Map<String, Map<String, String>> CONDITION_TAINTS = Map.of(
            "Ready", Map.of("False", TaintEviction.NOT_READY, "Unknown", TaintEviction.UNREACHABLE),
            "MemoryPressure", Map.of("True", "node.kubernetes.io/memory-pressure"),
            "DiskPressure", Map.of("True", "node.kubernetes.io/disk-pressure"),
            "NetworkUnavailable", Map.of("True", "node.kubernetes.io/network-unavailable"),
            "PIDPressure", Map.of("True", "node.kubernetes.io/pid-pressure"));

    private static final Set<String> CONDITION_TAINT_KEYS = Set.of(
            TaintEviction.NOT_READY,
            TaintEviction.UNREACHABLE,
            "node.kubernetes.io/memory-pressure",
            "node.kubernetes.io/disk-pressure",
            "node.kubernetes.io/network-unavailable",
            "node.kubernetes.io/pid-pressure");

    private NodeTaints() {}

    /**
     * The node's taints with the controller's own replaced: NoSchedule ones from {@code conditions} (and
     * unschedulable), NoExecute from {@code readyForEviction} ("True", "False", "Unknown", or null for none, as in
     * master disruption mode). Taints kept keep their timeAdded; new ones get {@code now}; others' taints stay.
     */
    static List<Taint> desired(
            List<Taint> current,
            List<NodeCondition> conditions,
            boolean unschedulable,
            String readyForEviction,
            String now) {
        List<Taint> wanted = new ArrayList<>();
        for (NodeCondition c : conditions == null ? List.<NodeCondition>of() : conditions) {
            String key = CONDITION_TAINTS.getOrDefault(c.getType(), Map.of()).get(c.getStatus());
            if (key != null) {
                wanted.add(taint(key, "NoSchedule", now));
            }
        }
        if (unschedulable) {
            wanted.add(taint(UNSCHEDULABLE, "NoSchedule", now));
        }
        if ("False".equals(readyForEviction)) {
            wanted.add(taint(TaintEviction.NOT_READY, TaintEviction.NO_EXECUTE, now));
        } else if ("Unknown".equals(readyForEviction)) {
            wanted.add(taint(TaintEviction.UNREACHABLE, TaintEviction.NO_EXECUTE, now));
        }
        List<Taint> out = new ArrayList<>();
        for (Taint t : current == null ? List.<Taint>of() : current) {
            if (!owned(t)) {
                out.add(t);
            } else if (wanted.stream().anyMatch(w -> sameKeyAndEffect(w, t))) {
                out.add(t);
            }
        }
        for (Taint w : wanted) {
            if (out.stream().noneMatch(t -> sameKeyAndEffect(w, t))) {
                out.add(w);
            }
        }
        return out;
    }

    /** Whether the two lists hold the same taints by key and effect (order and timeAdded aside). */
    static boolean same(List<Taint> a, List<Taint> b) {
        List<Taint> x = a == null ? List.of() : a;
        List<Taint> y = b == null ? List.of() : b;
        return x.size() == y.size() && x.stream().allMatch(t -> y.stream().anyMatch(u -> sameKeyAndEffect(t, u)));
    }

    private static boolean owned(Taint t) {
        if ("NoSchedule".equals(t.getEffect())) {
            return CONDITION_TAINT_KEYS.contains(t.getKey()) || UNSCHEDULABLE.equals(t.getKey());
        }
        return TaintEviction.NO_EXECUTE.equals(t.getEffect())
                && (TaintEviction.NOT_READY.equals(t.getKey()) || TaintEviction.UNREACHABLE.equals(t.getKey()));
    }

    private static boolean sameKeyAndEffect(Taint a, Taint b) {
        return Objects.equals(a.getKey(), b.getKey()) && Objects.equals(a.getEffect(), b.getEffect());
    }

    private static Taint taint(String key, String effect, String timeAdded) {
        return new TaintBuilder()
                .withKey(key)
                .withEffect(effect)
                .withTimeAdded(timeAdded)
                .build();
    }
}
