package dev.capstan.simulator;

import dev.capstan.client.node.KubeletNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.time.Instant;
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
    public static final String LEASE_NAMESPACE = KubeletNode.LEASE_NAMESPACE;
    /** The marker label of simulated nodes; the simulator watches only nodes that carry it. */
    public static final String SIMULATED_LABEL = "type";

    public static final String SIMULATED_VALUE = "simulated";

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

    /** See {@link KubeletNode#conditions}. */
    public static List<NodeCondition> conditions(List<NodeCondition> current, Instant now, boolean heartbeat) {
        return KubeletNode.conditions(current, now, heartbeat);
    }

    public static boolean conditionsDiffer(NodeStatus status) {
        return KubeletNode.conditionsDiffer(status);
    }

    public static Instant lastHeartbeat(Node node) {
        return KubeletNode.lastHeartbeat(node);
    }

    /** The node's Lease as the kubelet's lease controller writes it ({@link KubeletNode#lease}). */
    public GenericKubernetesResource lease(String nodeName, String nodeUid, Instant now) {
        return KubeletNode.lease(nodeName, nodeUid, config.leaseDurationSeconds(), now);
    }

    public static GenericKubernetesResource renewed(GenericKubernetesResource lease, Instant now) {
        return KubeletNode.renewed(lease, now);
    }

    public static Instant renewTime(GenericKubernetesResource lease) {
        return KubeletNode.renewTime(lease);
    }

    public static String time(Instant instant) {
        return KubeletNode.time(instant);
    }

    public static String microTime(Instant instant) {
        return KubeletNode.microTime(instant);
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
