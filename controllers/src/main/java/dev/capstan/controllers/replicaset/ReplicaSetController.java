package dev.capstan.controllers.replicaset;

import dev.capstan.client.ApiError;
import dev.capstan.client.Kinds;
import dev.capstan.client.ResourceClient;
import dev.capstan.client.events.EventRecorder;
import dev.capstan.client.informer.Indexer;
import dev.capstan.client.informer.ResourceEventHandler;
import dev.capstan.client.workqueue.Reconciler;
import dev.capstan.client.workqueue.Result;
import dev.capstan.client.workqueue.WorkQueue;
import dev.capstan.controllers.ControllerContext;
import dev.capstan.controllers.ParallelCalls;
import dev.capstan.controllers.expectations.ControllerExpectations;
import dev.capstan.controllers.expectations.ControllerRefManager;
import dev.capstan.model.json.KubeJson;
import dev.capstan.model.labels.LabelSelector;
import dev.capstan.model.labels.SelectorParseException;
import dev.capstan.model.meta.ObjectKey;
import dev.capstan.model.meta.OwnerReferences;
import dev.capstan.model.pod.PodConditions;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Upstream's ReplicaSetController.syncReplicaSet: claims the active pods of a ReplicaSet's namespace by selector,
 * creates (slow-start batches, at most {@link #BURST_REPLICAS} a pass) or deletes (by {@link PodRanking}) pods until
 * spec.replicas are active, and writes status when it changed. It acts only when the pod cache has seen its previous
 * creates and deletes ({@link ControllerExpectations}, keyed by "ns/name"). Reads the ReplicaSet and Pod informers.
 */
public final class ReplicaSetController implements Reconciler<ObjectKey> {
    public static final String NAME = "replicaset";
    /** Upstream's BurstReplicas: creates or deletes one sync issues at most. */
    public static final int BURST_REPLICAS = 500;
    /** Upstream's SlowStartInitialBatchSize. */
    public static final int SLOW_START_INITIAL_BATCH = 1;

    private static final Logger LOG = Logger.getLogger(ReplicaSetController.class);

    private final ControllerContext ctx;
    private final WorkQueue<ObjectKey> queue;
    private final Indexer<ReplicaSet> replicaSets;
    private final Indexer<Pod> pods;
    private final ResourceClient<Pod> podClient;
    private final ResourceClient<ReplicaSet> rsClient;
    private final ControllerExpectations expectations;

    public ReplicaSetController(ControllerContext ctx, WorkQueue<ObjectKey> queue) {
        this.ctx = ctx;
        this.queue = queue;
        this.expectations = new ControllerExpectations(ctx.clock());
        this.podClient = ctx.api().resources(Kinds.PODS);
        this.rsClient = ctx.api().resources(Kinds.REPLICA_SETS);
        var rsInformer = ctx.informers().informer(Kinds.REPLICA_SETS);
        var podInformer = ctx.informers().informer(Kinds.PODS);
        this.replicaSets = rsInformer.cache();
        this.pods = podInformer.cache();
        rsInformer.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(ReplicaSet rs) {
                queue.add(ObjectKey.of(rs));
            }

            @Override
            public void onUpdate(ReplicaSet old, ReplicaSet rs) {
                if (!Objects.equals(old.getMetadata().getUid(), rs.getMetadata().getUid())) {
                    expectations.delete(ObjectKey.of(old).toString());
                }
                queue.add(ObjectKey.of(rs));
            }

            @Override
            public void onDelete(ReplicaSet rs) {
                expectations.delete(ObjectKey.of(rs).toString());
                queue.add(ObjectKey.of(rs));
            }
        });
        podInformer.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Pod pod) {
                podAdded(pod);
            }

            @Override
            public void onUpdate(Pod old, Pod pod) {
                podUpdated(old, pod);
            }

            @Override
            public void onDelete(Pod pod) {
                podDeleted(pod);
            }
        });
    }

    /** The expectations this controller keeps (visible to tests). */
    ControllerExpectations expectations() {
        return expectations;
    }

    private void podAdded(Pod pod) {
        if (pod.getMetadata().getDeletionTimestamp() != null) {
            // A pod already being deleted when first seen must not count as an observed creation.
            podDeleted(pod);
            return;
        }
        Optional<OwnerReference> ref = OwnerReferences.controllerOf(pod);
        if (ref.isPresent()) {
            resolve(pod.getMetadata().getNamespace(), ref.get()).ifPresent(rs -> {
                expectations.creationObserved(ObjectKey.of(rs).toString());
                queue.add(ObjectKey.of(rs));
            });
            return;
        }
        matchingReplicaSets(pod).forEach(rs -> queue.add(ObjectKey.of(rs)));
    }

    private void podUpdated(Pod old, Pod pod) {
        if (Objects.equals(
                old.getMetadata().getResourceVersion(), pod.getMetadata().getResourceVersion())) {
            return; // a resync: nothing changed
        }
        boolean labelsChanged =
                !Objects.equals(old.getMetadata().getLabels(), pod.getMetadata().getLabels());
        if (pod.getMetadata().getDeletionTimestamp() != null) {
            podDeleted(pod);
            if (labelsChanged) {
                podDeleted(old);
            }
            return;
        }
        Optional<OwnerReference> ref = OwnerReferences.controllerOf(pod);
        Optional<OwnerReference> oldRef = OwnerReferences.controllerOf(old);
        boolean refChanged = !Objects.equals(ref, oldRef);
        if (refChanged && oldRef.isPresent()) {
            resolve(old.getMetadata().getNamespace(), oldRef.get()).ifPresent(rs -> queue.add(ObjectKey.of(rs)));
        }
        if (ref.isPresent()) {
            resolve(pod.getMetadata().getNamespace(), ref.get()).ifPresent(rs -> {
                queue.add(ObjectKey.of(rs));
                int minReady = ReplicaSetStatuses.intOr(rs.getSpec().getMinReadySeconds(), 0);
                if (!PodConditions.isReady(old) && PodConditions.isReady(pod) && minReady > 0) {
                    queue.addAfter(ObjectKey.of(rs), Duration.ofSeconds(minReady + 1L));
                }
            });
            return;
        }
        if (labelsChanged || refChanged) {
            matchingReplicaSets(pod).forEach(rs -> queue.add(ObjectKey.of(rs)));
        }
    }

    private void podDeleted(Pod pod) {
        OwnerReferences.controllerOf(pod)
                .flatMap(ref -> resolve(pod.getMetadata().getNamespace(), ref))
                .ifPresent(rs -> {
                    expectations.deletionObserved(ObjectKey.of(rs).toString(), Indexer.keyOf(pod));
                    queue.add(ObjectKey.of(rs));
                });
    }

    /** Upstream's resolveControllerRef: the cached ReplicaSet the reference names, if it is the same object. */
    private Optional<ReplicaSet> resolve(String namespace, OwnerReference ref) {
        if (!"ReplicaSet".equals(ref.getKind())
                || !String.valueOf(ref.getApiVersion()).startsWith("apps/")) {
            return Optional.empty();
        }
        return replicaSets
                .get(namespace, ref.getName())
                .filter(rs -> Objects.equals(rs.getMetadata().getUid(), ref.getUid()));
    }

    /** Upstream's GetPodReplicaSets: the namespace's ReplicaSets whose non-empty selector matches the pod. */
    private List<ReplicaSet> matchingReplicaSets(Pod pod) {
        Map<String, String> labels = labels(pod);
        List<ReplicaSet> out = new ArrayList<>();
        for (ReplicaSet rs : replicaSets.inNamespace(pod.getMetadata().getNamespace())) {
            try {
                LabelSelector selector = LabelSelector.of(rs.getSpec().getSelector());
                if (!selector.isEmpty() && !selector.matchesNothing() && selector.matches(labels)) {
                    out.add(rs);
                }
            } catch (SelectorParseException e) {
                // an invalid selector matches nothing
            }
        }
        return out;
    }

    @Override
    public Result reconcile(ObjectKey key) throws Exception {
        String rsKey = key.toString();
        Optional<ReplicaSet> cached = replicaSets.get(key);
        if (cached.isEmpty()) {
            expectations.delete(rsKey);
            return Result.DONE;
        }
        ReplicaSet rs = cached.get();
        LabelSelector selector;
        try {
            selector = LabelSelector.of(rs.getSpec().getSelector());
        } catch (SelectorParseException e) {
            LOG.warnf("ReplicaSet %s has an invalid selector: %s", rsKey, e.getMessage());
            return Result.DONE;
        }
        boolean needsSync = expectations.satisfied(rsKey);
        List<Pod> active = pods.inNamespace(key.namespace()).stream()
                .filter(PodStates::isActive)
                .toList();
        List<Pod> claimed = new ControllerRefManager<>(rs, Kinds.REPLICA_SETS, selector, podClient, () -> recheck(rs))
                .claim(active);
        Exception manageError = null;
        if (needsSync && rs.getMetadata().getDeletionTimestamp() == null) {
            try {
                manageReplicas(rs, rsKey, claimed);
            } catch (Exception e) {
                manageError = e;
            }
        }
        Instant now = ctx.clock().instant();
        ReplicaSetStatus status = ReplicaSetStatuses.calculate(rs, claimed, manageError, now);
        writeStatus(rs, status);
        if (manageError != null) {
            throw manageError;
        }
        return requeueForAvailability(rs, claimed, now);
    }

    /**
     * Upstream's updateReplicaSetStatus: writes only a changed status; on a failure reads the ReplicaSet again and
     * retries once (statusUpdateRetries), so a cache behind the controller's own last status write is no error.
     */
    private void writeStatus(ReplicaSet rs, ReplicaSetStatus status) {
        ReplicaSet current = rs;
        for (int attempt = 0; ; attempt++) {
            status.setObservedGeneration(current.getMetadata().getGeneration());
            if (!ReplicaSetStatuses.differs(current.getStatus(), status)) {
                return;
            }
            ReplicaSet copy = copy(current);
            copy.setStatus(status);
            try {
                rsClient.updateStatus(copy);
                return;
            } catch (ApiError e) {
                if (attempt >= 1 || e.isNotFound()) {
                    throw e;
                }
                Optional<ReplicaSet> fresh = rsClient.get(
                        rs.getMetadata().getNamespace(), rs.getMetadata().getName());
                if (fresh.isEmpty()) {
                    throw e;
                }
                current = fresh.get();
            }
        }
    }

    /** Looks again when the first ready pod outlasts minReadySeconds, so availableReplicas counts it. */
    private static Result requeueForAvailability(ReplicaSet rs, List<Pod> claimed, Instant now) {
        int minReady = ReplicaSetStatuses.intOr(rs.getSpec().getMinReadySeconds(), 0);
        return claimed.stream()
                .map(p -> PodStates.untilAvailable(p, minReady, now))
                .flatMap(Optional::stream)
                .min(Duration::compareTo)
                // availability needs ready+minReadySeconds strictly before now, at second precision
                .map(d -> Result.requeueAfter(d.plusSeconds(1)))
                .orElse(Result.DONE);
    }

    /** Upstream's RecheckDeletionTimestamp: a fresh read of the ReplicaSet before the first adoption. */
    private Exception recheck(ReplicaSet rs) {
        Optional<ReplicaSet> fresh =
                rsClient.get(rs.getMetadata().getNamespace(), rs.getMetadata().getName());
        if (fresh.isEmpty()
                || !Objects.equals(
                        fresh.get().getMetadata().getUid(), rs.getMetadata().getUid())) {
            return new IllegalStateException("original " + ObjectKey.of(rs) + " is gone: got uid "
                    + fresh.map(f -> f.getMetadata().getUid()).orElse("") + ", wanted "
                    + rs.getMetadata().getUid());
        }
        if (fresh.get().getMetadata().getDeletionTimestamp() != null) {
            return new IllegalStateException(ObjectKey.of(rs) + " has just been deleted at "
                    + fresh.get().getMetadata().getDeletionTimestamp());
        }
        return null;
    }

    private void manageReplicas(ReplicaSet rs, String rsKey, List<Pod> claimed) {
        int diff = claimed.size() - ReplicaSetStatuses.intOr(rs.getSpec().getReplicas(), 1);
        if (diff < 0) {
            int toCreate = Math.min(-diff, BURST_REPLICAS);
            expectations.expectCreations(rsKey, toCreate);
            int created = 0;
            RuntimeException failure = null;
            // Slow start: batches of 1, 2, 4, ...; a batch with a failure ends the pass, so that a create that fails
            // (quota, admission) fails a few times instead of hundreds.
            for (int batch = Math.min(toCreate, SLOW_START_INITIAL_BATCH);
                    batch > 0;
                    batch = Math.min(2 * batch, toCreate - created)) {
                List<RuntimeException> failures = ParallelCalls.run(batch, i -> createPod(rs));
                created += batch - failures.size();
                if (!failures.isEmpty()) {
                    failure = failures.get(0);
                    break;
                }
            }
            // Creates never attempted or failed are never seen by the informer: stop expecting them.
            for (int skipped = toCreate - created; skipped > 0; skipped--) {
                expectations.creationObserved(rsKey);
            }
            if (failure != null) {
                throw failure;
            }
        } else if (diff > 0) {
            int toDelete = Math.min(diff, BURST_REPLICAS);
            List<Pod> victims = PodRanking.podsToDelete(
                    claimed, relatedPods(rs), toDelete, ctx.clock().instant());
            expectations.expectDeletions(
                    rsKey, victims.stream().map(Indexer::keyOf).toList());
            List<RuntimeException> failures = ParallelCalls.run(victims.size(), i -> {
                Pod pod = victims.get(i);
                try {
                    deletePod(rs, pod);
                } catch (RuntimeException e) {
                    expectations.deletionObserved(rsKey, Indexer.keyOf(pod));
                    if (!(e instanceof ApiError api && api.isNotFound())) {
                        throw e;
                    }
                }
            });
            if (!failures.isEmpty()) {
                throw failures.get(0);
            }
        }
    }

    /** Upstream's getIndirectlyRelatedPods: the pods of every ReplicaSet with this one's controller. */
    private List<Pod> relatedPods(ReplicaSet rs) {
        Set<String> uids = new HashSet<>();
        uids.add(rs.getMetadata().getUid());
        Optional<OwnerReference> owner = OwnerReferences.controllerOf(rs);
        if (owner.isPresent()) {
            for (ReplicaSet other : replicaSets.inNamespace(rs.getMetadata().getNamespace())) {
                if (OwnerReferences.isControlledBy(other, owner.get().getUid())) {
                    uids.add(other.getMetadata().getUid());
                }
            }
        }
        return pods.inNamespace(rs.getMetadata().getNamespace()).stream()
                .filter(p -> OwnerReferences.controllerOf(p)
                        .map(r -> uids.contains(r.getUid()))
                        .orElse(false))
                .toList();
    }

    /** Upstream's PodControl.CreatePods with GetPodFromTemplate. */
    private void createPod(ReplicaSet rs) {
        Pod pod = podFromTemplate(rs.getSpec().getTemplate(), rs);
        try {
            Pod created = podClient.create(pod);
            ctx.events()
                    .event(
                            rs,
                            EventRecorder.NORMAL,
                            "SuccessfulCreate",
                            "Created pod: " + created.getMetadata().getName());
        } catch (RuntimeException e) {
            ctx.events().event(rs, EventRecorder.WARNING, "FailedCreate", "Error creating: " + e.getMessage());
            throw e;
        }
    }

    private void deletePod(ReplicaSet rs, Pod pod) {
        try {
            podClient.delete(pod.getMetadata().getNamespace(), pod.getMetadata().getName());
            ctx.events()
                    .event(
                            rs,
                            EventRecorder.NORMAL,
                            "SuccessfulDelete",
                            "Deleted pod: " + pod.getMetadata().getName());
        } catch (RuntimeException e) {
            if (!(e instanceof ApiError api && api.isNotFound())) {
                ctx.events().event(rs, EventRecorder.WARNING, "FailedDelete", "Error deleting: " + e.getMessage());
            }
            throw e;
        }
    }

    /** Upstream's GetPodFromTemplate: template labels, annotations and finalizers, generateName, the controllerRef. */
    static Pod podFromTemplate(PodTemplateSpec template, ReplicaSet rs) {
        Pod pod = new Pod();
        pod.setApiVersion("v1");
        pod.setKind("Pod");
        var meta = new io.fabric8.kubernetes.api.model.ObjectMeta();
        meta.setNamespace(rs.getMetadata().getNamespace());
        meta.setGenerateName(rs.getMetadata().getName() + "-");
        var templateMeta = template == null ? null : template.getMetadata();
        if (templateMeta != null) {
            meta.setLabels(templateMeta.getLabels() == null ? null : new HashMap<>(templateMeta.getLabels()));
            meta.setAnnotations(
                    templateMeta.getAnnotations() == null ? null : new HashMap<>(templateMeta.getAnnotations()));
            meta.setFinalizers(
                    templateMeta.getFinalizers() == null ? null : new ArrayList<>(templateMeta.getFinalizers()));
        }
        meta.setOwnerReferences(new ArrayList<>(List.of(ControllerRefManager.controllerRef(rs, Kinds.REPLICA_SETS))));
        pod.setMetadata(meta);
        pod.setSpec(
                template == null || template.getSpec() == null
                        ? new PodSpec()
                        : KubeJson.convert(KubeJson.tree(template.getSpec()), PodSpec.class));
        return pod;
    }

    private static ReplicaSet copy(ReplicaSet rs) {
        return KubeJson.convert(KubeJson.tree(rs), ReplicaSet.class);
    }

    private static Map<String, String> labels(Pod pod) {
        return pod.getMetadata().getLabels() == null
                ? Map.of()
                : pod.getMetadata().getLabels();
    }
}
