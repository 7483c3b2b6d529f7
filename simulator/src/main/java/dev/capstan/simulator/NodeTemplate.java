package dev.capstan.simulator;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The objects a kubelet writes for its node, as pure functions of the configuration, the node's index and the time:
 * the Node as registered, the conditions it reports, and its Lease in kube-node-lease.
 */
public final class NodeTemplate {
    public static final String KUBELET_VERSION = "v1.32.0-capstan-sim";
    public static final String LEASE_NAMESPACE = "kube-node-lease";
    /** The marker label of simulated nodes; the simulator watches only nodes that carry it. */
    public static final String SIMULATED_LABEL = "type";

    public static final String SIMULATED_VALUE = "simulated";

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

    private final SimulatorConfig config;

    public NodeTemplate(SimulatorConfig config) {
        this.config = config;
    }

    /** The node's InternalIP: unique per index in 10.200.0.0/16, never a .0 or .255 address. */
    public static String internalIp(int index) {
        return "10.200." + (index / 254) + "." + (index % 254 + 1);
    }

    /** The /24 a node's pods get when the nodeipam controller gave it no podCIDR in time: 10.244.(index mod 256).0/24. */
    public static String fallbackPodCidr(int index) {
        return "10.244." + (index % 256) + ".0/24";
    }

    /** The Node as the kubelet registers it, with its status. */
    public Node node(int index, Instant now) {
        String name = config.nodeName(index);
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("beta.kubernetes.io/arch", "amd64");
        labels.put("beta.kubernetes.io/os", "linux");
        labels.put("kubernetes.io/arch", "amd64");
        labels.put("kubernetes.io/hostname", name);
        labels.put("kubernetes.io/os", "linux");
        labels.put("node.kubernetes.io/instance-type", config.instanceType());
        labels.put("topology.kubernetes.io/zone", config.zone(index));
        labels.put(SIMULATED_LABEL, SIMULATED_VALUE);
        Map<String, Quantity> capacity = new LinkedHashMap<>();
        capacity.put("cpu", new Quantity(config.cpu().toString()));
        capacity.put("ephemeral-storage", new Quantity("100Gi"));
        capacity.put("memory", new Quantity(config.memory().toString()));
        capacity.put("pods", new Quantity(config.pods().toString()));
        return new NodeBuilder()
                .withMetadata(new ObjectMetaBuilder()
                        .withName(name)
                        .withLabels(labels)
                        .withAnnotations(Map.of("capstan.dev/simulated", "true"))
                        .build())
                .withNewSpec()
                .withProviderID("capstan-sim://" + name)
                .endSpec()
                .withNewStatus()
                .withCapacity(capacity)
                .withAllocatable(new LinkedHashMap<>(capacity))
                .withConditions(conditions(List.of(), now, true))
                .withAddresses(new NodeAddress(internalIp(index), "InternalIP"), new NodeAddress(name, "Hostname"))
                .withNewDaemonEndpoints()
                .withNewKubeletEndpoint(10250)
                .endDaemonEndpoints()
                .withNewNodeInfo()
                .withArchitecture("amd64")
                .withOperatingSystem("linux")
                .withOsImage("Capstan Simulated Linux")
                .withKernelVersion("6.1.0-capstan-sim")
                .withContainerRuntimeVersion("sim://1.0")
                .withKubeletVersion(KUBELET_VERSION)
                .withKubeProxyVersion("")
                .withMachineID(hex(name, "machine").substring(0, 32))
                .withSystemUUID(uuid(name))
                .withBootID(uuid(name + "/boot"))
                .endNodeInfo()
                .endStatus()
                .build();
    }

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
     * (no controller flag). A generic resource because fabric8's typed Lease has MicroTime fields that Capstan's one
     * JSON mapper does not read or write (no java.time module).
     */
    public GenericKubernetesResource lease(String nodeName, String nodeUid, Instant now) {
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
        spec.put("leaseDurationSeconds", config.leaseDurationSeconds());
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

    static String hex(String... parts) {
        try {
            var digest = java.security.MessageDigest.getInstance("SHA-256");
            for (String part : parts) {
                digest.update(Objects.requireNonNullElse(part, "").getBytes(java.nio.charset.StandardCharsets.UTF_8));
                digest.update((byte) 0);
            }
            return java.util.HexFormat.of().formatHex(digest.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static String uuid(String seed) {
        return java.util
                .UUID
                .nameUUIDFromBytes(seed.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .toString();
    }
}
