package dev.capstan.controllers.nodeipam;

import dev.capstan.client.ApiClient;
import dev.capstan.client.ApiError;
import dev.capstan.client.Kinds;
import dev.capstan.client.PatchType;
import dev.capstan.client.events.EventRecorder;
import dev.capstan.client.informer.ResourceEventHandler;
import dev.capstan.client.informer.SharedInformer;
import dev.capstan.client.workqueue.Reconciler;
import dev.capstan.client.workqueue.Result;
import dev.capstan.client.workqueue.WorkQueue;
import dev.capstan.controllers.ControllerContext;
import dev.capstan.model.json.KubeJson;
import dev.capstan.model.meta.ObjectKey;
import io.fabric8.kubernetes.api.model.Node;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Upstream's node IPAM controller with the range allocator (pkg/controller/nodeipam/ipam/range_allocator.go): each
 * Node without a pod CIDR gets the next free {@code /nodeCidrMaskSize} of the cluster CIDR in spec.podCIDR and
 * spec.podCIDRs, once; a Node that has one keeps it and its subnet is marked taken; a deleted Node's subnet is
 * released. On the first reconcile the allocation map is rebuilt from every Node in the cache, so that a restart
 * (or another controller manager taking over) never hands out a subnet twice. When the cluster CIDR is exhausted the
 * Node gets a CIDRNotAvailable event and the key is retried with back-off.
 *
 * <p>Expectations: a subnet written to a Node is remembered with the Node's uid until the cache shows it, so that a
 * reconcile on a cache that has not yet seen the patch does not allocate a second subnet.
 *
 * <p>Informers: nodes (all). Writes: node merge patches of spec.podCIDR/podCIDRs. IPv4 single-stack only.
 */
public final class NodeIpamController implements Reconciler<ObjectKey> {
    public static final String NAME = "node-ipam-controller";
    private static final Logger LOG = Logger.getLogger(NodeIpamController.class);

    /**
     * @param clusterCidr the range node subnets are taken from (kube-controller-manager's --cluster-cidr)
     * @param nodeCidrMaskSize the prefix length of each node's subnet (--node-cidr-mask-size, 24 for IPv4)
     */
    public record Config(String clusterCidr, int nodeCidrMaskSize) {
        public static final Config DEFAULTS = new Config("10.244.0.0/16", 24);
    }

    /** A subnet given to (or found on) the Node of this uid. */
    private record Assigned(String uid, String cidr) {}

    private final ApiClient api;
    private final EventRecorder events;
    private final SharedInformer<Node> nodes;
    private final CidrSet cidrs;
    private final Map<String, Assigned> byNode = new HashMap<>();
    private boolean rebuilt;

    public NodeIpamController(ControllerContext ctx, WorkQueue<ObjectKey> queue) {
        this(ctx, queue, Config.DEFAULTS);
    }

    public NodeIpamController(ControllerContext ctx, WorkQueue<ObjectKey> queue, Config config) {
        this.api = ctx.api();
        this.events = ctx.events();
        this.cidrs = new CidrSet(config.clusterCidr(), config.nodeCidrMaskSize());
        this.nodes = ctx.informers().informer(Kinds.NODES);
        nodes.addEventHandler(ResourceEventHandler.onAny(
                node -> queue.add(ObjectKey.clusterScoped(node.getMetadata().getName()))));
    }

    @Override
    public Result reconcile(ObjectKey key) {
        if (!nodes.hasSynced()) {
            return Result.requeueAfter(Duration.ofSeconds(1));
        }
        String name = key.name();
        Optional<Node> cached = nodes.cache().get(key);
        String cidr;
        synchronized (cidrs) {
            if (!rebuilt) {
                rebuild();
            }
            if (cached.isEmpty()) {
                release(name);
                return Result.DONE;
            }
            Node node = cached.get();
            String uid = node.getMetadata().getUid();
            List<String> existing = podCidrs(node);
            Assigned previous = byNode.get(name);
            if (!existing.isEmpty()) {
                if (previous == null || !previous.cidr().equals(existing.get(0))) {
                    release(name);
                    occupy(name, uid, existing.get(0));
                } else if (!previous.uid().equals(uid)) {
                    byNode.put(name, new Assigned(uid, previous.cidr()));
                }
                return Result.DONE;
            }
            if (previous != null) {
                if (previous.uid().equals(uid)) {
                    return Result.DONE; // our patch is on its way to the cache; its update enqueues the key again
                }
                release(name); // a namesake that was deleted while we were not looking
            }
            Optional<String> next = cidrs.allocateNext();
            if (next.isEmpty()) {
                events.eventf(
                        node,
                        EventRecorder.NORMAL,
                        "CIDRNotAvailable",
                        "Node %s status is now: %s",
                        name,
                        "CIDRNotAvailable");
                throw new IllegalStateException("failed to allocate cidr from cluster cidr: cidrset: CIDR allocation"
                        + " failed; there are no remaining CIDRs left to allocate in the accepted range");
            }
            cidr = next.get();
            byNode.put(name, new Assigned(uid, cidr));
        }
        patch(cached.get(), cidr);
        return Result.DONE;
    }

    /** How many subnets are taken; for tests and metrics. */
    public int allocatedCount() {
        synchronized (cidrs) {
            return cidrs.used();
        }
    }

    private void patch(Node node, String cidr) {
        String name = node.getMetadata().getName();
        var patch = KubeJson.object();
        var spec = patch.putObject("spec");
        spec.put("podCIDR", cidr);
        spec.putArray("podCIDRs").add(cidr);
        try {
            api.resources(Kinds.NODES).patch("", name, PatchType.MERGE, patch.toString());
            LOG.infof("Set node %s PodCIDR to [%s]", name, cidr);
        } catch (ApiError e) {
            synchronized (cidrs) {
                release(name);
            }
            if (e.isNotFound()) {
                return;
            }
            events.eventf(
                    node,
                    EventRecorder.NORMAL,
                    "CIDRAssignmentFailed",
                    "Node %s status is now: %s",
                    name,
                    "CIDRAssignmentFailed");
            throw e;
        }
    }

    /** Marks every cached Node's subnet taken (upstream does this when the allocator is built). Caller holds the lock. */
    private void rebuild() {
        for (Node node : nodes.cache().list()) {
            List<String> existing = podCidrs(node);
            if (!existing.isEmpty()) {
                occupy(node.getMetadata().getName(), node.getMetadata().getUid(), existing.get(0));
            }
        }
        rebuilt = true;
    }

    private void occupy(String name, String uid, String cidr) {
        if (!cidrs.occupy(cidr)) {
            LOG.warnf("node %s has pod CIDR %s outside the cluster CIDR; it is left as it is", name, cidr);
        }
        byNode.put(name, new Assigned(uid, cidr));
    }

    private void release(String name) {
        Assigned assigned = byNode.remove(name);
        if (assigned != null) {
            cidrs.release(assigned.cidr());
        }
    }

    /** spec.podCIDRs, or the single spec.podCIDR of an older writer. */
    static List<String> podCidrs(Node node) {
        if (node.getSpec() == null) {
            return List.of();
        }
        List<String> list = node.getSpec().getPodCIDRs();
        if (list != null && !list.isEmpty()) {
            return list;
        }
        String single = node.getSpec().getPodCIDR();
        return single == null || single.isEmpty() ? List.of() : List.of(single);
    }
}
