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

        /** Upstream's messages for a bad name, empty when valid. */
        public List<String> check(String name) {
            return rule.check(name, false);
        }
    }

    /** ObjectMeta only (create when {@code old} is null), for kinds whose spec has no further rules. */
    public static List<Cause> metadata(ObjectNode object, ObjectNode old, NameRule names) {
        Errors errs = new Errors();
        metadata(JsonReads.obj(object, "metadata"), names, old == null, errs);
        return errs.list();
    }

    public static List<Cause> pod(ObjectNode pod) {
        Errors errs = new Errors();
        PodValidation.validatePod(pod, true, errs);
        return errs.list();
    }

    public static List<Cause> podUpdate(ObjectNode pod, ObjectNode old) {
        Errors errs = new Errors();
        PodUpdateValidation.validate(pod, old, errs);
        return errs.list();
    }

    /** A Service create or update; node ports are checked against the server's range. */
    public static List<Cause> service(ObjectNode svc, ObjectNode old, int nodePortMin, int nodePortMax) {
        Errors errs = new Errors();
        if (ServiceValidation.nodePortRange(svc, old, nodePortMin, nodePortMax, errs)) {
            return errs.list();
        }
        metadataAlwaysCreate(JsonReads.obj(svc, "metadata"), NameRule.DNS1035, old == null, errs);
        ServiceValidation.validate(svc, old, errs);
        return errs.list();
    }

    public static List<Cause> configMap(ObjectNode cm, ObjectNode old) {
        Errors errs = new Errors();
        metadataAlwaysCreate(JsonReads.obj(cm, "metadata"), NameRule.SUBDOMAIN, old == null, errs);
        ConfigValidation.configMap(cm, old, errs);
        return errs.list();
    }

    public static List<Cause> secret(ObjectNode secret, ObjectNode old) {
        Errors errs = new Errors();
        metadataAlwaysCreate(JsonReads.obj(secret, "metadata"), NameRule.SUBDOMAIN, old == null, errs);
        ConfigValidation.secret(secret, old, errs);
        return errs.list();
    }

    public static List<Cause> serviceAccount(ObjectNode sa, ObjectNode old) {
        Errors errs = new Errors();
        metadataAlwaysCreate(JsonReads.obj(sa, "metadata"), NameRule.SUBDOMAIN, old == null, errs);
        return errs.list();
    }

    public static List<Cause> namespace(ObjectNode ns, ObjectNode old) {
        Errors errs = new Errors();
        metadata(JsonReads.obj(ns, "metadata"), NameRule.LABEL, old == null, errs);
        if (old == null) {
            ConfigValidation.namespace(ns, errs);
        }
        return errs.list();
    }

    public static List<Cause> deployment(ObjectNode d, ObjectNode old) {
        Errors errs = new Errors();
        metadata(JsonReads.obj(d, "metadata"), NameRule.SUBDOMAIN, old == null, errs);
        WorkloadValidation.deployment(d, old, errs);
        return errs.list();
    }

    public static List<Cause> replicaSet(ObjectNode rs, ObjectNode old) {
        Errors errs = new Errors();
        metadata(JsonReads.obj(rs, "metadata"), NameRule.SUBDOMAIN, old == null, errs);
        WorkloadValidation.replicaSet(rs, old, errs);
        return errs.list();
    }

    public static List<Cause> statefulSet(ObjectNode sts, ObjectNode old) {
        Errors errs = new Errors();
        metadata(JsonReads.obj(sts, "metadata"), NameRule.LABEL, old == null, errs);
        WorkloadValidation.statefulSet(sts, old, errs);
        return errs.list();
    }

    public static List<Cause> daemonSet(ObjectNode ds, ObjectNode old) {
        Errors errs = new Errors();
        metadata(JsonReads.obj(ds, "metadata"), NameRule.SUBDOMAIN, old == null, errs);
        WorkloadValidation.daemonSet(ds, old, errs);
        return errs.list();
    }

    public static List<Cause> job(ObjectNode job, ObjectNode old) {
        Errors errs = new Errors();
        metadata(JsonReads.obj(job, "metadata"), NameRule.SUBDOMAIN, old == null, errs);
        BatchValidation.job(job, old, errs);
        return errs.list();
    }

    public static List<Cause> cronJob(ObjectNode cj, ObjectNode old) {
        Errors errs = new Errors();
        metadata(JsonReads.obj(cj, "metadata"), NameRule.SUBDOMAIN, old == null, errs);
        BatchValidation.cronJob(cj, old, errs);
        return errs.list();
    }

    private static void metadata(JsonNode meta, NameRule names, boolean create, Errors errs) {
        if (create) {
            MetadataValidation.validateCreate(meta, names.rule, "metadata", errs);
        } else {
            MetadataValidation.validateUpdate(meta, "metadata", errs);
        }
    }

    /**
     * Kinds whose upstream update validation re-runs the whole create validation after the update checks, so their
     * metadata is checked both ways (repeating some causes, as upstream does).
     */
    private static void metadataAlwaysCreate(JsonNode meta, NameRule names, boolean create, Errors errs) {
        if (!create) {
            MetadataValidation.validateUpdate(meta, "metadata", errs);
        }
        MetadataValidation.validateCreate(meta, names.rule, "metadata", errs);
    }
}
