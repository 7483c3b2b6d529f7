package dev.capstan.controllers.deployment;

import dev.capstan.client.Kinds;
import dev.capstan.client.ResourceClient;
import dev.capstan.client.events.EventRecorder;
import dev.capstan.client.informer.Indexer;
import dev.capstan.client.informer.ResourceEventHandler;
import dev.capstan.client.workqueue.Reconciler;
import dev.capstan.client.workqueue.Result;
import dev.capstan.client.workqueue.WorkQueue;
import dev.capstan.controllers.ControllerContext;
import dev.capstan.controllers.expectations.ControllerRefManager;
import dev.capstan.model.json.KubeJson;
import dev.capstan.model.labels.LabelSelector;
import dev.capstan.model.labels.SelectorParseException;
import dev.capstan.model.meta.ObjectKey;
import dev.capstan.model.meta.OwnerReferences;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Upstream's DeploymentController.syncDeployment: claims the namespace's ReplicaSets by selector, then, for a
 * Deployment being deleted only the status, while paused or on a change of replicas only scaling, otherwise one step
 * of its strategy (RollingUpdate or Recreate) and the status with its Progressing and Available conditions. Reads the
 * Deployment, ReplicaSet and Pod informers. No expectations: every ReplicaSet write is conditional on the cached
 * resourceVersion, so a stale cache answers 409 and the pass is retried.
 */
public final class DeploymentController implements Reconciler<ObjectKey> {
    public static final String NAME = "deployment";

    private static final Logger LOG = Logger.getLogger(DeploymentController.class);

    private final ControllerContext ctx;
    private final Indexer<Deployment> deployments;
    private final Indexer<ReplicaSet> replicaSets;
    private final Indexer<Pod> pods;
    private final ResourceClient<Deployment> dClient;
    private final ResourceClient<ReplicaSet> rsClient;
    private final DeploymentSync sync;
    private final Rollouts rollouts;

    public DeploymentController(ControllerContext ctx, WorkQueue<ObjectKey> queue) {
        this.ctx = ctx;
        this.dClient = ctx.api().resources(Kinds.DEPLOYMENTS);
        this.rsClient = ctx.api().resources(Kinds.REPLICA_SETS);
        this.sync = new DeploymentSync(ctx);
        this.rollouts = new Rollouts(ctx, sync);
        var dInformer = ctx.informers().informer(Kinds.DEPLOYMENTS);
        var rsInformer = ctx.informers().informer(Kinds.REPLICA_SETS);
        var podInformer = ctx.informers().informer(Kinds.PODS);
        this.deployments = dInformer.cache();
        this.replicaSets = rsInformer.cache();
        this.pods = podInformer.cache();
        dInformer.addEventHandler(ResourceEventHandler.onAny(d -> queue.add(ObjectKey.of(d))));
        rsInformer.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(ReplicaSet rs) {
                enqueueFor(rs, queue);
            }

            @Override
            public void onUpdate(ReplicaSet old, ReplicaSet rs) {
                if (Objects.equals(
                        old.getMetadata().getResourceVersion(), rs.getMetadata().getResourceVersion())) {
                    return;
                }
                Optional<OwnerReference> oldRef = OwnerReferences.controllerOf(old);
                Optional<OwnerReference> ref = OwnerReferences.controllerOf(rs);
                boolean refChanged = !oldRef.equals(ref);
                if (refChanged && oldRef.isPresent()) {
                    resolve(old.getMetadata().getNamespace(), oldRef.get()).ifPresent(d -> queue.add(ObjectKey.of(d)));
                }
                boolean labelsChanged = !Objects.equals(
                        old.getMetadata().getLabels(), rs.getMetadata().getLabels());
                // an orphan is only worth a look by matching Deployments when something that decides adoption changed
                if (ref.isPresent() || labelsChanged || refChanged) {
                    enqueueFor(rs, queue);
                }
            }

            @Override
            public void onDelete(ReplicaSet rs) {
                OwnerReferences.controllerOf(rs)
                        .flatMap(ref -> resolve(rs.getMetadata().getNamespace(), ref))
                        .ifPresent(d -> queue.add(ObjectKey.of(d)));
            }
        });
        // Recreate waits for old pods to stop: their deletion is what lets it go on.
        podInformer.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Pod pod) {}

            @Override
            public void onUpdate(Pod old, Pod pod) {}

            @Override
            public void onDelete(Pod pod) {
                deploymentOf(pod).filter(DeploymentUtil::isRecreate).ifPresent(d -> queue.add(ObjectKey.of(d)));
            }
        });
    }

    /** The controlling Deployment, or for an orphan every Deployment whose selector matches it. */
    private void enqueueFor(ReplicaSet rs, WorkQueue<ObjectKey> queue) {
        Optional<OwnerReference> ref = OwnerReferences.controllerOf(rs);
        if (ref.isPresent()) {
            resolve(rs.getMetadata().getNamespace(), ref.get()).ifPresent(d -> queue.add(ObjectKey.of(d)));
            return;
        }
        Map<String, String> labels = rs.getMetadata().getLabels() == null
                ? Map.of()
                : rs.getMetadata().getLabels();
        for (Deployment d : deployments.inNamespace(rs.getMetadata().getNamespace())) {
            LabelSelector selector = selector(d);
            if (selector != null && !selector.isEmpty() && selector.matches(labels)) {
                queue.add(ObjectKey.of(d));
            }
        }
    }

    private Optional<Deployment> deploymentOf(Pod pod) {
        return OwnerReferences.controllerOf(pod)
                .filter(ref -> "ReplicaSet".equals(ref.getKind()))
                .flatMap(ref -> replicaSets.get(pod.getMetadata().getNamespace(), ref.getName()))
                .flatMap(OwnerReferences::controllerOf)
                .flatMap(ref -> resolve(pod.getMetadata().getNamespace(), ref));
    }

    private Optional<Deployment> resolve(String namespace, OwnerReference ref) {
        if (!"Deployment".equals(ref.getKind())
                || !String.valueOf(ref.getApiVersion()).startsWith("apps/")) {
            return Optional.empty();
        }
        return deployments
                .get(namespace, ref.getName())
                .filter(d -> Objects.equals(d.getMetadata().getUid(), ref.getUid()));
    }

    private static LabelSelector selector(Deployment d) {
        try {
            return LabelSelector.of(d.getSpec().getSelector());
        } catch (SelectorParseException e) {
            return null;
        }
    }

    @Override
    public Result reconcile(ObjectKey key) throws Exception {
        Optional<Deployment> cached = deployments.get(key);
        if (cached.isEmpty()) {
            return Result.DONE;
        }
        Deployment d = KubeJson.convert(KubeJson.tree(cached.get()), Deployment.class);
        LabelSelector selector = selector(d);
        if (selector == null) {
            LOG.warnf("Deployment %s has an invalid selector", key);
            return Result.DONE;
        }
        if (selector.isEmpty()) {
            ctx.events()
                    .event(
                            d,
                            EventRecorder.WARNING,
                            "SelectingAll",
                            "This deployment is selecting all pods. A non-empty selector is required.");
            DeploymentStatus status = DeploymentSync.status(d);
            long generation = d.getMetadata().getGeneration() == null
                    ? 0
                    : d.getMetadata().getGeneration();
            if (status.getObservedGeneration() == null || status.getObservedGeneration() < generation) {
                status.setObservedGeneration(generation);
                sync.updateStatus(d);
            }
            return Result.DONE;
        }
        List<ReplicaSet> rsList = claimReplicaSets(d, selector);
        if (d.getMetadata().getDeletionTimestamp() != null) {
            DeploymentSync.Sets sets = sync.replicaSets(d, rsList, false);
            sync.writeStatusIfChanged(
                    d,
                    DeploymentStatuses.calculate(
                            sets.all(), sets.newRS(), d, ctx.clock().instant()));
            return Result.DONE;
        }
        checkPausedConditions(d);
        if (Boolean.TRUE.equals(d.getSpec().getPaused()) || isScalingEvent(d, rsList)) {
            sync.sync(d, rsList);
            return Result.DONE;
        }
        if (DeploymentUtil.isRecreate(d)) {
            return rollouts.recreate(d, rsList, podsByReplicaSet(d, rsList, selector));
        }
        return rollouts.rolling(d, rsList);
    }

    /** Upstream's getReplicaSetsForDeployment: adopts matching orphans, releases what no longer matches. */
    private List<ReplicaSet> claimReplicaSets(Deployment d, LabelSelector selector) throws Exception {
        List<ReplicaSet> inNamespace = replicaSets.inNamespace(d.getMetadata().getNamespace());
        return new ControllerRefManager<>(d, Kinds.DEPLOYMENTS, selector, rsClient, () -> recheck(d))
                .claim(inNamespace);
    }

    private Exception recheck(Deployment d) {
        Optional<Deployment> fresh =
                dClient.get(d.getMetadata().getNamespace(), d.getMetadata().getName());
        if (fresh.isEmpty()
                || !Objects.equals(
                        fresh.get().getMetadata().getUid(), d.getMetadata().getUid())) {
            return new IllegalStateException("original Deployment " + ObjectKey.of(d) + " is gone");
        }
        if (fresh.get().getMetadata().getDeletionTimestamp() != null) {
            return new IllegalStateException(ObjectKey.of(d) + " has just been deleted");
        }
        return null;
    }

    /** Upstream's getPodMapForDeployment: the selected pods by the uid of the claimed ReplicaSet controlling them. */
    private Map<String, List<Pod>> podsByReplicaSet(Deployment d, List<ReplicaSet> rsList, LabelSelector selector) {
        Set<String> uids = rsList.stream().map(rs -> rs.getMetadata().getUid()).collect(Collectors.toSet());
        Map<String, List<Pod>> out = new HashMap<>();
        rsList.forEach(rs -> out.put(rs.getMetadata().getUid(), new ArrayList<>()));
        for (Pod pod : pods.inNamespace(d.getMetadata().getNamespace())) {
            Map<String, String> labels = pod.getMetadata().getLabels() == null
                    ? Map.of()
                    : pod.getMetadata().getLabels();
            if (!selector.matches(labels)) {
                continue;
            }
            OwnerReferences.controllerOf(pod)
                    .filter(ref -> uids.contains(ref.getUid()))
                    .ifPresent(ref -> out.get(ref.getUid()).add(pod));
        }
        return out;
    }

    /** Upstream's checkPausedConditions: Progressing Unknown DeploymentPaused / DeploymentResumed. */
    private void checkPausedConditions(Deployment d) {
        if (!DeploymentStatuses.hasProgressDeadline(d)) {
            return;
        }
        var cond = DeploymentStatuses.get(d.getStatus(), DeploymentStatuses.PROGRESSING);
        if (cond.isPresent() && DeploymentStatuses.TIMED_OUT.equals(cond.get().getReason())) {
            return; // a reported lack of progress is not overwritten by a pause
        }
        boolean pausedCond =
                cond.isPresent() && DeploymentStatuses.PAUSED.equals(cond.get().getReason());
        boolean paused = Boolean.TRUE.equals(d.getSpec().getPaused());
        if (paused && !pausedCond) {
            DeploymentStatuses.set(
                    DeploymentSync.status(d),
                    DeploymentStatuses.condition(
                            DeploymentStatuses.PROGRESSING,
                            "Unknown",
                            DeploymentStatuses.PAUSED,
                            "Deployment is paused",
                            ctx.clock().instant()));
        } else if (!paused && pausedCond) {
            DeploymentStatuses.set(
                    DeploymentSync.status(d),
                    DeploymentStatuses.condition(
                            DeploymentStatuses.PROGRESSING,
                            "Unknown",
                            DeploymentStatuses.RESUMED,
                            "Deployment is resumed",
                            ctx.clock().instant()));
        } else {
            return;
        }
        sync.updateStatus(d);
    }

    /** Upstream's isScalingEvent: an active ReplicaSet was sized for another replica count. */
    private boolean isScalingEvent(Deployment d, List<ReplicaSet> rsList) {
        // upstream also syncs the new ReplicaSet's revision here; the rollout that follows does it, and doing it twice
        // in one pass only earns a conflict on the second write
        for (ReplicaSet rs : rsList) {
            if (!ProportionalScaling.active(rs)) {
                continue;
            }
            Optional<Integer> desired = DeploymentUtil.intAnnotation(rs, DeploymentUtil.DESIRED_REPLICAS);
            if (desired.isPresent() && desired.get() != DeploymentUtil.replicas(d)) {
                return true;
            }
        }
        return false;
    }
}
