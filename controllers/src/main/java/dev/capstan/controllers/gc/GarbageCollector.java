package dev.capstan.controllers.gc;

import dev.capstan.client.ApiError;
import dev.capstan.client.Kind;
import dev.capstan.client.workqueue.RateLimiter;
import dev.capstan.client.workqueue.Reconciler;
import dev.capstan.client.workqueue.Result;
import dev.capstan.client.workqueue.WorkQueue;
import dev.capstan.controllers.ControllerContext;
import dev.capstan.controllers.gc.Graph.NodeView;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.OwnerReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Upstream's garbage collector (pkg/controller/garbagecollector). Deletes objects whose owners are all gone
 * (background), deletes the dependents of an owner deleted in foreground and then removes its
 * {@code foregroundDeletion} finalizer, and strips an owner deleted with {@code orphan} from its dependents before
 * removing that finalizer. The API server adds those finalizers on delete and removes an object whose finalizers are
 * gone; the collector only removes finalizers and deletes dependents.
 *
 * <p>It watches every served kind that can be listed, watched and deleted (re-discovered every 30 s through the
 * {@link GcItem#RESYNC} key), keeps the ownership {@link Graph} from their events, and verifies with live GETs before
 * it writes: the graph says whom to look at, the API server says what is true. Nothing is done until every watched
 * kind has synced, so that a missing dependent or owner is never a cache that has not listed yet. Records no events,
 * as upstream.
 */
public final class GarbageCollector implements Reconciler<GcItem> {
    public static final String NAME = "garbage-collector";
    static final Duration RESYNC_PERIOD = Duration.ofSeconds(30);
    private static final Duration SYNC_WAIT = Duration.ofSeconds(1);
    private static final Logger LOG = Logger.getLogger(GarbageCollector.class);

    private final ControllerContext ctx;
    private final WorkQueue<GcItem> queue;
    private final Graph graph;
    private final GraphBuilder builder;
    private final Operations ops;
    /** Back-off for polling virtual nodes and unresolvable kinds, which are waits rather than failures. */
    private final RateLimiter<GcItem> polls = RateLimiter.exponential(Duration.ofMillis(5), Duration.ofSeconds(1000));

    public GarbageCollector(ControllerContext ctx, WorkQueue<GcItem> queue) {
        this.ctx = ctx;
        this.queue = queue;
        this.graph = new Graph(queue::add);
        this.builder = new GraphBuilder(ctx.informers(), graph);
        this.ops = new Operations(ctx.api());
        // The monitors are made by the first resync, once the loop runs: by then every other loop of the process has
        // asked for its informers, whose types the monitors must share (GraphBuilder.kindFor).
        queue.add(GcItem.RESYNC);
    }

    /** The groupResources watched, for tests and diagnostics. */
    public Set<String> watched() {
        return builder.watched();
    }

    /** Whether the ownership graph has seen the object (tests: a cascade acts on what the graph has seen). */
    boolean observed(String uid) {
        return graph.get(uid).filter(NodeView::observed).isPresent();
    }

    /** Whether every watched kind has synced. */
    public boolean hasSynced() {
        return builder.hasSynced();
    }

    @Override
    public Result reconcile(GcItem item) {
        if (item.action() == GcItem.Action.RESYNC) {
            builder.sync(ctx.api().discover());
            return Result.requeueAfter(RESYNC_PERIOD);
        }
        if (!builder.hasSynced()) {
            return Result.requeueAfter(SYNC_WAIT);
        }
        Optional<NodeView> node = graph.get(item.uid());
        if (node.isEmpty()) {
            polls.forget(item);
            return Result.DONE;
        }
        try {
            if (item.action() == GcItem.Action.ORPHAN) {
                attemptToOrphan(node.get());
            } else {
                attemptToDelete(node.get());
            }
        } catch (UnresolvableKind e) {
            // upstream's restMappingError: perhaps a kind not served yet; retried, never taken as absence
            LOG.debugf("garbage collector: %s: %s", node.get().identity(), e.getMessage());
            return Result.requeueAfter(polls.when(item));
        } catch (InvalidOwner e) {
            LOG.warnf("garbage collector: %s: %s", node.get().identity(), e.getMessage());
            polls.forget(item);
            return Result.DONE;
        }
        if (!node.get().observed()) {
            // A virtual node is polled until an informer shows its object or a GET finds it absent (issue 56121).
            Optional<NodeView> now = graph.get(item.uid());
            if (now.isPresent() && !now.get().observed()) {
                return Result.requeueAfter(polls.when(item));
            }
        }
        polls.forget(item);
        return Result.DONE;
    }

    /** Upstream's attemptToDeleteItem. */
    private void attemptToDelete(NodeView item) {
        if (item.beingDeleted() && !item.deletingDependents()) {
            return; // its deletion is under way; the delete event will wake whoever waits for it
        }
        Kind<GenericKubernetesResource> kind =
                resolve(item.identity().apiVersion(), item.identity().kind());
        Optional<GenericKubernetesResource> latest = ops.get(kind, item.identity());
        if (latest.isEmpty() || !item.uid().equals(latest.get().getMetadata().getUid())) {
            graph.absent(item.uid(), item.identity()); // upstream's virtual delete event
            return;
        }
        if (item.deletingDependents()) {
            processDeletingDependents(item, kind);
            return;
        }
        List<OwnerReference> refs = Graph.ownersOf(latest.get());
        if (refs.isEmpty()) {
            return;
        }
        Classified owners = classify(item, refs);
        if (!owners.solid().isEmpty()) {
            if (owners.dangling().isEmpty() && owners.waiting().isEmpty()) {
                return;
            }
            Set<String> remove = new HashSet<>();
            owners.dangling().forEach(ref -> remove.add(ref.getUid()));
            owners.waiting().forEach(ref -> remove.add(ref.getUid()));
            LOG.debugf("garbage collector: %s keeps solid owners; removing references to %s", item.identity(), remove);
            ops.removeOwnerReferences(kind, item.identity(), item.uid(), remove);
            return;
        }
        if (!owners.waiting().isEmpty() && !graph.dependents(item.uid()).isEmpty()) {
            for (NodeView dep : graph.dependents(item.uid())) {
                if (dep.deletingDependents()) {
                    // A possible cycle of foreground deletions: stop blocking the owners so that none waits forever.
                    LOG.debugf("garbage collector: %s: unblocking its owners to prevent a cycle", item.identity());
                    ops.unblockOwnerReferences(kind, item.identity(), item.uid());
                    break;
                }
            }
            LOG.debugf("garbage collector: deleting %s in foreground: an owner waits for it", item.identity());
            ops.delete(kind, item.identity(), item.uid(), "Foreground");
            return;
        }
        List<String> finalizers = latest.get().getMetadata().getFinalizers();
        String policy;
        if (finalizers != null && finalizers.contains(Graph.ORPHAN)) {
            policy = "Orphan";
        } else if (finalizers != null && finalizers.contains(Graph.FOREGROUND)) {
            policy = "Foreground";
        } else {
            policy = "Background";
        }
        LOG.debugf("garbage collector: deleting %s (%s): no owner remains", item.identity(), policy);
        ops.delete(kind, item.identity(), item.uid(), policy);
    }

    /** Upstream's processDeletingDependentsItem: finish a foreground deletion once nothing blocks it. */
    private void processDeletingDependents(NodeView item, Kind<GenericKubernetesResource> kind) {
        List<NodeView> blocking = graph.blockingDependents(item.uid());
        if (blocking.isEmpty()) {
            LOG.debugf("garbage collector: %s has no blocking dependents left", item.identity());
            ops.removeFinalizer(kind, item.identity(), item.uid(), Graph.FOREGROUND);
            return;
        }
        for (NodeView dep : blocking) {
            if (!dep.deletingDependents()) {
                queue.add(GcItem.delete(dep.uid()));
            }
        }
    }

    /** Upstream's attemptToOrphanWorker: strip the owner from every dependent, then its orphan finalizer. */
    private void attemptToOrphan(NodeView owner) {
        List<RuntimeException> failures = new ArrayList<>();
        for (NodeView dep : graph.dependents(owner.uid())) {
            try {
                Kind<GenericKubernetesResource> kind =
                        resolve(dep.identity().apiVersion(), dep.identity().kind());
                ops.removeOwnerReferences(kind, dep.identity(), dep.uid(), Set.of(owner.uid()));
            } catch (ApiError | UnresolvableKind e) {
                failures.add(e);
            }
        }
        if (!failures.isEmpty()) {
            RuntimeException first = failures.getFirst();
            failures.stream().skip(1).forEach(first::addSuppressed);
            throw first;
        }
        Kind<GenericKubernetesResource> kind =
                resolve(owner.identity().apiVersion(), owner.identity().kind());
        ops.removeFinalizer(kind, owner.identity(), owner.uid(), Graph.ORPHAN);
    }

    private record Classified(
            List<OwnerReference> solid, List<OwnerReference> dangling, List<OwnerReference> waiting) {}

    /** Upstream's classifyReferences: each owner read live, absent or with another uid being dangling. */
    private Classified classify(NodeView item, List<OwnerReference> refs) {
        var out = new Classified(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        for (OwnerReference ref : refs) {
            Kind<GenericKubernetesResource> kind = resolve(ref.getApiVersion(), ref.getKind());
            if (kind.namespaced() && item.identity().namespace().isEmpty()) {
                throw new InvalidOwner("cluster-scoped object has a namespaced owner " + ref.getKind() + " "
                        + ref.getName() + "; the reference is ignored");
            }
            Identity at = new Identity(
                    ref.getApiVersion(),
                    ref.getKind(),
                    kind.namespaced() ? item.identity().namespace() : "",
                    ref.getName());
            Optional<GenericKubernetesResource> owner = ops.get(kind, at);
            if (owner.isEmpty()
                    || !ref.getUid().equals(owner.get().getMetadata().getUid())) {
                out.dangling().add(ref);
            } else if (Graph.deleting(owner.get()) && Graph.hasFinalizer(owner.get(), Graph.FOREGROUND)) {
                out.waiting().add(ref);
            } else {
                out.solid().add(ref);
            }
        }
        return out;
    }

    private Kind<GenericKubernetesResource> resolve(String apiVersion, String kind) {
        return builder.resolve(apiVersion, kind)
                .orElseThrow(() -> new UnresolvableKind("kind " + kind + " in " + apiVersion + " is not served"));
    }

    /** An owner or dependent whose kind discovery does not list (yet). */
    private static final class UnresolvableKind extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UnresolvableKind(String message) {
            super(message);
        }
    }

    /** Upstream's namespacedOwnerOfClusterScopedObjectErr: nothing to do but ignore it. */
    private static final class InvalidOwner extends RuntimeException {
        private static final long serialVersionUID = 1L;

        InvalidOwner(String message) {
            super(message);
        }
    }
}
