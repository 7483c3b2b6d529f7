package dev.capstan.controllers.deployment;

import dev.capstan.client.ApiError;
import dev.capstan.client.Kinds;
import dev.capstan.client.ResourceClient;
import dev.capstan.client.events.EventRecorder;
import dev.capstan.controllers.ControllerContext;
import dev.capstan.controllers.expectations.ControllerRefManager;
import dev.capstan.model.json.KubeJson;
import dev.capstan.model.meta.OwnerReferences;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The writes of one Deployment sync (upstream's sync.go, rolling.go, recreate.go): finding or creating the new
 * ReplicaSet, scaling, cleaning up history, and the status. {@code d} is the pass's own copy of the Deployment; every
 * write to it takes the answer's resourceVersion, so later writes of the same pass do not conflict with earlier ones.
 */
final class DeploymentSync {
    private final ControllerContext ctx;
    private final ResourceClient<ReplicaSet> rsClient;
    private final ResourceClient<Deployment> dClient;

    DeploymentSync(ControllerContext ctx) {
        this.ctx = ctx;
        this.rsClient = ctx.api().resources(Kinds.REPLICA_SETS);
        this.dClient = ctx.api().resources(Kinds.DEPLOYMENTS);
    }

    /** The new ReplicaSet (empty when none and not created) and the old ones. */
    record Sets(ReplicaSet newRS, List<ReplicaSet> old) {
        List<ReplicaSet> all() {
            List<ReplicaSet> all = new ArrayList<>(old);
            if (newRS != null) {
                all.add(newRS);
            }
            return all;
        }
    }

    private Instant now() {
        return ctx.clock().instant();
    }

    /** Upstream's getAllReplicaSetsAndSyncRevision. */
    Sets replicaSets(Deployment d, List<ReplicaSet> rsList, boolean create) {
        List<ReplicaSet> old = DeploymentUtil.oldReplicaSets(d, rsList);
        return new Sets(newReplicaSet(d, rsList, old, create), old);
    }

    /** Upstream's getNewReplicaSet: syncs the existing new ReplicaSet's annotations, or creates it. */
    private ReplicaSet newReplicaSet(Deployment d, List<ReplicaSet> rsList, List<ReplicaSet> old, boolean create) {
        long newRevision = DeploymentUtil.maxRevision(old) + 1;
        Optional<ReplicaSet> existing = DeploymentUtil.findNewReplicaSet(d, rsList);
        if (existing.isPresent()) {
            ReplicaSet rs = copy(existing.get());
            boolean annotationsChanged = DeploymentUtil.setNewReplicaSetAnnotations(d, rs, newRevision, true);
            int minReady = DeploymentStatuses.intOr(d.getSpec().getMinReadySeconds(), 0);
            if (annotationsChanged || DeploymentStatuses.intOr(rs.getSpec().getMinReadySeconds(), 0) != minReady) {
                rs.getSpec().setMinReadySeconds(minReady);
                return rsClient.update(rs);
            }
            setRevision(d, DeploymentUtil.annotations(rs).get(DeploymentUtil.REVISION));
            if (DeploymentStatuses.hasProgressDeadline(d)
                    && DeploymentStatuses.get(d.getStatus(), DeploymentStatuses.PROGRESSING)
                            .isEmpty()) {
                DeploymentStatuses.set(
                        status(d),
                        DeploymentStatuses.condition(
                                DeploymentStatuses.PROGRESSING,
                                "True",
                                DeploymentStatuses.FOUND_NEW_RS,
                                "Found new replica set \"" + rs.getMetadata().getName() + "\"",
                                now()));
                updateStatus(d);
            }
            return rs;
        }
        if (!create) {
            return null;
        }
        ReplicaSet rs = buildNewReplicaSet(d, old, newRevision);
        boolean alreadyExists = false;
        ReplicaSet created;
        try {
            created = rsClient.create(rs);
        } catch (ApiError e) {
            if (!e.isAlreadyExists()) {
                String msg =
                        "Failed to create new replica set \"" + rs.getMetadata().getName() + "\": " + e.getMessage();
                if (DeploymentStatuses.hasProgressDeadline(d)) {
                    DeploymentStatuses.set(
                            status(d),
                            DeploymentStatuses.condition(
                                    DeploymentStatuses.PROGRESSING,
                                    "False",
                                    DeploymentStatuses.FAILED_RS_CREATE,
                                    msg,
                                    now()));
                    try {
                        updateStatus(d);
                    } catch (ApiError ignored) {
                        // the create failure is the error to report
                    }
                }
                ctx.events().event(d, EventRecorder.WARNING, DeploymentStatuses.FAILED_RS_CREATE, msg);
                throw e;
            }
            ReplicaSet found = rsClient.get(
                            d.getMetadata().getNamespace(), rs.getMetadata().getName())
                    .orElseThrow(() -> e);
            if (OwnerReferences.isControlledBy(found, d.getMetadata().getUid())
                    && DeploymentUtil.equalIgnoreHash(
                            d.getSpec().getTemplate(), found.getSpec().getTemplate())) {
                created = found;
                alreadyExists = true;
            } else {
                // a hash collision: the next pass names the ReplicaSet with the next collisionCount
                DeploymentStatus status = status(d);
                status.setCollisionCount(DeploymentStatuses.intOr(status.getCollisionCount(), 0) + 1);
                updateStatus(d);
                throw e;
            }
        }
        int replicas = DeploymentUtil.replicas(rs);
        if (!alreadyExists && replicas > 0) {
            scaledEvent(d, "up", created.getMetadata().getName(), 0, replicas);
        }
        setRevision(d, Long.toString(newRevision));
        if (!alreadyExists && DeploymentStatuses.hasProgressDeadline(d)) {
            DeploymentStatuses.set(
                    status(d),
                    DeploymentStatuses.condition(
                            DeploymentStatuses.PROGRESSING,
                            "True",
                            DeploymentStatuses.NEW_RS_CREATED,
                            "Created new replica set \"" + created.getMetadata().getName() + "\"",
                            now()));
            updateStatus(d);
        }
        return created;
    }

    private ReplicaSet buildNewReplicaSet(Deployment d, List<ReplicaSet> old, long newRevision) {
        PodTemplateSpec template = KubeJson.convert(KubeJson.tree(d.getSpec().getTemplate()), PodTemplateSpec.class);
        Integer collisions = d.getStatus() == null ? null : d.getStatus().getCollisionCount();
        String hash = DeploymentUtil.podTemplateHash(d.getSpec().getTemplate(), collisions);
        var labels = new HashMap<String, String>(
                template.getMetadata() == null || template.getMetadata().getLabels() == null
                        ? java.util.Map.of()
                        : template.getMetadata().getLabels());
        labels.put(DeploymentUtil.HASH_LABEL, hash);
        if (template.getMetadata() == null) {
            template.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMeta());
        }
        template.getMetadata().setLabels(labels);
        LabelSelector selector = KubeJson.convert(KubeJson.tree(d.getSpec().getSelector()), LabelSelector.class);
        var matchLabels = new HashMap<String, String>(
                selector.getMatchLabels() == null ? java.util.Map.of() : selector.getMatchLabels());
        matchLabels.put(DeploymentUtil.HASH_LABEL, hash);
        selector.setMatchLabels(matchLabels);

        ReplicaSet rs = new ReplicaSet();
        rs.setApiVersion("apps/v1");
        rs.setKind("ReplicaSet");
        var meta = new io.fabric8.kubernetes.api.model.ObjectMeta();
        meta.setName(d.getMetadata().getName() + "-" + hash);
        meta.setNamespace(d.getMetadata().getNamespace());
        meta.setLabels(new HashMap<>(labels));
        meta.setOwnerReferences(new ArrayList<>(List.of(ControllerRefManager.controllerRef(d, Kinds.DEPLOYMENTS))));
        rs.setMetadata(meta);
        var spec = new io.fabric8.kubernetes.api.model.apps.ReplicaSetSpec();
        spec.setReplicas(0);
        spec.setMinReadySeconds(DeploymentStatuses.intOr(d.getSpec().getMinReadySeconds(), 0));
        spec.setSelector(selector);
        spec.setTemplate(template);
        rs.setSpec(spec);
        List<ReplicaSet> all = new ArrayList<>(old);
        all.add(rs);
        spec.setReplicas(DeploymentUtil.newRSNewReplicas(d, all, rs));
        DeploymentUtil.setNewReplicaSetAnnotations(d, rs, newRevision, false);
        return rs;
    }

    /** Upstream's scaleReplicaSetAndRecordEvent: true when the size changed. */
    boolean scale(ReplicaSet rs, int size, Deployment d) {
        int current = DeploymentUtil.replicas(rs);
        if (current == size) {
            return false;
        }
        return scale(rs, size, d, current < size ? "up" : "down");
    }

    /** Upstream's scaleReplicaSet: writes the size and the replica annotations when either differs. */
    boolean scale(ReplicaSet rs, int size, Deployment d, String direction) {
        int desired = DeploymentUtil.replicas(d);
        int max = desired + DeploymentUtil.maxSurge(d);
        int current = DeploymentUtil.replicas(rs);
        boolean sizeChanges = current != size;
        if (!sizeChanges && !DeploymentUtil.replicasAnnotationsNeedUpdate(rs, desired, max)) {
            return false;
        }
        ReplicaSet next = copy(rs);
        next.getSpec().setReplicas(size);
        DeploymentUtil.setReplicasAnnotations(next, desired, max);
        ReplicaSet written = rsClient.update(next);
        if (sizeChanges) {
            scaledEvent(d, direction, written.getMetadata().getName(), current, size);
        }
        return sizeChanges;
    }

    private void scaledEvent(Deployment d, String direction, String rs, int from, int to) {
        ctx.events()
                .event(
                        d,
                        EventRecorder.NORMAL,
                        "ScalingReplicaSet",
                        "Scaled " + direction + " replica set " + rs + " from " + from + " to " + to);
    }

    /** Upstream's sync: scaling and, while paused, history clean-up; then the status. */
    void sync(Deployment d, List<ReplicaSet> rsList) {
        Sets sets = replicaSets(d, rsList, false);
        for (var target : ProportionalScaling.plan(d, sets.newRS(), sets.old())) {
            scale(target.rs(), target.size(), d, target.direction());
        }
        if (Boolean.TRUE.equals(d.getSpec().getPaused())) {
            cleanup(d, sets.old());
        }
        DeploymentStatus next = DeploymentStatuses.calculate(sets.all(), sets.newRS(), d, now());
        writeStatusIfChanged(d, next);
    }

    /** Upstream's cleanupDeployment: deletes the oldest revisions beyond revisionHistoryLimit that run nothing. */
    void cleanup(Deployment d, List<ReplicaSet> old) {
        Integer limit = d.getSpec().getRevisionHistoryLimit();
        if (limit == null) {
            return;
        }
        List<ReplicaSet> cleanable = new ArrayList<>(old.stream()
                .filter(rs -> rs.getMetadata().getDeletionTimestamp() == null)
                .toList());
        int diff = cleanable.size() - limit;
        if (diff <= 0) {
            return;
        }
        cleanable.sort(java.util.Comparator.comparingLong((ReplicaSet rs) -> DeploymentUtil.revision(rs))
                .thenComparing(DeploymentUtil.BY_CREATION));
        for (int i = 0; i < diff; i++) {
            ReplicaSet rs = cleanable.get(i);
            long generation = rs.getMetadata().getGeneration() == null
                    ? 0
                    : rs.getMetadata().getGeneration();
            long observed = rs.getStatus() == null || rs.getStatus().getObservedGeneration() == null
                    ? 0
                    : rs.getStatus().getObservedGeneration();
            if (DeploymentStatuses.statusReplicas(rs) != 0
                    || DeploymentUtil.replicas(rs) != 0
                    || generation > observed) {
                continue;
            }
            try {
                rsClient.delete(
                        rs.getMetadata().getNamespace(), rs.getMetadata().getName());
            } catch (ApiError e) {
                if (!e.isNotFound()) {
                    throw e;
                }
            }
        }
    }

    /** Writes the status when it differs from the Deployment's (compared as JSON, so field order does not matter). */
    boolean writeStatusIfChanged(Deployment d, DeploymentStatus next) {
        if (KubeJson.tree(next).equals(KubeJson.tree(status(d)))) {
            return false;
        }
        d.setStatus(next);
        updateStatus(d);
        return true;
    }

    void updateStatus(Deployment d) {
        Deployment written = dClient.updateStatus(d);
        d.getMetadata().setResourceVersion(written.getMetadata().getResourceVersion());
    }

    /**
     * Upstream's SetDeploymentRevision, written as upstream writes it: with the status (the status strategy keeps
     * metadata changes and leaves generation alone). A write of the Deployment itself would count the annotation as a
     * new generation, and {@code kubectl rollout status} would wait for the controller to observe it.
     */
    private void setRevision(Deployment d, String revision) {
        if (revision == null || Objects.equals(DeploymentUtil.annotations(d).get(DeploymentUtil.REVISION), revision)) {
            return;
        }
        DeploymentUtil.annotations(d).put(DeploymentUtil.REVISION, revision);
        updateStatus(d);
    }

    static DeploymentStatus status(Deployment d) {
        if (d.getStatus() == null) {
            d.setStatus(new DeploymentStatus());
        }
        if (d.getStatus().getConditions() == null) {
            d.getStatus().setConditions(new ArrayList<>());
        }
        return d.getStatus();
    }

    static ReplicaSet copy(ReplicaSet rs) {
        return KubeJson.convert(KubeJson.tree(rs), ReplicaSet.class);
    }
}
