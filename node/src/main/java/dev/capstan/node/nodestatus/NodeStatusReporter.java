package dev.capstan.node.nodestatus;

import dev.capstan.client.ApiClient;
import dev.capstan.client.ApiError;
import dev.capstan.client.Kinds;
import dev.capstan.client.ResourceClient;
import dev.capstan.client.node.KubeletNode;
import dev.capstan.model.json.KubeJson;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Quantity;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * The kubelet's node status and lease loops (upstream kubelet_node_status.go and nodelease): registers the Node,
 * renews its Lease every {@code leaseRenew}, writes its status when a condition changes or every
 * {@code statusReport} as a heartbeat, and hands the node's spec.podCIDR to {@code onPodCidr} once node-ipam has
 * assigned it. The status publishes the agent's HTTPS port as daemonEndpoints.kubeletEndpoint.
 */
public final class NodeStatusReporter implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(NodeStatusReporter.class);
    public static final String KUBELET_VERSION = "v1.32.0-capstan";
    private static final int LEASE_DURATION_SECONDS = 40;
    private static final Duration REGISTER_RETRY = Duration.ofMillis(100);
    private static final Duration REGISTER_PATIENCE = Duration.ofMinutes(2);

    /** Resources held back from pods: system/kube reserved plus the hard eviction threshold. */
    public record Reserved(long milliCpu, long memoryBytes) {}

    private final ApiClient api;
    private final String nodeName;
    private final MachineInfo machine;
    private final Reserved reserved;
    private final String runtimeVersion;
    private final Clock clock;
    private final Duration leaseRenew;
    private final Duration statusReport;
    private final Consumer<String> onPodCidr;
    private final int kubeletPort;
    private volatile String uid = "";
    private volatile String podCidr;
    private volatile Instant lastStatus = Instant.EPOCH;
    private GenericKubernetesResource lease;
    private Thread thread;

    public NodeStatusReporter(
            ApiClient api,
            String nodeName,
            MachineInfo machine,
            Reserved reserved,
            String runtimeVersion,
            Clock clock,
            Duration leaseRenew,
            Duration statusReport,
            Consumer<String> onPodCidr,
            int kubeletPort) {
        this.api = api;
        this.nodeName = nodeName;
        this.machine = machine;
        this.reserved = reserved;
        this.runtimeVersion = runtimeVersion;
        this.clock = clock;
        this.leaseRenew = leaseRenew;
        this.statusReport = statusReport;
        this.onPodCidr = onPodCidr;
        this.kubeletPort = kubeletPort;
    }

    /** The Node as this kubelet registers it (upstream initialNode plus the first status). */
    public Node node(Instant now) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("beta.kubernetes.io/arch", machine.architecture());
        labels.put("beta.kubernetes.io/os", "linux");
        labels.put("kubernetes.io/arch", machine.architecture());
        labels.put("kubernetes.io/hostname", nodeName);
        labels.put("kubernetes.io/os", "linux");
        Map<String, Quantity> capacity = new LinkedHashMap<>();
        capacity.put("cpu", new Quantity(Integer.toString(machine.cpus())));
        capacity.put("ephemeral-storage", new Quantity(machine.diskBytes() / 1024 + "Ki"));
        capacity.put("memory", new Quantity(machine.memoryBytes() / 1024 + "Ki"));
        capacity.put("pods", new Quantity("110"));
        Map<String, Quantity> allocatable = new LinkedHashMap<>(capacity);
        allocatable.put("cpu", new Quantity(Math.max(0, machine.cpus() * 1000L - reserved.milliCpu()) + "m"));
        allocatable.put(
                "memory", new Quantity(Math.max(0, machine.memoryBytes() - reserved.memoryBytes()) / 1024 + "Ki"));
        return new NodeBuilder()
                .withNewMetadata()
                .withName(nodeName)
                .withLabels(labels)
                .endMetadata()
                .withNewSpec()
                .endSpec()
                .withNewStatus()
                .withCapacity(capacity)
                .withAllocatable(allocatable)
                .withConditions(KubeletNode.conditions(List.of(), now, true))
                .withAddresses(
                        new NodeAddress(machine.internalIp(), "InternalIP"), new NodeAddress(nodeName, "Hostname"))
                .withNewDaemonEndpoints()
                .withNewKubeletEndpoint(kubeletPort)
                .endDaemonEndpoints()
                .withNewNodeInfo()
                .withArchitecture(machine.architecture())
                .withOperatingSystem("linux")
                .withOsImage(machine.osImage())
                .withKernelVersion(machine.kernelVersion())
                .withContainerRuntimeVersion(runtimeVersion)
                .withKubeletVersion(KUBELET_VERSION)
                .withKubeProxyVersion("")
                .withMachineID(machine.machineId())
                .withSystemUUID(machine.machineId())
                .withBootID(machine.bootId())
                .endNodeInfo()
                .endStatus()
                .build();
    }

    /** Registers the node (or takes over its existing object, refreshing its status) and starts the loops. */
    public void start() throws InterruptedException {
        Node current = registerWhenReachable();
        lastStatus = clock.instant();
        observe(current);
        thread = Thread.ofVirtual().name("node-status").start(this::loop);
    }

    /**
     * Registers the Node, or refreshes the status of the one there; while the API server is unavailable (restarting,
     * or started at the same moment by a supervisor) tries again every {@link #REGISTER_RETRY} for
     * {@link #REGISTER_PATIENCE}.
     */
    private Node registerWhenReachable() throws InterruptedException {
        long deadline = System.nanoTime() + REGISTER_PATIENCE.toNanos();
        boolean told = false;
        while (true) {
            try {
                return register(clock.instant());
            } catch (ApiError e) {
                if (!e.isTransient() || System.nanoTime() > deadline) {
                    throw e;
                }
                if (!told) {
                    LOG.infof("waiting for the API server to register node %s (%s)", nodeName, e.getMessage());
                    told = true;
                }
                Thread.sleep(REGISTER_RETRY);
            }
        }
    }

    private Node register(Instant now) {
        ResourceClient<Node> nodes = api.resources(Kinds.NODES);
        Node wanted = node(now);
        try {
            Node created = nodes.create(wanted);
            LOG.infof("registered node %s", nodeName);
            return created;
        } catch (ApiError e) {
            if (!e.isAlreadyExists()) {
                throw e;
            }
            Node current = nodes.get("", nodeName).orElseThrow(() -> e);
            Node next = KubeJson.convert(KubeJson.tree(current), Node.class);
            List<NodeCondition> conditions =
                    next.getStatus() == null || next.getStatus().getConditions() == null
                            ? List.of()
                            : next.getStatus().getConditions();
            var status = wanted.getStatus();
            status.setConditions(KubeletNode.conditions(conditions, now, true));
            next.setStatus(status);
            Node refreshed = nodes.updateStatus(next);
            LOG.infof("node %s existed; its status is refreshed", nodeName);
            return refreshed;
        }
    }

    public String uid() {
        return uid;
    }

    /** The pod CIDR once known, else null. */
    public String podCidr() {
        return podCidr;
    }

    private void observe(Node node) {
        uid = node.getMetadata().getUid();
        String cidr = node.getSpec() == null ? null : node.getSpec().getPodCIDR();
        if (podCidr == null && cidr != null && !cidr.isEmpty()) {
            podCidr = cidr;
            LOG.infof("node %s has the pod CIDR %s", nodeName, cidr);
            onPodCidr.accept(cidr);
        }
    }

    private void loop() {
        Instant nextLease = Instant.EPOCH;
        while (!Thread.currentThread().isInterrupted()) {
            Instant now = clock.instant();
            try {
                if (!now.isBefore(nextLease)) {
                    renewLease(now);
                    nextLease = now.plus(leaseRenew);
                }
                syncStatus(now);
            } catch (RuntimeException e) {
                LOG.warnf("node %s: status or lease update failed: %s", nodeName, e.getMessage());
            }
            try {
                // Every second until the pod CIDR is known (pods wait for it), then at the lease's pace.
                Thread.sleep(podCidr == null ? Duration.ofSeconds(1) : leaseRenew);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void syncStatus(Instant now) {
        ResourceClient<Node> nodes = api.resources(Kinds.NODES);
        Node node = nodes.get("", nodeName).orElse(null);
        if (node == null) {
            LOG.warnf("node %s was deleted; registering it again", nodeName);
            observe(nodes.create(node(now)));
            lastStatus = now;
            return;
        }
        observe(node);
        boolean heartbeat = !now.isBefore(lastStatus.plus(statusReport));
        if (!heartbeat && !KubeletNode.conditionsDiffer(node.getStatus())) {
            return;
        }
        Node next = KubeJson.convert(KubeJson.tree(node), Node.class);
        List<NodeCondition> current = next.getStatus().getConditions() == null
                ? List.of()
                : next.getStatus().getConditions();
        next.getStatus().setConditions(KubeletNode.conditions(current, now, true));
        try {
            nodes.updateStatus(next);
            lastStatus = now;
        } catch (ApiError e) {
            if (!e.isConflict()) {
                throw e;
            }
        }
    }

    private void renewLease(Instant now) {
        ResourceClient<GenericKubernetesResource> leases = api.resources(KubeletNode.NODE_LEASES);
        try {
            if (lease == null) {
                lease = leases.get(KubeletNode.LEASE_NAMESPACE, nodeName).orElse(null);
            }
            lease = lease == null
                    ? leases.create(KubeletNode.lease(nodeName, uid, LEASE_DURATION_SECONDS, now))
                    : leases.update(KubeletNode.renewed(lease, now));
        } catch (ApiError e) {
            lease = null; // read it again next time
            if (!e.isConflict() && !e.isNotFound() && !e.isAlreadyExists()) {
                throw e;
            }
        }
    }

    @Override
    public void close() {
        if (thread != null) {
            thread.interrupt();
        }
    }
}
