package dev.capstan.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.model.json.JsonReads;
import dev.capstan.model.json.KubeJson;
import dev.capstan.model.quantity.Quantity;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * PersistentVolumeClaim: core validation's ValidatePersistentVolumeClaim, ValidatePersistentVolumeClaimUpdate and
 * ValidatePersistentVolumeClaimStatusUpdate, and core/v1's claim defaults. RecoverVolumeExpansionFailure is beta and on
 * in 1.32; VolumeAttributesClass and CrossNamespaceVolumeDataSource are off.
 *
 * <p>The strategy (pkg/registry/core/persistentvolumeclaim): a create clears the status, drops gated-off fields
 * ({@code volumeAttributesClassName}, {@code dataSourceRef.namespace}), drops a {@code dataSource} that is neither a
 * claim nor a VolumeSnapshot, and mirrors {@code dataSource} and {@code dataSourceRef} into each other
 * ({@link #prepareForCreate}); an update keeps the stored status and does the same against the stored claim
 * ({@link #prepareForUpdate}); a status update keeps the stored spec. The main update runs
 * ValidatePersistentVolumeClaim and then ValidatePersistentVolumeClaimUpdate, which validates the claim again, so
 * create-time causes repeat as upstream's do.
 */
public final class PersistentVolumeClaimValidation {
    private PersistentVolumeClaimValidation() {}

    private static final String STORAGE_CLASS_ANNOTATION = "volume.beta.kubernetes.io/storage-class";
    private static final List<String> RESIZE_STATUSES = List.of(
            "ControllerResizeInProgress",
            "ControllerResizeInfeasible",
            "NodeResizeInProgress",
            "NodeResizeInfeasible",
            "NodeResizePending");

    /** ValidatePersistentVolumeClaim. */
    public static List<Cause> validatePersistentVolumeClaim(ObjectNode obj) {
        Errors errs = new Errors();
        claim(obj, errs);
        return errs.list();
    }

    /** The strategy's ValidateUpdate: ValidatePersistentVolumeClaim, then ValidatePersistentVolumeClaimUpdate. */
    public static List<Cause> validatePersistentVolumeClaimUpdate(ObjectNode obj, ObjectNode old) {
        Errors errs = new Errors();
        claim(obj, errs);
        CoreObjectMeta.update(obj, errs);
        claim(obj, errs);
        immutability(obj, old, errs);
        return errs.list();
    }

    /** ValidatePersistentVolumeClaimStatusUpdate. */
    public static List<Cause> validatePersistentVolumeClaimStatusUpdate(ObjectNode obj, ObjectNode old) {
        Errors errs = new Errors();
        CoreObjectMeta.update(obj, errs);
        if (JsonReads.items(JsonReads.obj(obj, "spec"), "accessModes").isEmpty()) {
            // upstream spells this path with a capital S
            errs.required("Spec.accessModes", "");
        }
        JsonNode status = JsonReads.obj(obj, "status");
        for (Map.Entry<String, ResourceRules.Parsed> e : ResourceRules.list(
                        JsonReads.obj(status, "capacity"), "status.capacity", errs)
                .entrySet()) {
            ResourceRules.basic(e.getValue().q(), Errors.key("status.capacity", e.getKey()), errs);
        }
        String resizePath = "status.allocatedResourceStatus";
        for (Map.Entry<String, String> e : JsonReads.entries(status, "allocatedResourceStatuses")) {
            resourceKey(e.getKey(), resizePath, errs);
            if (!RESIZE_STATUSES.contains(e.getValue())) {
                // upstream reports the key, not the unsupported status
                errs.notSupported(resizePath, e.getKey(), RESIZE_STATUSES);
            }
        }
        String allocPath = "status.allocatedResources";
        for (Map.Entry<String, String> e : JsonReads.entries(status, "allocatedResources")) {
            Errors keyErrs = new Errors();
            resourceKey(e.getKey(), allocPath, keyErrs);
            if (!keyErrs.isEmpty()) {
                errs.list().addAll(keyErrs.list());
                continue;
            }
            String path = Errors.key(allocPath, e.getKey());
            Quantity q = ResourceRules.parse(e.getValue(), path, errs);
            if (q == null) {
                continue;
            }
            Errors basic = new Errors();
            ResourceRules.basic(q, path, basic);
            if (!basic.isEmpty()) {
                errs.list().addAll(basic.list());
            } else {
                ResourceRules.quantityValue("storage", e.getValue(), q, path, errs);
            }
        }
        return errs.list();
    }

    /** SetObjectDefaults_PersistentVolumeClaim: phase Pending, volumeMode Filesystem, quantities rounded to milli. */
    public static void defaultPersistentVolumeClaim(ObjectNode obj) {
        PodDefaults.putIfAbsent(KubeJson.child(obj, "status"), "phase", "Pending");
        ObjectNode spec = KubeJson.child(obj, "spec");
        if (!JsonReads.has(spec, "volumeMode")) {
            spec.put("volumeMode", "Filesystem");
        }
        ResourceRules.roundUpToMilli(JsonReads.obj(spec, "resources", "limits"));
        ResourceRules.roundUpToMilli(JsonReads.obj(spec, "resources", "requests"));
        ResourceRules.roundUpToMilli(JsonReads.obj(obj, "status", "capacity"));
        ResourceRules.roundUpToMilli(JsonReads.obj(obj, "status", "allocatedResources"));
    }

    /** PrepareForCreate: status cleared, gated-off fields dropped, data sources enforced and mirrored. */
    public static void prepareForCreate(ObjectNode obj) {
        obj.remove("status");
        ObjectNode spec = KubeJson.child(obj, "spec");
        dropDisabled(spec, null);
        enforceDataSource(spec, null);
        normalizeDataSources(spec);
    }

    /** PrepareForUpdate: the stored status is kept; the spec is prepared as on create, against the stored claim. */
    public static void prepareForUpdate(ObjectNode obj, ObjectNode old) {
        if (JsonReads.has(old, "status")) {
            obj.set("status", old.get("status").deepCopy());
        } else {
            obj.remove("status");
        }
        ObjectNode spec = KubeJson.child(obj, "spec");
        JsonNode oldSpec = JsonReads.obj(old, "spec");
        dropDisabled(spec, oldSpec);
        enforceDataSource(spec, oldSpec);
        normalizeDataSources(spec);
    }

    /** The status strategy's PrepareForUpdate: the stored spec is kept. */
    public static void prepareForStatusUpdate(ObjectNode obj, ObjectNode old) {
        if (JsonReads.has(old, "spec")) {
            obj.set("spec", old.get("spec").deepCopy());
        } else {
            obj.remove("spec");
        }
    }

    private static void dropDisabled(ObjectNode spec, JsonNode oldSpec) {
        if (!JsonReads.has(oldSpec, "volumeAttributesClassName")) {
            spec.remove("volumeAttributesClassName");
        }
        if (JsonReads.obj(spec, "dataSourceRef") instanceof ObjectNode ref
                && JsonReads.str(JsonReads.obj(oldSpec, "dataSourceRef"), "namespace")
                        .isEmpty()) {
            ref.remove("namespace");
        }
    }

    /** EnforceDataSourceBackwardsCompatibility: a dataSource other than a claim or VolumeSnapshot is ignored. */
    private static void enforceDataSource(ObjectNode spec, JsonNode oldSpec) {
        if (JsonReads.has(oldSpec, "dataSource")) {
            return;
        }
        JsonNode ds = JsonReads.obj(spec, "dataSource");
        if (ds != null) {
            String group = JsonReads.str(ds, "apiGroup");
            String kind = JsonReads.str(ds, "kind");
            boolean claim = group.isEmpty() && kind.equals("PersistentVolumeClaim");
            boolean snapshot = group.equals("snapshot.storage.k8s.io") && kind.equals("VolumeSnapshot");
            if (!claim && !snapshot) {
                spec.remove("dataSource");
            }
        }
    }

    /** NormalizeDataSources (AnyVolumeDataSource is on): either field fills the other when it is unset. */
    private static void normalizeDataSources(ObjectNode spec) {
        JsonNode ds = JsonReads.obj(spec, "dataSource");
        JsonNode ref = JsonReads.obj(spec, "dataSourceRef");
        if (ds != null && ref == null) {
            spec.set("dataSourceRef", reference(ds));
        } else if (ref != null && ds == null && JsonReads.str(ref, "namespace").isEmpty()) {
            spec.set("dataSource", reference(ref));
        }
    }

    private static ObjectNode reference(JsonNode from) {
        ObjectNode out = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        if (JsonReads.has(from, "apiGroup")) {
            out.put("apiGroup", JsonReads.str(from, "apiGroup"));
        }
        out.put("kind", JsonReads.str(from, "kind"));
        out.put("name", JsonReads.str(from, "name"));
        return out;
    }

    private static void claim(ObjectNode obj, Errors errs) {
        CoreObjectMeta.create(obj, NameRules.NameRule.DNS_SUBDOMAIN, true, errs);
        claimSpec(JsonReads.obj(obj, "spec"), "spec", errs);
    }

    /**
     * ValidatePersistentVolumeClaimSpec, shared with ephemeral volume claim templates. VolumeAttributesClass is beta
     * but off by default in 1.32, so volumeAttributesClassName is not checked here.
     */
    static void claimSpec(JsonNode spec, String path, Errors errs) {
        List<String> modes = JsonReads.strings(spec, "accessModes");
        String modesPath = Errors.child(path, "accessModes");
        if (modes.isEmpty()) {
            errs.required(modesPath, "at least 1 access mode is required");
        }
        if (JsonReads.has(spec, "selector")) {
            Selectors.validate(JsonReads.obj(spec, "selector"), Errors.child(path, "selector"), errs);
        }
        if (!modes.isEmpty()) {
            PersistentVolumeValidation.accessModes(modes, modesPath, "", errs);
        }
        String storagePath = Errors.key(Errors.child(path, "resources"), "storage");
        JsonNode requests = JsonReads.obj(spec, "resources", "requests");
        if (!JsonReads.has(requests, "storage")) {
            errs.required(storagePath, "");
        } else {
            String raw = JsonReads.str(requests, "storage");
            Quantity q = ResourceRules.parse(raw, storagePath, errs);
            if (q != null) {
                Errors positive = new Errors();
                ResourceRules.positive(q, storagePath, positive);
                if (!positive.isEmpty()) {
                    errs.list().addAll(positive.list());
                } else {
                    ResourceRules.quantityValue("storage", raw, q, storagePath, errs);
                }
            }
        }
        String storageClass = JsonReads.str(spec, "storageClassName");
        if (!storageClass.isEmpty()) {
            errs.invalidEach(
                    Errors.child(path, "storageClassName"), storageClass, NameRules.dns1123Subdomain(storageClass));
        }
        if (JsonReads.has(spec, "volumeMode")
                && !PersistentVolumeValidation.VOLUME_MODES.contains(JsonReads.str(spec, "volumeMode"))) {
            errs.notSupported(
                    Errors.child(path, "volumeMode"),
                    JsonReads.str(spec, "volumeMode"),
                    PersistentVolumeValidation.VOLUME_MODES);
        }
        JsonNode ds = JsonReads.obj(spec, "dataSource");
        JsonNode ref = JsonReads.obj(spec, "dataSourceRef");
        if (ds != null) {
            dataSource(ds, Errors.child(path, "dataSource"), errs);
        }
        if (ref != null) {
            dataSource(ref, Errors.child(path, "dataSourceRef"), errs);
            String ns = JsonReads.str(ref, "namespace");
            if (!ns.isEmpty()) {
                errs.invalidEach(Errors.child(path, "dataSourceRef.namespace"), ns, NameRules.dns1123Label(ns));
            }
        }
        // upstream passes the *field.Path itself as the bad value, which prints as a Go struct
        GoFormat.Literal dsPath =
                new GoFormat.Literal("field.Path{name:\"dataSource\", index:\"\", parent:(*field.Path)(0xc000000000)}");
        if (ref != null && !JsonReads.str(ref, "namespace").isEmpty()) {
            if (ds != null) {
                errs.invalid(path, dsPath, "may not be specified when dataSourceRef.namespace is specified");
            }
        } else if (ds != null && ref != null) {
            boolean same = JsonReads.has(ds, "apiGroup") == JsonReads.has(ref, "apiGroup")
                    && JsonReads.str(ds, "apiGroup").equals(JsonReads.str(ref, "apiGroup"))
                    && JsonReads.str(ds, "kind").equals(JsonReads.str(ref, "kind"))
                    && JsonReads.str(ds, "name").equals(JsonReads.str(ref, "name"));
            if (!same) {
                errs.invalid(path, dsPath, "must match dataSourceRef");
            }
        }
    }

    private static void dataSource(JsonNode ds, String path, Errors errs) {
        if (JsonReads.str(ds, "name").isEmpty()) {
            errs.required(Errors.child(path, "name"), "");
        }
        String kind = JsonReads.str(ds, "kind");
        if (kind.isEmpty()) {
            errs.required(Errors.child(path, "kind"), "");
        }
        String group = JsonReads.str(ds, "apiGroup");
        if (group.isEmpty() && !kind.equals("PersistentVolumeClaim")) {
            errs.invalid(path, kind, "must be 'PersistentVolumeClaim' when referencing the default apiGroup");
        }
        if (!group.isEmpty()) {
            errs.invalidEach(Errors.child(path, "apiGroup"), group, NameRules.dns1123Subdomain(group));
        }
    }

    /** validatePersistentVolumeClaimResourceKey: a qualified name, and only storage among native resources. */
    private static void resourceKey(String key, String path, Errors errs) {
        List<String> msgs = NameRules.qualifiedName(key);
        if (!msgs.isEmpty()) {
            errs.invalidEach(path, key, msgs);
        } else if (ResourceRules.isNative(key) && !key.equals("storage")) {
            errs.notSupported(path, key, List.of("storage"));
        }
    }

    /** The immutability part of ValidatePersistentVolumeClaimUpdate. */
    private static void immutability(ObjectNode obj, ObjectNode old, Errors errs) {
        JsonNode spec = JsonReads.obj(obj, "spec");
        JsonNode oldSpec = JsonReads.obj(old, "spec");
        ObjectNode now = spec == null
                ? com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode()
                : ((ObjectNode) spec).deepCopy();
        ObjectNode was = oldSpec == null
                ? com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode()
                : ((ObjectNode) oldSpec).deepCopy();
        if (JsonReads.str(oldSpec, "volumeName").isEmpty()) {
            // the volume controller may bind the claim once
            copy(now, was, "volumeName");
        }
        JsonNode annotations = JsonReads.obj(JsonReads.obj(obj, "metadata"), "annotations");
        JsonNode oldAnnotations = JsonReads.obj(JsonReads.obj(old, "metadata"), "annotations");
        boolean oldHasAnnotation = oldAnnotations != null && oldAnnotations.has(STORAGE_CLASS_ANNOTATION);
        String oldClassAnnotation = JsonReads.str(oldAnnotations, STORAGE_CLASS_ANNOTATION);
        boolean newHasAnnotation = annotations != null && annotations.has(STORAGE_CLASS_ANNOTATION);
        boolean upgradeFromAnnotation = oldHasAnnotation
                && !JsonReads.has(oldSpec, "storageClassName")
                && JsonReads.has(spec, "storageClassName")
                && JsonReads.str(spec, "storageClassName").equals(oldClassAnnotation)
                && (!newHasAnnotation
                        || JsonReads.str(annotations, STORAGE_CLASS_ANNOTATION).equals(oldClassAnnotation));
        if (upgradeFromAnnotation) {
            now.remove("storageClassName");
        } else {
            String newClassAnnotation = JsonReads.str(annotations, STORAGE_CLASS_ANNOTATION);
            if (!newClassAnnotation.equals(oldClassAnnotation)) {
                errs.invalid(
                        "metadata.annotations." + STORAGE_CLASS_ANNOTATION, newClassAnnotation, "field is immutable");
            }
            boolean upgradeFromNil = JsonReads.has(spec, "storageClassName")
                    && !JsonReads.has(oldSpec, "storageClassName")
                    && (!oldHasAnnotation
                            || JsonReads.str(spec, "storageClassName").equals(oldClassAnnotation));
            if (upgradeFromNil) {
                now.remove("storageClassName");
            }
        }
        boolean bound = JsonReads.str(JsonReads.obj(obj, "status"), "phase").equals("Bound");
        JsonNode requests = JsonReads.obj(now, "resources", "requests");
        if (bound && requests instanceof ObjectNode r) {
            JsonNode oldStorage = JsonReads.obj(oldSpec, "resources", "requests") == null
                    ? null
                    : JsonReads.obj(oldSpec, "resources", "requests").get("storage");
            if (oldStorage == null) {
                r.remove("storage");
            } else {
                r.set("storage", oldStorage.deepCopy());
            }
        }
        if (!PodUpdateValidation.semanticEqual(now, was)) {
            errs.forbidden(
                    "spec",
                    "spec is immutable after creation except resources.requests and volumeAttributesClassName for bound"
                            + " claims\n" + SpecDiff.of(was, now));
        }
        Quantity newSize = storage(spec);
        Quantity oldSize = storage(oldSpec);
        if (newSize.compareTo(oldSize) < 0) {
            Quantity statusSize = quantity(JsonReads.obj(old, "status", "capacity"));
            if (newSize.compareTo(statusSize) <= 0) {
                errs.forbidden("spec.resources.requests.storage", "field can not be less than status.capacity");
            }
        }
        if (!Objects.equals(
                JsonReads.has(spec, "volumeMode") ? JsonReads.str(spec, "volumeMode") : null,
                JsonReads.has(oldSpec, "volumeMode") ? JsonReads.str(oldSpec, "volumeMode") : null)) {
            errs.invalid(
                    "volumeMode",
                    JsonReads.has(spec, "volumeMode") ? JsonReads.str(spec, "volumeMode") : null,
                    "field is immutable");
        }
    }

    private static void copy(ObjectNode to, JsonNode from, String field) {
        if (JsonReads.has(from, field)) {
            to.set(field, from.get(field).deepCopy());
        } else {
            to.remove(field);
        }
    }

    private static Quantity storage(JsonNode spec) {
        return quantity(JsonReads.obj(spec, "resources", "requests"));
    }

    /** The storage entry of a resource list; a missing or unparseable one reads as zero, as Go's map lookup does. */
    private static Quantity quantity(JsonNode list) {
        try {
            return JsonReads.has(list, "storage")
                    ? Quantity.parse(JsonReads.str(list, "storage"))
                    : Quantity.parse("0");
        } catch (IllegalArgumentException e) {
            return Quantity.parse("0");
        }
    }
}
