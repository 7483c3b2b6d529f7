package dev.capstan.controllers.nodelifecycle;

import dev.capstan.model.json.KubeJson;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the controller last saw of each node's health signals, and the decision upstream's tryUpdateNodeHealth makes
 * from them: the node is probed (its health signal is fresh) when its Ready condition's lastHeartbeatTime changed or
 * its Lease's renewTime moved on, timed by the controller's own clock (never the kubelet's, whose clock may be
 * skewed); when no probe came for the grace period, its Ready, MemoryPressure, DiskPressure and PIDPressure
 * conditions become Unknown.
 */
final class NodeHealth {
    /** Condition types the controller sets Unknown; NetworkUnavailable is left to whoever manages the network. */
    static final List<String> CONDITION_TYPES = List.of("Ready", "MemoryPressure", "DiskPressure", "PIDPressure");

    private record Saved(Instant probe, Instant readyTransition, NodeCondition ready, Instant leaseRenew) {}

    /**
     * @param observedReady the Ready status the node had when looked at ("Unknown" when it has none)
     * @param currentReady its Ready status after this pass's change ({@code toWrite}'s when there is one)
     * @param toWrite the node with its conditions set Unknown, to write through the status subresource; null for none
     */
    record Decision(String observedReady, String currentReady, Node toWrite) {}

    private final Map<String, Saved> byNode = new ConcurrentHashMap<>();

    Decision observe(Node node, Instant leaseRenew, Instant now, Duration monitorGrace, Duration startupGrace) {
        String name = node.getMetadata().getName();
        NodeCondition current = condition(node, "Ready");
        Saved saved = byNode.get(name);
        Instant created = Instant.parse(node.getMetadata().getCreationTimestamp());
        Duration grace;
        String observed;
        if (current == null) {
            observed = "Unknown";
            grace = startupGrace;
            if (saved == null) {
                saved = new Saved(created, created, null, null);
            }
        } else {
            observed = current.getStatus();
            grace = monitorGrace;
        }
        NodeCondition savedReady = saved == null ? null : saved.ready();
        Instant savedLease = saved == null ? null : saved.leaseRenew();
        if (saved == null || (savedReady == null && current != null) || (savedReady != null && current == null)) {
            saved = new Saved(now, now, copy(current), null);
        } else if (savedReady != null
                && !Objects.equals(savedReady.getLastHeartbeatTime(), current.getLastHeartbeatTime())) {
            Instant transition = Objects.equals(savedReady.getLastTransitionTime(), current.getLastTransitionTime())
                    ? saved.readyTransition()
                    : now;
            saved = new Saved(now, transition, copy(current), null);
        }
        if (leaseRenew != null && (savedLease == null || savedLease.isBefore(leaseRenew))) {
            saved = new Saved(now, saved.readyTransition(), saved.ready(), leaseRenew);
        } else if (saved.leaseRenew() == null && savedLease != null) {
            saved = new Saved(saved.probe(), saved.readyTransition(), saved.ready(), savedLease);
        }
        byNode.put(name, saved);
        if (!now.isAfter(saved.probe().plus(grace))) {
            return new Decision(observed, observed, null);
        }
        Node next = KubeJson.convert(KubeJson.tree(node), Node.class);
        if (next.getStatus() == null) {
            next.setStatus(new io.fabric8.kubernetes.api.model.NodeStatus());
        }
        List<NodeCondition> conditions = new ArrayList<>(
                next.getStatus().getConditions() == null
                        ? List.of()
                        : next.getStatus().getConditions());
        String time = time(now);
        for (String type : CONDITION_TYPES) {
            NodeCondition c = conditions.stream()
                    .filter(x -> type.equals(x.getType()))
                    .findFirst()
                    .orElse(null);
            if (c == null) {
                conditions.add(new NodeConditionBuilder()
                        .withType(type)
                        .withStatus("Unknown")
                        .withReason("NodeStatusNeverUpdated")
                        .withMessage("Kubelet never posted node status.")
                        .withLastHeartbeatTime(node.getMetadata().getCreationTimestamp())
                        .withLastTransitionTime(time)
                        .build());
            } else if (!"Unknown".equals(c.getStatus())) {
                c.setStatus("Unknown");
                c.setReason("NodeStatusUnknown");
                c.setMessage("Kubelet stopped posting node status.");
                c.setLastTransitionTime(time);
            }
        }
        next.getStatus().setConditions(conditions);
        NodeCondition ready = condition(next, "Ready");
        if (current != null && "Unknown".equals(current.getStatus()) && sameCondition(current, ready)) {
            return new Decision(observed, "Unknown", null);
        }
        return new Decision(observed, "Unknown", next);
    }

    /** Records the status the controller wrote: the node's Ready transition is now, its probe time unchanged. */
    void written(Node node, Instant now) {
        Saved saved = byNode.get(node.getMetadata().getName());
        byNode.put(
                node.getMetadata().getName(),
                new Saved(
                        saved == null ? now : saved.probe(),
                        now,
                        copy(condition(node, "Ready")),
                        saved == null ? null : saved.leaseRenew()));
    }

    /** Every node's health signal counts as fresh from now on (upstream, when leaving master disruption mode). */
    void resetProbes(Instant now) {
        byNode.replaceAll((name, s) -> new Saved(now, now, s.ready(), s.leaseRenew()));
    }

    void forget(String name) {
        byNode.remove(name);
    }

    static NodeCondition condition(Node node, String type) {
        if (node.getStatus() == null || node.getStatus().getConditions() == null) {
            return null;
        }
        return node.getStatus().getConditions().stream()
                .filter(c -> type.equals(c.getType()))
                .findFirst()
                .orElse(null);
    }

    static String time(Instant instant) {
        return DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.SECONDS));
    }

    private static boolean sameCondition(NodeCondition a, NodeCondition b) {
        return b != null
                && Objects.equals(a.getStatus(), b.getStatus())
                && Objects.equals(a.getReason(), b.getReason())
                && Objects.equals(a.getMessage(), b.getMessage())
                && Objects.equals(a.getLastTransitionTime(), b.getLastTransitionTime());
    }

    private static NodeCondition copy(NodeCondition c) {
        return c == null ? null : new NodeConditionBuilder(c).build();
    }
}
