package dev.capstan.simulator;

import dev.capstan.client.ApiClient;
import dev.capstan.client.ApiError;
import dev.capstan.client.DeleteOptions;
import dev.capstan.client.Kind;
import dev.capstan.client.Kinds;
import dev.capstan.client.ListOptions;
import dev.capstan.client.MetadataOnly;
import dev.capstan.client.PatchType;
import dev.capstan.client.ResourceClient;
import dev.capstan.client.informer.Indexes;
import dev.capstan.client.informer.InformerFactory;
import dev.capstan.client.informer.ResourceEventHandler;
import dev.capstan.client.informer.SharedInformer;
import dev.capstan.client.node.KubeletNode;
import dev.capstan.model.json.KubeJson;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import org.jboss.logging.Logger;

/**
 * Simulated nodes, as KWOK does: registers the configured Nodes, keeps their Leases and heartbeats fresh, moves the
 * pods bound to them through Pending to Running and Ready as a kubelet would write it, and confirms the termination
 * of their deleted pods. Nothing runs. Usable in-process from tests ({@link #start}, {@link #stopNode}, …) and by
 * {@link SimulatorMain}.
 *
 * <p>Scale: no thread per node or pod. Every sync is keyed ({@link KeyedTasks}: a key is synced by one thread at a
 * time and added keys collapse) and runs on a short-lived virtual thread within {@code parallelism} API calls at a
 * time; one tick every lease-renew interval renews the Leases of all live nodes in batches and enqueues the nodes
 * whose heartbeat is due. Node status is written only when a condition differs from what the kubelet reports, or for
 * a heartbeat; pod status twice per pod (Pending, then Running). A stopped node does nothing at all, as a kubelet
 * that died: no Lease, no heartbeat, its pods stay as they are.
 */
public final class Simulator implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Simulator.class);
    static final Kind<GenericKubernetesResource> NODE_LEASES = KubeletNode.NODE_LEASES;

    private static final String NODE_INDEX = Indexes.POD_NODE_NAME;
    private static final int LEASE_BATCH = 100;
    private static final Duration CIDR_POLL = Duration.ofMillis(100);
    /** Pods, for the status writes: a write's answer is read for its metadata alone, as nothing else of it is used. */
    private static final Kind<MetadataOnly> POD_STATUS_WRITES =
            new Kind<>("", "v1", "pods", "Pod", true, MetadataOnly.class);

    private final SimulatorConfig config;
    private final Clock clock;
    private final NodeTemplate template;
    private final PodAddresses addresses = new PodAddresses();
    private final Map<String, SimNode> nodes = new ConcurrentHashMap<>();
    private final List<String> names = new ArrayList<>();
    private final Map<String, GenericKubernetesResource> leases = new ConcurrentHashMap<>();
    private final Map<String, PodState> pods = new ConcurrentHashMap<>();
    private ApiClient api;
    private InformerFactory informers;
    private SharedInformer<Node> nodeInformer;
    private SharedInformer<Pod> podInformer;
    private KeyedTasks tasks;

    /** One simulated node: fixed identity, and whether its "kubelet" is up. */
    private static final class SimNode {
        final String name;
        final int index;
        final String ip;
        final Duration heartbeatAfter;
        volatile String uid = "";
        volatile boolean stopped;
        volatile boolean deleted;
        volatile Instant lastStatusWrite = Instant.EPOCH;

        SimNode(String name, int index, Duration heartbeatAfter) {
            this.name = name;
            this.index = index;
            this.ip = NodeTemplate.internalIp(index);
            this.heartbeatAfter = heartbeatAfter;
        }
    }

    private enum Stage {
        NEW,
        PENDING,
        RUNNING
    }

    /** What the simulator did with one pod (by key, for the pod of that uid). */
    private static final class PodState {
        final String uid;
        final Instant firstSeen;
        volatile Stage stage = Stage.NEW;
        volatile Instant readyAt;
        volatile Instant deletingSince;
        /** The grace-0 delete was sent: a finalizer may keep the pod, and the kubelet does not ask twice. */
        volatile boolean finished;

        PodState(String uid, Instant firstSeen) {
            this.uid = uid;
            this.firstSeen = firstSeen;
        }
    }

    public Simulator(SimulatorConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
        this.template = new NodeTemplate(config);
        for (int i = 0; i < config.nodes(); i++) {
            String name = config.nodeName(i);
            // Heartbeats after 3/4 to 4/4 of the interval, spread by index so that thousands of nodes do not all
            // write in the same tick.
            long spread = config.heartbeatInterval().toMillis() / 4 * (i % 16) / 15;
            Duration after = config.heartbeatInterval()
                    .minusMillis(config.heartbeatInterval().toMillis() / 4)
                    .plusMillis(spread);
            nodes.put(name, new SimNode(name, i, after));
            names.add(name);
        }
    }

    public Simulator(SimulatorConfig config) {
        this(config, Clock.systemUTC());
    }

    /** Registers the nodes, starts watching pods and nodes, and starts the lease and heartbeat tick. */
    public synchronized void start(ApiClient client) throws InterruptedException {
        if (api != null) {
            throw new IllegalStateException("the simulator is started already");
        }
        api = client;
        tasks = new KeyedTasks("simulator", config.parallelism(), this::sync);
        informers = new InformerFactory(client, Duration.ZERO);
        nodeInformer = informers.informer(
                Kinds.NODES, "", ListOptions.labels(NodeTemplate.SIMULATED_LABEL + "=" + NodeTemplate.SIMULATED_VALUE));
        // Bound pods only, as each kubelet watches only its own: the scheduler's pending pods are none of its business.
        podInformer = informers.informer(Kinds.PODS, "", ListOptions.fields("spec.nodeName!="));
        Indexes.podsByNode(podInformer.cache());
        register();
        nodeInformer.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Node node) {
                nodeChanged(node);
            }

            @Override
            public void onUpdate(Node oldNode, Node newNode) {
                nodeChanged(newNode);
            }

            @Override
            public void onDelete(Node node) {
                SimNode n = nodes.get(node.getMetadata().getName());
                if (n != null && n.uid.equals(node.getMetadata().getUid())) {
                    LOG.infof("simulated node %s was deleted; leaving it and its pods alone", n.name);
                    n.deleted = true;
                }
            }
        });
        podInformer.addEventHandler(ResourceEventHandler.onAny(pod -> {
            String node = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
            if (node != null && nodes.containsKey(node)) {
                tasks.add(podTaskKey(pod));
            }
        }));
        informers.start();
        if (!informers.waitForSync(Duration.ofMinutes(2))) {
            throw new IllegalStateException("the simulator's informers did not sync within 2 minutes");
        }
        tick();
        tasks.every(config.leaseRenewInterval(), this::tick);
        LOG.infof("simulating %d nodes (%s…)", nodes.size(), names.isEmpty() ? "" : names.get(0));
    }

    /** The simulated nodes' names, in index order. */
    public List<String> nodeNames() {
        return List.copyOf(names);
    }

    /** Stops the node's "kubelet": no Lease renewal, no heartbeat, no pod updates, until {@link #resumeNode}. */
    public void stopNode(String name) {
        node(name).stopped = true;
    }

    /** Starts the node's "kubelet" again: renews its Lease at once, reports Ready and catches up with its pods. */
    public void resumeNode(String name) {
        SimNode n = node(name);
        n.stopped = false;
        if (tasks != null) {
            tasks.run(() -> renewLease(n, clock.instant()));
            tasks.add("n/" + name);
            for (Pod pod : podInformer.cache().byIndex(NODE_INDEX, name)) {
                tasks.add(podTaskKey(pod));
            }
        }
    }

    /** Stops every node, as if the whole simulated fleet lost its connection. */
    public void stopAll() {
        names.forEach(this::stopNode);
    }

    public void resumeAll() {
        names.forEach(this::resumeNode);
    }

    public boolean isStopped(String name) {
        return node(name).stopped;
    }

    /** Stops simulating; the nodes and pods stay in the API as they are. */
    public synchronized void stop() {
        if (tasks != null) {
            tasks.close();
        }
        if (informers != null) {
            informers.close();
        }
    }

    @Override
    public void close() {
        stop();
    }

    private SimNode node(String name) {
        SimNode n = nodes.get(name);
        if (n == null) {
            throw new IllegalArgumentException("no simulated node " + name + "; the nodes are " + names);
        }
        return n;
    }

    private static String podTaskKey(Pod pod) {
        return "p/" + pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
    }

    /** Creates every node with its status (the API keeps a node's status at create, as a kubelet registers). */
    private void register() throws InterruptedException {
        ResourceClient<Node> client = api.resources(Kinds.NODES);
        var done = new java.util.concurrent.CountDownLatch(names.size());
        Instant now = clock.instant();
        for (String name : names) {
            SimNode n = nodes.get(name);
            tasks.run(() -> {
                try {
                    Node created;
                    try {
                        created = client.create(template.node(n.index, now));
                    } catch (ApiError e) {
                        if (!e.isAlreadyExists()) {
                            throw e;
                        }
                        created = client.get("", name).orElseThrow(() -> e);
                    }
                    n.uid = created.getMetadata().getUid();
                    n.lastStatusWrite = now;
                } catch (RuntimeException e) {
                    LOG.errorf("could not register simulated node %s: %s", name, e.getMessage());
                } finally {
                    done.countDown();
                }
            });
        }
        done.await();
    }

    private void nodeChanged(Node node) {
        SimNode n = nodes.get(node.getMetadata().getName());
        if (n == null) {
            return;
        }
        if (!n.uid.equals(node.getMetadata().getUid())) {
            n.uid = node.getMetadata().getUid();
            n.deleted = false;
        }
        if (NodeTemplate.conditionsDiffer(node.getStatus())) {
            tasks.add("n/" + n.name);
        }
        if (!n.stopped && !n.deleted && node.getSpec() != null && node.getSpec().getPodCIDR() != null) {
            // pods waiting for the node's CIDR look again at once
            for (Pod pod : podInformer.cache().byIndex(NODE_INDEX, n.name)) {
                PodState state = pods.get(podTaskKey(pod).substring(2));
                if (state != null && state.stage == Stage.PENDING) {
                    tasks.add(podTaskKey(pod));
                }
            }
        }
    }

    /** Renews every live node's Lease in batches and enqueues the nodes whose heartbeat is due. */
    private void tick() {
        Instant now = clock.instant();
        List<SimNode> live = new ArrayList<>();
        for (String name : names) {
            SimNode n = nodes.get(name);
            if (!n.stopped && !n.deleted && !n.uid.isEmpty()) {
                live.add(n);
            }
        }
        for (int from = 0; from < live.size(); from += LEASE_BATCH) {
            List<SimNode> batch = live.subList(from, Math.min(live.size(), from + LEASE_BATCH));
            tasks.run(() -> batch.forEach(n -> renewLease(n, now)));
        }
        for (SimNode n : live) {
            if (heartbeatDue(n, nodeInformer.cache().get(n.name).orElse(null), now)) {
                tasks.add("n/" + n.name);
            }
        }
    }

    private boolean heartbeatDue(SimNode n, Node node, Instant now) {
        Instant last = n.lastStatusWrite;
        Instant cached = node == null ? null : NodeTemplate.lastHeartbeat(node);
        if (cached != null && cached.isAfter(last)) {
            last = cached;
        }
        return !now.isBefore(last.plus(n.heartbeatAfter));
    }

    private void renewLease(SimNode n, Instant now) {
        if (n.stopped || n.deleted) {
            return;
        }
        ResourceClient<GenericKubernetesResource> client = api.resources(NODE_LEASES);
        for (int attempt = 0; attempt < 2; attempt++) {
            try {
                GenericKubernetesResource lease = leases.get(n.name);
                if (lease == null) {
                    lease = client.get(NodeTemplate.LEASE_NAMESPACE, n.name).orElse(null);
                }
                GenericKubernetesResource written = lease == null
                        ? client.create(template.lease(n.name, n.uid, now))
                        : client.update(NodeTemplate.renewed(lease, now));
                leases.put(n.name, written);
                return;
            } catch (ApiError e) {
                leases.remove(n.name);
                if (!e.isConflict() && !e.isNotFound() && !e.isAlreadyExists()) {
                    LOG.warnf("renewing the lease of %s failed: %s", n.name, e.getMessage());
                    return;
                }
            }
        }
    }

    /** One key's sync: {@code n/<node>} for a node's status, {@code p/<ns>/<name>} for a pod. */
    private Duration sync(String key) {
        if (key.startsWith("n/")) {
            syncNode(key.substring(2));
            return null;
        }
        return syncPod(key.substring(2));
    }

    private void syncNode(String name) {
        SimNode n = nodes.get(name);
        if (n == null || n.stopped || n.deleted) {
            return;
        }
        Node node = nodeInformer.cache().get(name).orElse(null);
        if (node == null) {
            return;
        }
        Instant now = clock.instant();
        if (!NodeTemplate.conditionsDiffer(node.getStatus()) && !heartbeatDue(n, node, now)) {
            return;
        }
        ResourceClient<Node> client = api.resources(Kinds.NODES);
        for (int attempt = 0; attempt < 2; attempt++) {
            Node next = KubeJson.convert(KubeJson.tree(node), Node.class);
            var current = next.getStatus().getConditions() == null
                    ? List.<io.fabric8.kubernetes.api.model.NodeCondition>of()
                    : next.getStatus().getConditions();
            next.getStatus().setConditions(NodeTemplate.conditions(current, now, true));
            try {
                client.updateStatus(next);
                n.lastStatusWrite = now;
                return;
            } catch (ApiError e) {
                if (e.isNotFound()) {
                    return;
                }
                if (!e.isConflict() || attempt == 1) {
                    throw e;
                }
                node = client.get("", name).orElse(null);
                if (node == null) {
                    return;
                }
            }
        }
    }

    private Duration syncPod(String key) {
        Pod pod = podInformer.cache().get(key).orElse(null);
        if (pod == null) {
            pods.remove(key);
            addresses.release(key);
            return null;
        }
        SimNode n = nodes.get(pod.getSpec().getNodeName());
        if (n == null || n.stopped || n.deleted) {
            return null;
        }
        Instant now = clock.instant();
        String uid = pod.getMetadata().getUid();
        PodState state = pods.compute(key, (k, s) -> s == null || !s.uid.equals(uid) ? new PodState(uid, now) : s);
        if (pod.getMetadata().getDeletionTimestamp() != null) {
            return finish(key, pod, state, now);
        }
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        if (state.stage == Stage.NEW
                && ("Running".equals(phase) || "Succeeded".equals(phase) || "Failed".equals(phase))) {
            // running from before (a restart of the simulator): keep its address taken
            state.stage = Stage.RUNNING;
            String ip = pod.getStatus().getPodIP();
            if (ip != null && !Boolean.TRUE.equals(pod.getSpec().getHostNetwork())) {
                addresses.claim(podCidr(n, nodeInformer.cache().get(n.name).orElse(null)), key, ip);
            }
        }
        ResourceClient<MetadataOnly> client = api.resources(POD_STATUS_WRITES);
        if (state.stage == Stage.RUNNING && "Running".equals(phase) && readyFalse(pod)) {
            // the node lifecycle controller marked it not ready while the node was gone: report it ready again, as
            // the kubelet's status manager does
            String ip = pod.getStatus().getPodIP();
            patchStatus(client, pod, PodStatuses.running(pod, n.ip, ip == null ? n.ip : ip, now));
            return null;
        }
        switch (state.stage) {
            case NEW -> {
                patchStatus(client, pod, PodStatuses.pending(pod, n.ip, now));
                state.readyAt = now.plus(startDelay());
                state.stage = Stage.PENDING;
                return Duration.between(now, state.readyAt);
            }
            case PENDING -> {
                if (now.isBefore(state.readyAt)) {
                    return Duration.between(now, state.readyAt);
                }
                String ip;
                if (Boolean.TRUE.equals(pod.getSpec().getHostNetwork())) {
                    ip = n.ip;
                } else {
                    Node node = nodeInformer.cache().get(n.name).orElse(null);
                    boolean hasCidr = node != null
                            && node.getSpec() != null
                            && node.getSpec().getPodCIDR() != null;
                    if (!hasCidr && now.isBefore(state.firstSeen.plus(config.podCidrWait()))) {
                        return CIDR_POLL;
                    }
                    String cidr = podCidr(n, node);
                    ip = addresses.allocate(cidr, key);
                    if (ip == null) {
                        LOG.warnf("pod CIDR %s of %s is full; %s waits", cidr, n.name, key);
                        return Duration.ofSeconds(1);
                    }
                }
                patchStatus(client, pod, PodStatuses.running(pod, n.ip, ip, now));
                state.stage = Stage.RUNNING;
                return null;
            }
            case RUNNING -> {
                return null;
            }
        }
        return null;
    }

    /** The kubelet confirms a deleted pod's end: delete with grace 0, for the pod of this uid only. */
    private Duration finish(String key, Pod pod, PodState state, Instant now) {
        if (state.finished) {
            return null;
        }
        if (state.deletingSince == null) {
            state.deletingSince = now;
        }
        Instant due = state.deletingSince.plus(config.finishDelay());
        if (now.isBefore(due)) {
            return Duration.between(now, due);
        }
        try {
            api.resources(Kinds.PODS)
                    .delete(
                            pod.getMetadata().getNamespace(),
                            pod.getMetadata().getName(),
                            DeleteOptions.preconditionUid(state.uid).withGracePeriod(0));
        } catch (ApiError e) {
            if (!e.isNotFound() && !e.isConflict()) {
                throw e;
            }
        }
        state.finished = true;
        addresses.release(key);
        return null;
    }

    private static void patchStatus(
            ResourceClient<MetadataOnly> client, Pod pod, com.fasterxml.jackson.databind.node.ObjectNode patch) {
        try {
            client.patchStatus(
                    pod.getMetadata().getNamespace(), pod.getMetadata().getName(), PatchType.MERGE, patch.toString());
        } catch (ApiError e) {
            if (!e.isNotFound()) {
                throw e;
            }
        }
    }

    private static boolean readyFalse(Pod pod) {
        return pod.getStatus().getConditions() != null
                && pod.getStatus().getConditions().stream()
                        .anyMatch(c -> "Ready".equals(c.getType()) && "False".equals(c.getStatus()));
    }

    private static String podCidr(SimNode n, Node node) {
        if (node != null
                && node.getSpec() != null
                && node.getSpec().getPodCIDR() != null
                && !node.getSpec().getPodCIDR().isEmpty()) {
            return node.getSpec().getPodCIDR();
        }
        return NodeTemplate.fallbackPodCidr(n.index);
    }

    private Duration startDelay() {
        long min = config.startDelayMin().toMillis();
        long max = config.startDelayMax().toMillis();
        return Duration.ofMillis(max <= min ? min : ThreadLocalRandom.current().nextLong(min, max + 1));
    }
}
