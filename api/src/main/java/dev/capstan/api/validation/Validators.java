package dev.capstan.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.model.json.JsonReads;
import java.util.List;

/**
 * The validation entry points the kinds' strategies call, one per kind and operation, each including the
 * ObjectMeta checks with the kind's name rule as upstream's ValidateXxx does.
 */
public final class Validators {
    private Validators() {}

    /** How a kind's names are checked (upstream's ValidateNameFunc of the kind). */
    public enum NameRule {
        /** A DNS-1123 subdomain: most kinds. */
        SUBDOMAIN(NameRules.NameRule.DNS_SUBDOMAIN),
        /** A DNS-1123 label: namespaces, stateful sets. */
        LABEL(NameRules.NameRule.DNS_LABEL),
        /** A DNS-1035 label: services. */
        DNS1035(NameRules.NameRule.DNS1035_LABEL),
        /** Any name usable as a path segment: RBAC kinds. */
        PATH_SEGMENT(NameRules.NameRule.PATH_SEGMENT);

        private final NameRules.NameRule rule;

        NameRule(NameRules.NameRule rule) {
            this.rule = rule;
        }
    }

    /** ObjectMeta only (create when {@code old} is null), for kinds whose spec has no further rules. */
    public static List<Cause> metadata(ObjectNode object, ObjectNode old, NameRule names) {
        Errors errs = new Errors();
        metadata(JsonReads.obj(object, "metadata"), names, old == null, errs);
        return errs.list();
    }

    /** ValidatePodCreate. */
    public static List<Cause> pod(ObjectNode pod) {
        Errors errs = new Errors();
        PodValidation.validatePodCreate(pod, errs);
        return errs.list();
    }

    /** ValidatePodUpdate. */
    public static List<Cause> podUpdate(ObjectNode pod, ObjectNode old) {
        Errors errs = new Errors();
        PodUpdateValidation.validate(pod, old, errs);
        return errs.list();
    }

    /**
     * A Service create or update (ValidateService, ValidateServiceUpdate); node ports are checked against the
     * server's range first, as upstream's allocator does before validation.
     */
    public static List<Cause> service(ObjectNode svc, ObjectNode old, int nodePortMin, int nodePortMax) {
        Errors errs = new Errors();
        if (ServiceValidation.nodePortRange(svc, old, nodePortMin, nodePortMax, errs)) {
            return errs.list();
        }
        if (old != null) {
            metadataUpdate(svc, old, errs);
            ServiceValidation.update(svc, old, errs);
        }
        CoreObjectMeta.create(svc, NameRules.NameRule.DNS1035_LABEL, true, errs);
        ServiceValidation.validate(svc, errs);
        return errs.list();
    }

    /** ValidateConfigMap, ValidateConfigMapUpdate. */
    public static List<Cause> configMap(ObjectNode cm, ObjectNode old) {
        Errors errs = new Errors();
        if (old != null) {
            metadataUpdate(cm, old, errs);
            ConfigValidation.configMapUpdate(cm, old, errs);
        }
        CoreObjectMeta.create(cm, NameRules.NameRule.DNS_SUBDOMAIN, true, errs);
        ConfigValidation.configMap(cm, null, errs);
        return errs.list();
    }

    /** ValidateSecret, ValidateSecretUpdate. */
    public static List<Cause> secret(ObjectNode secret, ObjectNode old) {
        Errors errs = new Errors();
        if (old != null) {
            metadataUpdate(secret, old, errs);
            ConfigValidation.secretUpdate(secret, old, errs);
        }
        CoreObjectMeta.create(secret, NameRules.NameRule.DNS_SUBDOMAIN, true, errs);
        ConfigValidation.secret(secret, null, errs);
        return errs.list();
    }

    /** ValidateDeployment, ValidateDeploymentUpdate (with the selector's immutability of the apps/v1 strategy). */
    public static List<Cause> deployment(ObjectNode d, ObjectNode old) {
        Errors errs = new Errors();
        workloadMetadata(d, old, NameRules.NameRule.DNS_SUBDOMAIN, errs);
        WorkloadValidation.deployment(d, old, errs);
        return errs.list();
    }

    /** ValidateReplicaSet, ValidateReplicaSetUpdate (with the selector's immutability). */
    public static List<Cause> replicaSet(ObjectNode rs, ObjectNode old) {
        Errors errs = new Errors();
        workloadMetadata(rs, old, NameRules.NameRule.DNS_SUBDOMAIN, errs);
        WorkloadValidation.replicaSet(rs, old, errs);
        return errs.list();
    }

    /** ValidateStatefulSet, ValidateStatefulSetUpdate. */
    public static List<Cause> statefulSet(ObjectNode sts, ObjectNode old) {
        Errors errs = new Errors();
        workloadMetadata(sts, old, NameRules.NameRule.DNS_LABEL, errs);
        WorkloadValidation.statefulSet(sts, old, errs);
        return errs.list();
    }

    /**
     * ValidateDaemonSet; on update upstream's strategy runs ValidateDaemonSet and then ValidateDaemonSetUpdate, which
     * validates the spec again, so its causes appear twice, as they do upstream.
     */
    public static List<Cause> daemonSet(ObjectNode ds, ObjectNode old) {
        Errors errs = new Errors();
        CoreObjectMeta.create(ds, NameRules.NameRule.DNS_SUBDOMAIN, true, errs);
        WorkloadValidation.daemonSetSpec(ds, old, errs);
        if (old != null) {
            metadataUpdate(ds, old, errs);
            WorkloadValidation.daemonSet(ds, old, errs);
        }
        return errs.list();
    }

    /**
     * ValidateJob; on update upstream's strategy runs ValidateJob and then ValidateJobUpdate, which validates the spec
     * again, so its causes appear twice, as they do upstream.
     */
    public static List<Cause> job(ObjectNode job, ObjectNode old) {
        Errors errs = new Errors();
        CoreObjectMeta.create(job, NameRules.NameRule.DNS_SUBDOMAIN, true, errs);
        BatchValidation.job(job, old, errs);
        if (old != null) {
            metadataUpdate(job, old, errs);
            BatchValidation.jobUpdate(job, old, errs);
        }
        return errs.list();
    }

    /** ValidateCronJobCreate, ValidateCronJobUpdate. */
    public static List<Cause> cronJob(ObjectNode cj, ObjectNode old) {
        Errors errs = new Errors();
        workloadMetadata(cj, old, NameRules.NameRule.DNS_SUBDOMAIN, errs);
        BatchValidation.cronJob(cj, old, errs);
        return errs.list();
    }

    /** ObjectMeta of a namespaced kind: the create rules, or on update ValidateObjectMetaUpdate. */
    private static void workloadMetadata(ObjectNode obj, ObjectNode old, NameRules.NameRule rule, Errors errs) {
        if (old == null) {
            CoreObjectMeta.create(obj, rule, true, errs);
        } else {
            metadataUpdate(obj, old, errs);
        }
    }

    private static void metadataUpdate(ObjectNode obj, ObjectNode old, Errors errs) {
        MetadataValidation.validateUpdate(
                JsonReads.obj(obj, "metadata"), JsonReads.obj(old, "metadata"), "metadata", errs);
    }

    private static void metadata(JsonNode meta, NameRule names, boolean create, Errors errs) {
        if (create) {
            MetadataValidation.validateCreate(meta, names.rule, "metadata", errs);
        } else {
            MetadataValidation.validateUpdate(meta, "metadata", errs);
        }
    }
}
