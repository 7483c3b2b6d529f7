package dev.capstan.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.model.json.JsonReads;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/**
 * apps/v1 rules that the create/update validation in {@code WorkloadValidation} does not cover: ControllerRevision,
 * and the status subresource of Deployment, ReplicaSet, StatefulSet and DaemonSet (pkg/apis/apps/validation).
 *
 * <p>Strategies: a ControllerRevision strategy does nothing beyond validation (no status, no generation). The
 * status strategies keep the stored spec ({@link #prepareForStatusUpdate}); Deployment's also keeps the stored
 * labels.
 */
public final class AppsValidation {
    private AppsValidation() {}

    private static final String OVER_REPLICAS = "cannot be greater than status.replicas";

    /** ValidateControllerRevision: namespaced metadata, data required, revision non-negative. */
    public static List<Cause> validateControllerRevision(ObjectNode obj) {
        Errors errs = new Errors();
        controllerRevision(obj, errs);
        return errs.list();
    }

    /** ValidateControllerRevisionUpdate: the create rules again, and data may not change. */
    public static List<Cause> validateControllerRevisionUpdate(ObjectNode obj, ObjectNode old) {
        Errors errs = new Errors();
        GroupMeta.update(GroupMeta.meta(obj), errs);
        controllerRevision(obj, errs);
        JsonNode data = GroupMeta.get(obj, "data");
        if (!Objects.equals(nullIfNull(data), nullIfNull(GroupMeta.get(old, "data")))) {
            errs.invalid("data", rawExtension(data), "field is immutable");
        }
        return errs.list();
    }

    private static void controllerRevision(ObjectNode obj, Errors errs) {
        GroupMeta.create(GroupMeta.meta(obj), true, GroupMeta.DNS_SUBDOMAIN, errs);
        if (!JsonReads.has(obj, "data")) {
            errs.required("data", "data is mandatory");
        }
        errs.nonNegative("revision", JsonReads.numOr(obj, 0, "revision"));
    }

    private static JsonNode nullIfNull(JsonNode n) {
        return n == null || n.isNull() ? null : n;
    }

    /** A runtime.RawExtension as %#v prints it: the raw JSON bytes in hex. */
    private static GoFormat.Literal rawExtension(JsonNode data) {
        String raw = "[]byte(nil)";
        if (data != null && !data.isNull()) {
            byte[] bytes = data.toString().getBytes(StandardCharsets.UTF_8);
            StringBuilder b = new StringBuilder("[]byte{");
            for (int i = 0; i < bytes.length; i++) {
                b.append(i > 0 ? ", " : "").append(String.format("0x%x", bytes[i] & 0xff));
            }
            raw = b.append('}').toString();
        }
        return new GoFormat.Literal("runtime.RawExtension{Raw:" + raw + ", Object:runtime.Object(nil)}");
    }

    /** ValidateDeploymentStatusUpdate. */
    public static List<Cause> validateDeploymentStatusUpdate(ObjectNode obj, ObjectNode old) {
        Errors errs = new Errors();
        GroupMeta.update(GroupMeta.meta(obj), errs);
        JsonNode s = JsonReads.obj(obj, "status");
        nonNegative(
                s,
                errs,
                "observedGeneration",
                "replicas",
                "updatedReplicas",
                "readyReplicas",
                "availableReplicas",
                "unavailableReplicas");
        errs.nonNegative("status.collisionCount", JsonReads.num(s, "collisionCount"));
        notOver(s, "updatedReplicas", "replicas", OVER_REPLICAS, errs);
        notOver(s, "readyReplicas", "replicas", OVER_REPLICAS, errs);
        notOver(s, "availableReplicas", "replicas", OVER_REPLICAS, errs);
        notOver(s, "availableReplicas", "readyReplicas", "cannot be greater than readyReplicas", errs);
        collisionCountNotDecremented(s, JsonReads.obj(old, "status"), errs);
        return errs.list();
    }

    /** ValidateReplicaSetStatusUpdate. */
    public static List<Cause> validateReplicaSetStatusUpdate(ObjectNode obj, ObjectNode old) {
        Errors errs = new Errors();
        GroupMeta.update(GroupMeta.meta(obj), errs);
        JsonNode s = JsonReads.obj(obj, "status");
        nonNegative(
                s,
                errs,
                "replicas",
                "fullyLabeledReplicas",
                "readyReplicas",
                "availableReplicas",
                "observedGeneration");
        notOver(s, "fullyLabeledReplicas", "replicas", OVER_REPLICAS, errs);
        notOver(s, "readyReplicas", "replicas", OVER_REPLICAS, errs);
        notOver(s, "availableReplicas", "replicas", OVER_REPLICAS, errs);
        notOver(s, "availableReplicas", "readyReplicas", "cannot be greater than readyReplicas", errs);
        return errs.list();
    }

    /** ValidateStatefulSetStatusUpdate: upstream checks the status before the metadata here. */
    public static List<Cause> validateStatefulSetStatusUpdate(ObjectNode obj, ObjectNode old) {
        Errors errs = new Errors();
        JsonNode s = JsonReads.obj(obj, "status");
        nonNegative(s, errs, "replicas", "readyReplicas", "currentReplicas", "updatedReplicas", "availableReplicas");
        errs.nonNegative("status.observedGeneration", JsonReads.num(s, "observedGeneration"));
        errs.nonNegative("status.collisionCount", JsonReads.num(s, "collisionCount"));
        notOver(s, "readyReplicas", "replicas", OVER_REPLICAS, errs);
        notOver(s, "currentReplicas", "replicas", OVER_REPLICAS, errs);
        notOver(s, "updatedReplicas", "replicas", OVER_REPLICAS, errs);
        notOver(s, "availableReplicas", "replicas", OVER_REPLICAS, errs);
        notOver(s, "availableReplicas", "readyReplicas", "cannot be greater than status.readyReplicas", errs);
        GroupMeta.update(GroupMeta.meta(obj), errs);
        collisionCountNotDecremented(s, JsonReads.obj(old, "status"), errs);
        return errs.list();
    }

    /** ValidateDaemonSetStatusUpdate. */
    public static List<Cause> validateDaemonSetStatusUpdate(ObjectNode obj, ObjectNode old) {
        Errors errs = new Errors();
        GroupMeta.update(GroupMeta.meta(obj), errs);
        JsonNode s = JsonReads.obj(obj, "status");
        nonNegative(
                s,
                errs,
                "currentNumberScheduled",
                "numberMisscheduled",
                "desiredNumberScheduled",
                "numberReady",
                "observedGeneration",
                "updatedNumberScheduled",
                "numberAvailable",
                "numberUnavailable");
        errs.nonNegative("status.collisionCount", JsonReads.num(s, "collisionCount"));
        collisionCountNotDecremented(s, JsonReads.obj(old, "status"), errs);
        return errs.list();
    }

    static void copy(ObjectNode target, JsonNode source, String field) {
        JsonNode v = source == null ? null : source.get(field);
        if (v == null) {
            target.remove(field);
        } else {
            target.set(field, v.deepCopy());
        }
    }

    private static void nonNegative(JsonNode status, Errors errs, String... fields) {
        for (String f : fields) {
            errs.nonNegative("status." + f, JsonReads.numOr(status, 0, f));
        }
    }

    private static void notOver(JsonNode status, String field, String limit, String msg, Errors errs) {
        long v = JsonReads.numOr(status, 0, field);
        if (v > JsonReads.numOr(status, 0, limit)) {
            errs.invalid("status." + field, v, msg);
        }
    }

    /** apivalidation.IsDecremented: dropping a set collisionCount counts as decrementing it to 0. */
    private static void collisionCountNotDecremented(JsonNode status, JsonNode oldStatus, Errors errs) {
        Long now = JsonReads.num(status, "collisionCount");
        Long before = JsonReads.num(oldStatus, "collisionCount");
        if (before != null && (now == null || now < before)) {
            errs.invalid("status.collisionCount", now == null ? 0L : now, "cannot be decremented");
        }
    }
}
