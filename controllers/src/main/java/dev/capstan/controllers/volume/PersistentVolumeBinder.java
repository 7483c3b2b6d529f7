package dev.capstan.controllers.volume;

import dev.capstan.client.ApiError;
import dev.capstan.client.Kinds;
import dev.capstan.client.events.EventRecorder;
import dev.capstan.client.informer.ResourceEventHandler;
import dev.capstan.client.informer.SharedInformer;
import dev.capstan.client.workqueue.Reconciler;
import dev.capstan.client.workqueue.Result;
import dev.capstan.client.workqueue.WorkQueue;
import dev.capstan.controllers.ControllerContext;
import dev.capstan.model.meta.ObjectKey;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimStatus;
import io.fabric8.kubernetes.api.model.PersistentVolumeStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Upstream's persistentvolume-binder (pkg/controller/volume/persistentvolume/pv_controller.go) for statically made
 * volumes: a Pending claim is bound to the best matching volume ({@link VolumeMatcher}), or to the one it or the
 * volume names; binding writes the volume's claimRef, then the claim's volumeName, then both statuses, each step
 * visible to a re-run after a failure. A volume's phase follows its claim: Available without one, Bound with it,
 * Released (reclaimPolicy Retain) or Failed (Delete and Recycle: nothing here can delete a volume's data) once the
 * claim is gone. A claim whose StorageClass says WaitForFirstConsumer is bound only once a pod using it is on a node,
 * to a volume whose node affinity admits that node. There is no dynamic provisioning.
 *
 * <p>Keys are claims (namespaced) and volumes (cluster-scoped).
 */
public final class PersistentVolumeBinder implements Reconciler<ObjectKey> {
    public static final String NAME = "persistentvolume-binder";
    static final String BIND_COMPLETED = "pv.kubernetes.io/bind-completed";
    static final String BOUND_BY_CONTROLLER = "pv.kubernetes.io/bound-by-controller";
    /** Upstream resyncs every 15 s: a claim waiting for a volume looks again. */
    private static final Duration PENDING_RETRY = Duration.ofSeconds(15);

    private final ControllerContext ctx;
    private final SharedInformer<PersistentVolume> volumes;
    private final SharedInformer<PersistentVolumeClaim> claims;
    private final SharedInformer<StorageClass> classes;
    private final SharedInformer<Pod> pods;
    private final SharedInformer<Node> nodes;

    public PersistentVolumeBinder(ControllerContext ctx, WorkQueue<ObjectKey> queue) {
        this.ctx = ctx;
        this.volumes = ctx.informers().informer(Kinds.PERSISTENT_VOLUMES);
        this.claims = ctx.informers().informer(Kinds.PERSISTENT_VOLUME_CLAIMS);
        this.classes = ctx.informers().informer(Kinds.STORAGE_CLASSES);
        this.pods = ctx.informers().informer(Kinds.PODS);
        this.nodes = ctx.informers().informer(Kinds.NODES);
        volumes.addEventHandler(ResourceEventHandler.onAny(pv -> {
            queue.add(ObjectKey.clusterScoped(pv.getMetadata().getName()));
            ObjectReference ref = pv.getSpec().getClaimRef();
            if (ref != null) {
                queue.add(new ObjectKey(ref.getNamespace(), ref.getName()));
            } else {
                // a new or freed volume may be what a pending claim waits for
                claims.cache().list(c -> isBlank(c.getSpec().getVolumeName())).forEach(c -> queue.add(key(c)));
            }
        }));
        claims.addEventHandler(ResourceEventHandler.onAny(claim -> {
            queue.add(key(claim));
            if (!isBlank(claim.getSpec().getVolumeName())) {
                queue.add(ObjectKey.clusterScoped(claim.getSpec().getVolumeName()));
            }
        }));
        pods.addEventHandler(ResourceEventHandler.onAny(pod -> {
            if (pod.getSpec().getNodeName() == null || pod.getSpec().getVolumes() == null) {
                return;
            }
            for (Volume v : pod.getSpec().getVolumes()) {
                if (v.getPersistentVolumeClaim() != null) {
                    queue.add(new ObjectKey(
                            pod.getMetadata().getNamespace(),
                            v.getPersistentVolumeClaim().getClaimName()));
                }
            }
        }));
    }

    @Override
    public Result reconcile(ObjectKey key) {
        if (!volumes.hasSynced() || !claims.hasSynced() || !classes.hasSynced() || !pods.hasSynced()) {
            throw new IllegalStateException("informers of volumes, claims, storage classes and pods have not synced");
        }
        if (key.isClusterScoped()) {
            volumes.cache().get(key).ifPresent(this::syncVolume);
            return Result.DONE;
        }
        Optional<PersistentVolumeClaim> claim = claims.cache().get(key);
        if (claim.isEmpty() || claim.get().getMetadata().getDeletionTimestamp() != null) {
            return Result.DONE;
        }
        return syncClaim(claim.get());
    }

    private Result syncClaim(PersistentVolumeClaim claim) {
        String volumeName = claim.getSpec().getVolumeName();
        if (!isBlank(volumeName)) {
            return syncBoundClaim(claim, volumeName);
        }
        String className = Objects.requireNonNullElse(claim.getSpec().getStorageClassName(), "");
        Optional<StorageClass> sc =
                className.isEmpty() ? Optional.empty() : classes.cache().get("", className);
        Node node = null;
        if (sc.isPresent() && "WaitForFirstConsumer".equals(sc.get().getVolumeBindingMode())) {
            Optional<Node> consumer = consumerNode(claim);
            if (consumer.isEmpty()) {
                setClaimPhase(claim, "Pending");
                ctx.events()
                        .event(
                                claim,
                                EventRecorder.NORMAL,
                                "WaitForFirstConsumer",
                                "waiting for first consumer to be created before binding");
                return Result.DONE; // a pod's scheduling enqueues the claim
            }
            node = consumer.get();
        }
        Optional<PersistentVolume> match =
                VolumeMatcher.bestMatch(claim, volumes.cache().list(), node);
        if (match.isEmpty()) {
            setClaimPhase(claim, "Pending");
            String why = className.isEmpty()
                    ? "no persistent volumes available for this claim and no storage class is set"
                    : sc.isEmpty()
                            ? "storageclass.storage.k8s.io \"" + className + "\" not found"
                            : "no persistent volumes of storage class \"" + className
                                    + "\" available for this claim, and none is provisioned here";
            ctx.events().event(claim, EventRecorder.NORMAL, "FailedBinding", why);
            return Result.requeueAfter(PENDING_RETRY);
        }
        bind(match.get(), claim);
        return Result.DONE;
    }

    /** A claim that names its volume: bound once the volume names it back; Lost when its bound volume is gone. */
    private Result syncBoundClaim(PersistentVolumeClaim claim, String volumeName) {
        Optional<PersistentVolume> pv = volumes.cache().get("", volumeName);
        if (pv.isEmpty()) {
            boolean wasBound = claim.getStatus() != null
                    && "Bound".equals(claim.getStatus().getPhase());
            if (wasBound) {
                setClaimPhase(claim, "Lost");
                ctx.events()
                        .event(
                                claim,
                                EventRecorder.WARNING,
                                "ClaimLost",
                                "Bound claim has lost reference to PersistentVolume. Data on the volume is lost!");
            } else {
                setClaimPhase(claim, "Pending");
            }
            return Result.DONE;
        }
        ObjectReference ref = pv.get().getSpec().getClaimRef();
        if (ref == null || VolumeMatcher.isFor(ref, claim)) {
            bind(pv.get(), claim); // pre-bound by the user, or a bind that stopped half-way
        } else {
            setClaimPhase(claim, "Lost");
            ctx.events()
                    .event(
                            claim,
                            EventRecorder.WARNING,
                            "ClaimMisbound",
                            "Two claims are bound to the same volume, this one is bound incorrectly");
        }
        return Result.DONE;
    }

    /** The steps of upstream's bind, each skipped when already done. */
    private void bind(PersistentVolume pv, PersistentVolumeClaim claim) {
        boolean preBound = pv.getSpec().getClaimRef() != null;
        ObjectReference ref = pv.getSpec().getClaimRef();
        if (ref == null || isBlank(ref.getUid())) {
            PersistentVolume copy = copy(pv);
            copy.getSpec()
                    .setClaimRef(new ObjectReferenceBuilder()
                            .withKind("PersistentVolumeClaim")
                            .withApiVersion("v1")
                            .withNamespace(claim.getMetadata().getNamespace())
                            .withName(claim.getMetadata().getName())
                            .withUid(claim.getMetadata().getUid())
                            .withResourceVersion(claim.getMetadata().getResourceVersion())
                            .build());
            if (!preBound) {
                annotations(copy).put(BOUND_BY_CONTROLLER, "yes");
            }
            pv = ctx.api().resources(Kinds.PERSISTENT_VOLUMES).update(copy);
        }
        if (pv.getStatus() == null || !"Bound".equals(pv.getStatus().getPhase())) {
            PersistentVolume copy = copy(pv);
            copy.setStatus(new PersistentVolumeStatus(null, null, "Bound", null));
            pv = ctx.api().resources(Kinds.PERSISTENT_VOLUMES).updateStatus(copy);
        }
        String volumeName = pv.getMetadata().getName();
        if (!volumeName.equals(claim.getSpec().getVolumeName())
                || !"yes".equals(annotations(claim).get(BIND_COMPLETED))) {
            PersistentVolumeClaim copy = copy(claim);
            boolean byUs = isBlank(claim.getSpec().getVolumeName());
            copy.getSpec().setVolumeName(volumeName);
            annotations(copy).put(BIND_COMPLETED, "yes");
            if (byUs) {
                annotations(copy).put(BOUND_BY_CONTROLLER, "yes");
            }
            claim = ctx.api().resources(Kinds.PERSISTENT_VOLUME_CLAIMS).update(copy);
        }
        PersistentVolumeClaimStatus status = claim.getStatus();
        if (status == null
                || !"Bound".equals(status.getPhase())
                || !Objects.equals(status.getCapacity(), pv.getSpec().getCapacity())) {
            PersistentVolumeClaim copy = copy(claim);
            PersistentVolumeClaimStatus bound =
                    copy.getStatus() == null ? new PersistentVolumeClaimStatus() : copy.getStatus();
            bound.setPhase("Bound");
            bound.setAccessModes(pv.getSpec().getAccessModes());
            bound.setCapacity(pv.getSpec().getCapacity());
            copy.setStatus(bound);
            ctx.api().resources(Kinds.PERSISTENT_VOLUME_CLAIMS).updateStatus(copy);
        }
    }

    private void syncVolume(PersistentVolume pv) {
        ObjectReference ref = pv.getSpec().getClaimRef();
        if (ref == null) {
            setVolumePhase(pv, "Available", null);
            return;
        }
        Optional<PersistentVolumeClaim> claim = claims.cache().get(ref.getNamespace(), ref.getName());
        boolean same = claim.isPresent()
                && (isBlank(ref.getUid())
                        || ref.getUid().equals(claim.get().getMetadata().getUid()));
        if (same) {
            if (pv.getMetadata().getName().equals(claim.get().getSpec().getVolumeName())) {
                setVolumePhase(pv, "Bound", null);
            } else {
                setVolumePhase(pv, "Available", null); // pre-bound; the claim's sync binds it
            }
            return;
        }
        if (isBlank(ref.getUid())) {
            setVolumePhase(pv, "Available", null); // pre-bound to a claim not made yet
            return;
        }
        String policy = Objects.requireNonNullElse(pv.getSpec().getPersistentVolumeReclaimPolicy(), "Retain");
        if (policy.equals("Retain")) {
            setVolumePhase(pv, "Released", null);
        } else {
            setVolumePhase(
                    pv,
                    "Failed",
                    "no volume plugin here can " + (policy.equals("Delete") ? "delete" : "recycle")
                            + " this volume (reclaimPolicy " + policy + "): clean it up and delete it yourself");
        }
    }

    /** The node of a scheduled pod that uses the claim. */
    private Optional<Node> consumerNode(PersistentVolumeClaim claim) {
        String ns = claim.getMetadata().getNamespace();
        String name = claim.getMetadata().getName();
        for (Pod pod : pods.cache().inNamespace(ns)) {
            if (isBlank(pod.getSpec().getNodeName()) || pod.getSpec().getVolumes() == null) {
                continue;
            }
            for (Volume v : pod.getSpec().getVolumes()) {
                if (v.getPersistentVolumeClaim() != null
                        && name.equals(v.getPersistentVolumeClaim().getClaimName())) {
                    return nodes.cache().get("", pod.getSpec().getNodeName());
                }
            }
        }
        return Optional.empty();
    }

    private void setClaimPhase(PersistentVolumeClaim claim, String phase) {
        if (claim.getStatus() != null && phase.equals(claim.getStatus().getPhase())) {
            return;
        }
        PersistentVolumeClaim copy = copy(claim);
        PersistentVolumeClaimStatus status =
                copy.getStatus() == null ? new PersistentVolumeClaimStatus() : copy.getStatus();
        status.setPhase(phase);
        copy.setStatus(status);
        updateIgnoringGone(
                () -> ctx.api().resources(Kinds.PERSISTENT_VOLUME_CLAIMS).updateStatus(copy));
    }

    private void setVolumePhase(PersistentVolume pv, String phase, String message) {
        if (pv.getStatus() != null
                && phase.equals(pv.getStatus().getPhase())
                && Objects.equals(message, pv.getStatus().getMessage())) {
            return;
        }
        PersistentVolume copy = copy(pv);
        copy.setStatus(new PersistentVolumeStatus(null, message, phase, null));
        updateIgnoringGone(() -> ctx.api().resources(Kinds.PERSISTENT_VOLUMES).updateStatus(copy));
    }

    private static void updateIgnoringGone(Runnable update) {
        try {
            update.run();
        } catch (ApiError e) {
            if (!e.isNotFound()) {
                throw e; // a conflict: the key is retried with the newer object
            }
        }
    }

    private static Map<String, String> annotations(io.fabric8.kubernetes.api.model.HasMetadata object) {
        if (object.getMetadata().getAnnotations() == null) {
            object.getMetadata().setAnnotations(new HashMap<>());
        }
        return object.getMetadata().getAnnotations();
    }

    private static PersistentVolume copy(PersistentVolume pv) {
        return new io.fabric8.kubernetes.api.model.PersistentVolumeBuilder(pv).build();
    }

    private static PersistentVolumeClaim copy(PersistentVolumeClaim claim) {
        return new io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder(claim).build();
    }

    private static ObjectKey key(PersistentVolumeClaim claim) {
        return ObjectKey.of(claim);
    }

    private static boolean isBlank(String s) {
        return s == null || s.isEmpty();
    }
}
