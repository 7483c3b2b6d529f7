package dev.capstan.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.model.json.JsonReads;
import java.util.List;

/**
 * kube-apiserver 1.32's validation of create and update requests, with upstream's field paths, reasons and
 * messages. Objects are expected to be defaulted first ({@link Defaulting}); namespace presence, name generation,
 * immutability of system metadata and IP/port allocation are the server's concern.
 */
public final class Validation {
    private Validation() {}

    /** The API server's default --service-node-port-range. */
    private static final int NODE_PORT_MIN = 30000;

    private static final int NODE_PORT_MAX = 32767;

    /** All field errors for a create (oldObject == null) or update. Unknown kinds: only metadata checks. */
    public static List<Cause> validate(
            String group, String kind, boolean namespaced, ObjectNode object, ObjectNode oldObject) {
        return validate(group, kind, namespaced, object, oldObject, NODE_PORT_MIN, NODE_PORT_MAX);
    }

    /** As {@link #validate(String, String, boolean, ObjectNode, ObjectNode)} with the server's node port range. */
    public static List<Cause> validate(
            String group,
            String kind,
            boolean namespaced,
            ObjectNode object,
            ObjectNode oldObject,
            int nodePortMin,
            int nodePortMax) {
        String g = group == null ? "" : group;
        Errors errs = new Errors();
        boolean create = oldObject == null;
        JsonNode meta = JsonReads.obj(object, "metadata");
        NameRules.NameRule rule = NameRules.ruleFor(g, kind);
        switch (g + "/" + kind) {
            case "/Pod" -> {
                if (create) {
                    PodValidation.validatePod(object, true, errs);
                } else {
                    PodUpdateValidation.validate(object, oldObject, errs);
                }
            }
            case "/Service" -> {
                if (ServiceValidation.nodePortRange(object, oldObject, nodePortMin, nodePortMax, errs)) {
                    return errs.list();
                }
                metadataAlwaysCreate(meta, rule, create, errs);
                ServiceValidation.validate(object, oldObject, errs);
            }
            case "/ConfigMap" -> {
                metadataAlwaysCreate(meta, rule, create, errs);
                ConfigValidation.configMap(object, oldObject, errs);
            }
            case "/Secret" -> {
                metadataAlwaysCreate(meta, rule, create, errs);
                ConfigValidation.secret(object, oldObject, errs);
            }
            case "/ServiceAccount" -> metadataAlwaysCreate(meta, rule, create, errs);
            case "/Namespace" -> {
                metadata(meta, rule, create, errs);
                if (create) {
                    ConfigValidation.namespace(object, errs);
                }
            }
            case "apps/Deployment" -> {
                metadata(meta, rule, create, errs);
                WorkloadValidation.deployment(object, oldObject, errs);
            }
            case "apps/ReplicaSet" -> {
                metadata(meta, rule, create, errs);
                WorkloadValidation.replicaSet(object, oldObject, errs);
            }
            case "apps/StatefulSet" -> {
                metadata(meta, rule, create, errs);
                WorkloadValidation.statefulSet(object, oldObject, errs);
            }
            case "apps/DaemonSet" -> {
                metadata(meta, rule, create, errs);
                WorkloadValidation.daemonSet(object, oldObject, errs);
            }
            case "batch/Job" -> {
                metadata(meta, rule, create, errs);
                BatchValidation.job(object, oldObject, errs);
            }
            case "batch/CronJob" -> {
                metadata(meta, rule, create, errs);
                BatchValidation.cronJob(object, oldObject, errs);
            }
            default -> metadata(meta, rule, create, errs);
        }
        return errs.list();
    }

    /** The name rule per kind; returns upstream's messages, empty when the name is valid. */
    public static List<String> nameErrors(String group, String kind, String name) {
        return NameRules.ruleFor(group, kind).check(name, false);
    }

    private static void metadata(JsonNode meta, NameRules.NameRule rule, boolean create, Errors errs) {
        if (create) {
            MetadataValidation.validateCreate(meta, rule, "metadata", errs);
        } else {
            MetadataValidation.validateUpdate(meta, "metadata", errs);
        }
    }

    /**
     * Kinds whose upstream update validation re-runs the whole create validation after the update checks, so their
     * metadata is checked both ways (repeating some causes, as upstream does).
     */
    private static void metadataAlwaysCreate(JsonNode meta, NameRules.NameRule rule, boolean create, Errors errs) {
        if (!create) {
            MetadataValidation.validateUpdate(meta, "metadata", errs);
        }
        MetadataValidation.validateCreate(meta, rule, "metadata", errs);
    }
}
