package dev.capstan.controllers.nodelifecycle;

import dev.capstan.client.ApiClient;
import dev.capstan.client.ApiError;
import dev.capstan.client.DeleteOptions;
import dev.capstan.client.Kind;
import dev.capstan.client.Kinds;
import dev.capstan.client.ListOptions;
import dev.capstan.client.PatchType;
import dev.capstan.client.events.EventRecorder;
import dev.capstan.client.informer.Indexes;
import dev.capstan.client.informer.ResourceEventHandler;
import dev.capstan.client.informer.SharedInformer;
import dev.capstan.client.workqueue.Reconciler;
import dev.capstan.client.workqueue.Result;
import dev.capstan.client.workqueue.WorkQueue;
import dev.capstan.controllers.ControllerContext;
import dev.capstan.model.json.KubeJson;
import dev.capstan.model.meta.ObjectKey;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Taint;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Upstream's node lifecycle controller (pkg/controller/nodelifecycle) with its taint eviction
 * (pkg/controller/tainteviction), keyed by {@link ObjectKey}: a cluster-scoped key is a Node, a namespaced key a Pod.
 *
 * <p>Node keys are reconciled every {@code monitorPeriod} (the key requeues itself). A pass: the node's health signal
 * (Ready heartbeat or kube-node-lease Lease renewal) older than {@code gracePeriod} sets its conditions Unknown,
 * NodeStatusUnknown "Kubelet stopped posting node status." ({@link NodeHealth}); NoSchedule taints follow the
 * conditions; the NoExecute taint follows the Ready status seen at the start of the pass (False: not-ready,
 * Unknown: unreachable, True: none), except in master disruption mode (no Ready node at all), where none is kept; on
 * the Ready → not Ready transition the node gets a NodeNotReady event and its pods' Ready condition is set False with
 * a NodeNotReady event each; then every pod of a NoExecute-tainted node is enqueued.
 *
 * <p>Pod keys: a pod on a node with NoExecute taints is deleted at once when it does not tolerate one of them, after
 * the shortest tolerationSeconds of those that match, or never; pods without a toleration for not-ready/unreachable
 * get the DefaultTolerationSeconds admission plugin's ({@code defaultTolerationSeconds}), which Capstan's API server
 * does not have. A deletion is timed from when it was first scheduled, marks the pod DisruptionTarget and records
 * TaintManagerEviction "Marking for deletion Pod ns/name"; a cancelled one records "Cancelling deletion of Pod …".
 *
 * <p>Informers: nodes, pods (with a {@code spec.nodeName} index), leases in kube-node-lease. Writes: node status,
 * node taints (update, conditional on the cached resourceVersion), pod status patches, pod deletes (uid precondition).
 */
public final class NodeLifecycleController implements Reconciler<ObjectKey> {
    public static final String NAME = "node-lifecycle-controller";
    static final String NODE_NAME_INDEX = Indexes.POD_NODE_NAME;
    static final String LEASE_NAMESPACE = "kube-node-lease";
    static final String EXCLUDE_DISRUPTION = "node.kubernetes.io/exclude-disruption";
    /** Leases as generic objects: fabric8's typed Lease has MicroTime fields the shared JSON mapper cannot read. */
    static final Kind<GenericKubernetesResource> NODE_LEASES =
            new Kind<>("coordination.k8s.io", "v1", "leases", "Lease", true, GenericKubernetesResource.class);

    private static final Logger LOG = Logger.getLogger(NodeLifecycleController.class);

    /**
     * @param monitorPeriod how often each node is looked at (--node-monitor-period, 5 s)
     * @param gracePeriod how long a node may go without a health signal (--node-monitor-grace-period, 40 s)
     * @param startupGracePeriod the same for a node that never posted a Ready condition (--node-startup-grace-period)
     * @param defaultTolerationSeconds DefaultTolerationSeconds' not-ready/unreachable toleration (300 s)
     */
    public record Config(
            Duration monitorPeriod, Duration gracePeriod, Duration startupGracePeriod, long defaultTolerationSeconds) {
        public static final Config DEFAULTS =
                new Config(Duration.ofSeconds(5), Duration.ofSeconds(40), Duration.ofSeconds(60), 300);
    }

    /** A deletion scheduled for the pod of this uid. */
    private record Scheduled(String uid, Instant fireAt) {}

    private final ApiClient api;
    private final EventRecorder events;
    private final Clock clock;
    private final Config config;
    private final WorkQueue<ObjectKey> queue;
    private final SharedInformer<Node> nodes;
    private final SharedInformer<Pod> pods;
    private final SharedInformer<GenericKubernetesResource> leases;
    private final NodeHealth health = new NodeHealth();
    private final Set<String> known = ConcurrentHashMap.newKeySet();
    private final Map<ObjectKey, Scheduled> scheduled = new ConcurrentHashMap<>();
    /** Pods deleted by uid, until the cache shows them gone or deleting: no second delete. */
    private final Map<ObjectKey, String> evicted = new ConcurrentHashMap<>();

    private volatile boolean fullDisruption;

    public NodeLifecycleController(ControllerContext ctx, WorkQueue<ObjectKey> queue) {
        this(ctx, queue, Config.DEFAULTS);
    }

    public NodeLifecycleController(ControllerContext ctx, WorkQueue<ObjectKey> queue, Config config) {
        this.api = ctx.api();
        this.events = ctx.events();
        this.clock = ctx.clock();
        this.config = config;
        this.queue = queue;
        this.nodes = ctx.informers().informer(Kinds.NODES);
        this.pods = ctx.informers().informer(Kinds.PODS);
        this.leases = ctx.informers().informer(NODE_LEASES, LEASE_NAMESPACE, ListOptions.ALL);
        Indexes.podsByNode(pods.cache());
        nodes.addEventHandler(ResourceEventHandler.onAny(
                n -> queue.add(ObjectKey.clusterScoped(n.getMetadata().getName()))));
        pods.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Pod pod) {
                enqueueBound(pod);
            }

            @Override
            public void onUpdate(Pod oldPod, Pod newPod) {
                if (!Objects.equals(nodeName(oldPod), nodeName(newPod))
                        || !Objects.equals(
                                oldPod.getSpec().getTolerations(),
                                newPod.getSpec().getTolerations())) {
                    enqueueBound(newPod);
                }
            }

            @Override
            public void onDelete(Pod pod) {
                queue.add(ObjectKey.of(pod));
            }
        });
    }

    private void enqueueBound(Pod pod) {
        if (nodeName(pod) != null) {
            queue.add(ObjectKey.of(pod));
        }
    }

    @Override
    public Result reconcile(ObjectKey key) {
        if (!nodes.hasSynced() || !pods.hasSynced() || !leases.hasSynced()) {
            return Result.requeueAfter(Duration.ofSeconds(1));
        }
        return key.isClusterScoped() ? reconcileNode(key) : reconcilePod(key);
    }

    private Result reconcileNode(ObjectKey key) {
        String name = key.name();
        Optional<Node> cached = nodes.cache().get(key);
        if (cached.isEmpty()) {
            health.forget(name);
            if (known.remove(name)) {
                LOG.infof("Controller observed a Node deletion: %s", name);
            }
            return Result.DONE;
        }
        Node node = cached.get();
        if (known.add(name)) {
            events.eventf(
                    node,
                    EventRecorder.NORMAL,
                    "RegisteredNode",
                    "Node %s event: Registered Node %s in Controller",
                    name,
                    name);
        }
        Instant now = clock.instant();
        NodeHealth.Decision decision =
                health.observe(node, leaseRenewTime(name), now, config.gracePeriod(), config.startupGracePeriod());
        if (decision.toWrite() != null) {
            node = api.resources(Kinds.NODES).updateStatus(decision.toWrite());
            health.written(node, now);
        }
        boolean disrupted = updateDisruption(name, decision.currentReady(), now);
        String evictOn = disrupted ? null : decision.observedReady();
        List<Taint> taints = NodeTaints.desired(
                taintsOf(node),
                node.getStatus() == null ? null : node.getStatus().getConditions(),
                node.getSpec() != null && Boolean.TRUE.equals(node.getSpec().getUnschedulable()),
                evictOn,
                NodeHealth.time(now));
        if (!NodeTaints.same(taints, taintsOf(node))) {
            Node next = KubeJson.convert(KubeJson.tree(node), Node.class);
            if (next.getSpec() == null) {
                next.setSpec(new io.fabric8.kubernetes.api.model.NodeSpec());
            }
            next.getSpec().setTaints(taints);
            node = api.resources(Kinds.NODES).update(next);
        }
        List<Pod> onNode = pods.cache().byIndex(NODE_NAME_INDEX, name);
        if (!"True".equals(decision.currentReady()) && "True".equals(decision.observedReady())) {
            events.eventf(
                    node, EventRecorder.NORMAL, "NodeNotReady", "Node %s status is now: %s", name, "NodeNotReady");
            markPodsNotReady(onNode, now);
        }
        boolean tainted = !TaintEviction.noExecute(taintsOf(node)).isEmpty();
        for (Pod pod : onNode) {
            ObjectKey podKey = ObjectKey.of(pod);
            if (tainted || scheduled.containsKey(podKey)) {
                queue.add(podKey);
            }
        }
        return Result.requeueAfter(config.monitorPeriod());
    }

    /**
     * Master disruption mode (upstream handleDisruption, for the case of every zone fully disrupted): when no node
     * that counts is Ready, nothing is NoExecute-tainted; when one is Ready again, every node's health signal counts
     * as fresh, so that nodes are not evicted for the time the control plane could not hear them.
     */
    private boolean updateDisruption(String name, String currentReady, Instant now) {
        int counted = 0;
        boolean anyReady = false;
        for (Node n : nodes.cache().list()) {
            if (n.getMetadata().getLabels() != null
                    && n.getMetadata().getLabels().containsKey(EXCLUDE_DISRUPTION)) {
                continue;
            }
            counted++;
            String ready = n.getMetadata().getName().equals(name) ? currentReady : readyStatus(n);
            anyReady |= "True".equals(ready);
        }
        boolean disrupted = counted > 0 && !anyReady;
        if (disrupted && !fullDisruption) {
            LOG.info("Controller detected that all Nodes are not-Ready. Entering master disruption mode");
        } else if (!disrupted && fullDisruption) {
            LOG.info("Controller detected that some Nodes are Ready. Exiting master disruption mode");
            health.resetProbes(now);
        }
        fullDisruption = disrupted;
        return disrupted;
    }

    /** Upstream's MarkPodsNotReady: each pod's Ready condition False, and a NodeNotReady event on it. */
    private void markPodsNotReady(List<Pod> onNode, Instant now) {
        for (Pod pod : onNode) {
            PodCondition ready = pod.getStatus() == null || pod.getStatus().getConditions() == null
                    ? null
                    : pod.getStatus().getConditions().stream()
                            .filter(c -> "Ready".equals(c.getType()))
                            .findFirst()
                            .orElse(null);
            if (ready == null || "False".equals(ready.getStatus())) {
                continue;
            }
            var patch = KubeJson.object();
            patch.putObject("metadata").put("uid", pod.getMetadata().getUid());
            var condition = patch.putObject("status").putArray("conditions").addObject();
            condition.put("type", "Ready").put("status", "False").put("lastTransitionTime", NodeHealth.time(now));
            if (ready.getReason() != null) {
                condition.put("reason", ready.getReason());
            }
            if (ready.getMessage() != null) {
                condition.put("message", ready.getMessage());
            }
            try {
                patchPodStatus(pod, patch.toString());
            } catch (ApiError e) {
                if (e.isNotFound()) {
                    continue;
                }
                throw e;
            }
            events.event(pod, EventRecorder.WARNING, "NodeNotReady", "Node is not ready");
        }
    }

    private Result reconcilePod(ObjectKey key) {
        Pod pod = pods.cache().get(key).orElse(null);
        if (pod == null) {
            evicted.remove(key);
            cancel(key, null);
            return Result.DONE;
        }
        String uid = pod.getMetadata().getUid();
        if (pod.getMetadata().getDeletionTimestamp() != null || uid.equals(evicted.get(key))) {
            scheduled.remove(key);
            return Result.DONE;
        }
        String nodeName = nodeName(pod);
        Node node = nodeName == null ? null : nodes.cache().get(nodeName).orElse(null);
        List<Taint> taints = node == null ? List.of() : TaintEviction.noExecute(taintsOf(node));
        if (taints.isEmpty()) {
            cancel(key, pod);
            return Result.DONE;
        }
        Optional<Duration> after = TaintEviction.evictAfter(
                taints, TaintEviction.withDefaults(pod.getSpec().getTolerations(), config.defaultTolerationSeconds()));
        if (after.isEmpty()) {
            cancel(key, pod);
            return Result.DONE;
        }
        Instant now = clock.instant();
        Scheduled s = scheduled.get(key);
        if (s == null || !s.uid().equals(uid) || after.get().isZero()) {
            s = new Scheduled(uid, now.plus(after.get()));
            scheduled.put(key, s);
        }
        if (now.isBefore(s.fireAt())) {
            return Result.requeueAfter(Duration.between(now, s.fireAt()));
        }
        evict(key, pod);
        return Result.DONE;
    }

    /** Upstream's deletePodHandler: the event, the DisruptionTarget condition, then the delete. */
    private void evict(ObjectKey key, Pod pod) {
        events.eventf(pod, EventRecorder.NORMAL, "TaintManagerEviction", "Marking for deletion Pod %s", key);
        var patch = KubeJson.object();
        patch.putObject("metadata").put("uid", pod.getMetadata().getUid());
        patch.putObject("status")
                .putArray("conditions")
                .addObject()
                .put("type", "DisruptionTarget")
                .put("status", "True")
                .put("lastTransitionTime", NodeHealth.time(clock.instant()))
                .put("reason", "DeletionByTaintManager")
                .put("message", "Taint manager: deleting due to NoExecute taint");
        try {
            patchPodStatus(pod, patch.toString());
            api.resources(Kinds.PODS)
                    .delete(
                            key.namespace(),
                            key.name(),
                            DeleteOptions.preconditionUid(pod.getMetadata().getUid()));
        } catch (ApiError e) {
            if (!e.isNotFound() && !e.isConflict()) {
                throw e;
            }
        }
        scheduled.remove(key);
        evicted.put(key, pod.getMetadata().getUid());
    }

    private void cancel(ObjectKey key, Pod pod) {
        Scheduled s = scheduled.remove(key);
        if (s != null && pod != null) {
            events.eventf(pod, EventRecorder.NORMAL, "TaintManagerEviction", "Cancelling deletion of Pod %s", key);
        }
    }

    /**
     * A strategic merge patch of one condition, so that the API server merges it by type into the pod's current
     * conditions (FakeApiClient treats it as a merge patch and replaces the list).
     */
    private void patchPodStatus(Pod pod, String patch) {
        api.resources(Kinds.PODS)
                .patchStatus(
                        pod.getMetadata().getNamespace(),
                        pod.getMetadata().getName(),
                        PatchType.STRATEGIC_MERGE,
                        patch);
    }

    private Instant leaseRenewTime(String node) {
        return leases.cache()
                .get(LEASE_NAMESPACE, node)
                .map(l -> l.getAdditionalProperties().get("spec"))
                .filter(spec -> spec instanceof Map<?, ?>)
                .map(spec -> ((Map<?, ?>) spec).get("renewTime"))
                .filter(t -> t instanceof String)
                .map(t -> Instant.parse((String) t))
                .orElse(null);
    }

    private static List<Taint> taintsOf(Node node) {
        return node.getSpec() == null || node.getSpec().getTaints() == null
                ? List.of()
                : node.getSpec().getTaints();
    }

    private static String readyStatus(Node node) {
        NodeCondition c = NodeHealth.condition(node, "Ready");
        return c == null ? "Unknown" : c.getStatus();
    }

    private static String nodeName(Pod pod) {
        String name = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
        return name == null || name.isEmpty() ? null : name;
    }

    /** For tests: whether a deletion of the pod is scheduled, and when. */
    Optional<Instant> scheduledEviction(ObjectKey pod) {
        return Optional.ofNullable(scheduled.get(pod)).map(Scheduled::fireAt);
    }

    Clock clock() {
        return clock;
    }
}
