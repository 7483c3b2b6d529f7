package dev.capstan.client.node;

import dev.capstan.client.Kind;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The kubelet's node conditions and node Lease as pure functions of the current objects and the time (upstream
 * pkg/kubelet/nodestatus/setters.go and pkg/kubelet/nodelease), for the node agent and the simulator alike.
 */
public final class KubeletNode {
    public static final String LEASE_NAMESPACE = "kube-node-lease";

    /** Leases as generic objects: fabric8's typed Lease has MicroTime fields the shared JSON mapper cannot handle. */
    public static final Kind<GenericKubernetesResource> NODE_LEASES =
            new Kind<>("coordination.k8s.io", "v1", "leases", "Lease", true, GenericKubernetesResource.class);

    private static final DateTimeFormatter MICRO_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSX").withZone(ZoneOffset.UTC);

    /** The kubelet's conditions: type, status, reason and message (upstream pkg/kubelet/nodestatus/setters.go). */
    private record Reported(String type, String status, String reason, String message) {}

    private static final List<Reported> CONDITIONS = List.of(
            new Reported(
                    "MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
            new Reported("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
            new Reported("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
            new Reported("Ready", "True", "KubeletReady", "kubelet is posting ready status"));

    private KubeletNode() {}

    /**
     * The kubelet's conditions given the node's current ones: each keeps its lastTransitionTime while its status is
     * unchanged; lastHeartbeatTime is {@code now} when {@code heartbeat}, else kept. Conditions the kubelet does not
     * own (NetworkUnavailable, …) are kept as they are.
     */
    public static List<NodeCondition> conditions(List<NodeCondition> current, Instant now, boolean heartbeat) {
        String time = time(now);
        List<NodeCondition> out = new ArrayList<>();
        for (NodeCondition c : current) {
            if (CONDITIONS.stream().noneMatch(r -> r.type().equals(c.getType()))) {
                out.add(c);
            }
        }
        for (Reported r : CONDITIONS) {
            NodeCondition old = current.stream()
                    .filter(c -> r.type().equals(c.getType()))
                    .findFirst()
                    .orElse(null);
            boolean same = old != null && r.status().equals(old.getStatus());
            out.add(new NodeConditionBuilder()
                    .withType(r.type())
                    .withStatus(r.status())
                    .withReason(r.reason())
                    .withMessage(r.message())
                    .withLastTransitionTime(
                            same && old.getLastTransitionTime() != null ? old.getLastTransitionTime() : time)
                    .withLastHeartbeatTime(
                            !heartbeat && old != null && old.getLastHeartbeatTime() != null
                                    ? old.getLastHeartbeatTime()
                                    : time)
                    .build());
        }
        return out;
    }

    /** Whether the node's conditions differ from what the kubelet reports (heartbeat times aside). */
    public static boolean conditionsDiffer(NodeStatus status) {
        List<NodeCondition> current =
                status == null || status.getConditions() == null ? List.of() : status.getConditions();
        for (Reported r : CONDITIONS) {
            NodeCondition c = current.stream()
                    .filter(x -> r.type().equals(x.getType()))
                    .findFirst()
                    .orElse(null);
            if (c == null
                    || !r.status().equals(c.getStatus())
                    || !r.reason().equals(c.getReason())
                    || !r.message().equals(c.getMessage())) {
                return true;
            }
        }
        return false;
    }

    /** The Ready condition's lastHeartbeatTime, or null. */
    public static Instant lastHeartbeat(Node node) {
        if (node.getStatus() == null || node.getStatus().getConditions() == null) {
            return null;
        }
        return node.getStatus().getConditions().stream()
                .filter(c -> "Ready".equals(c.getType()) && c.getLastHeartbeatTime() != null)
                .map(c -> Instant.parse(c.getLastHeartbeatTime()))
                .findFirst()
                .orElse(null);
    }

    /**
     * The node's Lease as the kubelet's lease controller writes it: named as the node, held by it, owned by the Node
     * (no controller flag).
     */
    public static GenericKubernetesResource lease(
            String nodeName, String nodeUid, int leaseDurationSeconds, Instant now) {
        GenericKubernetesResource lease = new GenericKubernetesResource();
        lease.setApiVersion("coordination.k8s.io/v1");
        lease.setKind("Lease");
        lease.setMetadata(new ObjectMetaBuilder()
                .withName(nodeName)
                .withNamespace(LEASE_NAMESPACE)
                .withOwnerReferences(new OwnerReferenceBuilder()
                        .withApiVersion("v1")
                        .withKind("Node")
                        .withName(nodeName)
                        .withUid(nodeUid)
                        .build())
                .build());
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("holderIdentity", nodeName);
        spec.put("leaseDurationSeconds", leaseDurationSeconds);
        spec.put("renewTime", microTime(now));
        lease.setAdditionalProperty("spec", spec);
        return lease;
    }

    /** A copy of {@code lease} renewed at {@code now}. */
    @SuppressWarnings("unchecked")
    public static GenericKubernetesResource renewed(GenericKubernetesResource lease, Instant now) {
        GenericKubernetesResource copy = new GenericKubernetesResource();
        copy.setApiVersion(lease.getApiVersion());
        copy.setKind(lease.getKind());
        copy.setMetadata(new ObjectMetaBuilder(lease.getMetadata()).build());
        Object spec = lease.getAdditionalProperties().get("spec");
        Map<String, Object> next =
                spec instanceof Map<?, ?> m ? new LinkedHashMap<>((Map<String, Object>) m) : new LinkedHashMap<>();
        next.put("renewTime", microTime(now));
        copy.setAdditionalProperty("spec", next);
        return copy;
    }

    /** The Lease's spec.renewTime, or null. */
    public static Instant renewTime(GenericKubernetesResource lease) {
        if (lease.getAdditionalProperties().get("spec") instanceof Map<?, ?> spec
                && spec.get("renewTime") instanceof String time) {
            return Instant.parse(time);
        }
        return null;
    }

    /** metav1.Time: RFC 3339 in whole seconds. */
    public static String time(Instant instant) {
        return DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.SECONDS));
    }

    /** metav1.MicroTime: RFC 3339 with six fractional digits. */
    public static String microTime(Instant instant) {
        return MICRO_TIME.format(instant.truncatedTo(ChronoUnit.MICROS));
    }
}
