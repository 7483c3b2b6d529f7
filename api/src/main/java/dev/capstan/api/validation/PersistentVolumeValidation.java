package dev.capstan.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.model.json.JsonReads;
import dev.capstan.model.json.KubeJson;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * PersistentVolume: core validation's ValidatePersistentVolume, ValidatePersistentVolumeUpdate and
 * ValidatePersistentVolumeStatusUpdate, pkg/volume/validation's mount-option rule, and core/v1's PV defaults.
 *
 * <p>The strategy (pkg/registry/core/persistentvolume): a create starts Pending with lastPhaseTransitionTime now
 * ({@link #prepareForCreate}); an update keeps the stored status; a status update keeps the stored spec and moves
 * lastPhaseTransitionTime when the phase changes ({@link #prepareForStatusUpdate}). {@code volumeAttributesClassName}
 * belongs to the VolumeAttributesClass gate, beta but off in 1.32: it is dropped unless the stored PV has it, and
 * it is then not validated. The main update runs ValidatePersistentVolume, the mount-option rule and
 * ValidatePersistentVolumeUpdate (which validates the new PV again, so create-time causes repeat as upstream's do).
 * Upstream's status update also requires a resourceVersion, which the server fills before validation.
 */
public final class PersistentVolumeValidation {
    private PersistentVolumeValidation() {}

    private static final List<String> ACCESS_MODES =
            List.of("ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod");
    private static final List<String> RECLAIM_POLICIES = List.of("Delete", "Recycle", "Retain");
    static final List<String> VOLUME_MODES = List.of("Block", "Filesystem");
    private static final String MOUNT_OPTIONS = "volume.beta.kubernetes.io/mount-options";
    /** Sources whose plugins take mount options from the deprecated annotation. */
    private static final Set<String> MOUNT_OPTION_SOURCES = Set.of(
            "gcePersistentDisk",
            "awsElasticBlockStore",
            "glusterfs",
            "nfs",
            "rbd",
            "quobyte",
            "iscsi",
            "cinder",
            "cephfs",
            "azureFile",
            "vsphereVolume",
            "azureDisk",
            "photonPersistentDisk");

    private static final Map<String, String> BETA_TO_GA = Map.of(
            "failure-domain.beta.kubernetes.io/zone", "topology.kubernetes.io/zone",
            "failure-domain.beta.kubernetes.io/region", "topology.kubernetes.io/region",
            "beta.kubernetes.io/os", "kubernetes.io/os",
            "beta.kubernetes.io/arch", "kubernetes.io/arch",
            "beta.kubernetes.io/instance-type", "node.kubernetes.io/instance-type");

    /** The strategy's Validate: ValidatePersistentVolume and the mount-option rule. */
    public static List<Cause> validatePersistentVolume(ObjectNode obj) {
        Errors errs = new Errors();
        pv(obj, errs);
        mountOptions(obj, errs);
        return errs.list();
    }

    /** The strategy's ValidateUpdate: as on create, then ValidatePersistentVolumeUpdate. */
    public static List<Cause> validatePersistentVolumeUpdate(ObjectNode obj, ObjectNode old) {
        Errors errs = new Errors();
        pv(obj, errs);
        mountOptions(obj, errs);
        pv(obj, errs);
        JsonNode spec = JsonReads.obj(obj, "spec");
        JsonNode oldSpec = JsonReads.obj(old, "spec");
        ObjectNode sources = sources(spec);
        ObjectNode oldSources = sources(oldSpec);
        // a controllerExpandSecretRef may be added to a CSI source that had none
        if (sources.get("csi") instanceof ObjectNode csi
                && oldSources.get("csi") instanceof ObjectNode oldCsi
                && !JsonReads.has(oldCsi, "controllerExpandSecretRef")) {
            csi.remove("controllerExpandSecretRef");
        }
        if (!PodUpdateValidation.semanticEqual(sources, oldSources)) {
            errs.forbidden(
                    "spec.persistentvolumesource",
                    "spec.persistentvolumesource is immutable after creation\n" + SpecDiff.of(oldSources, sources));
        }
        if (!JsonReads.str(spec, "volumeMode").equals(JsonReads.str(oldSpec, "volumeMode"))) {
            errs.invalid(
                    "volumeMode",
                    JsonReads.has(spec, "volumeMode") ? JsonReads.str(spec, "volumeMode") : null,
                    "field is immutable");
        }
        if (JsonReads.has(oldSpec, "nodeAffinity")
                && !affinityEqual(JsonReads.obj(spec, "nodeAffinity"), JsonReads.obj(oldSpec, "nodeAffinity"))) {
            errs.invalid(
                    "nodeAffinity",
                    new GoFormat.Literal(
                            JsonReads.has(spec, "nodeAffinity")
                                    ? "core.VolumeNodeAffinity{Required:(*core.NodeSelector)("
                                            + (JsonReads.has(JsonReads.obj(spec, "nodeAffinity"), "required")
                                                    ? "0xc000000000"
                                                    : "nil")
                                            + ")}"
                                    : "null"),
                    "field is immutable, except for updating from beta label to GA");
        }
        if (!JsonReads.str(spec, "volumeAttributesClassName")
                        .equals(JsonReads.str(oldSpec, "volumeAttributesClassName"))
                || JsonReads.has(spec, "volumeAttributesClassName")
                        != JsonReads.has(oldSpec, "volumeAttributesClassName")) {
            errs.forbidden(
                    "spec.volumeAttributesClassName",
                    "update is forbidden when the VolumeAttributesClass feature gate is disabled");
        }
        return errs.list();
    }

    /** ValidatePersistentVolumeStatusUpdate: the metadata update rules only. */
    public static List<Cause> validatePersistentVolumeStatusUpdate(ObjectNode obj, ObjectNode old) {
        Errors errs = new Errors();
        CoreObjectMeta.update(obj, errs);
        return errs.list();
    }

    /**
     * SetObjectDefaults_PersistentVolume: phase Pending, reclaim policy Retain, volume mode Filesystem, capacity rounded
     * up to milli precision, and the source defaults (hostPath type "", rbd pool/user/keyring, iscsi interface,
     * azureDisk caching mode/fsType/readOnly/kind, scaleIO storage mode/fsType).
     */
    public static void defaultPersistentVolume(ObjectNode obj) {
        PodDefaults.putIfAbsent(KubeJson.child(obj, "status"), "phase", "Pending");
        ObjectNode spec = KubeJson.child(obj, "spec");
        PodDefaults.putIfAbsent(spec, "persistentVolumeReclaimPolicy", "Retain");
        if (!JsonReads.has(spec, "volumeMode")) {
            spec.put("volumeMode", "Filesystem");
        }
        ResourceRules.roundUpToMilli(JsonReads.obj(spec, "capacity"));
        if (JsonReads.obj(spec, "hostPath") instanceof ObjectNode hostPath && !JsonReads.has(hostPath, "type")) {
            hostPath.put("type", "");
        }
        if (JsonReads.obj(spec, "rbd") instanceof ObjectNode rbd) {
            PodDefaults.putIfAbsent(rbd, "pool", "rbd");
            PodDefaults.putIfAbsent(rbd, "user", "admin");
            PodDefaults.putIfAbsent(rbd, "keyring", "/etc/ceph/keyring");
        }
        if (JsonReads.obj(spec, "iscsi") instanceof ObjectNode iscsi) {
            PodDefaults.putIfAbsent(iscsi, "iscsiInterface", "default");
        }
        if (JsonReads.obj(spec, "azureDisk") instanceof ObjectNode disk) {
            putIfMissing(disk, "cachingMode", "ReadWrite");
            putIfMissing(disk, "fsType", "ext4");
            if (!JsonReads.has(disk, "readOnly")) {
                disk.put("readOnly", false);
            }
            putIfMissing(disk, "kind", "Shared");
        }
        if (JsonReads.obj(spec, "scaleIO") instanceof ObjectNode scaleIO) {
            PodDefaults.putIfAbsent(scaleIO, "storageMode", "ThinProvisioned");
            PodDefaults.putIfAbsent(scaleIO, "fsType", "xfs");
        }
    }

    /** A Go pointer default: only an absent (nil) value is filled, an explicit "" stays. */
    private static void putIfMissing(ObjectNode node, String field, String value) {
        if (!JsonReads.has(node, field)) {
            node.put(field, value);
        }
    }

    /** PrepareForCreate: status reset to Pending at now (an RFC 3339 time); a gated-off VAC name is dropped. */
    public static void prepareForCreate(ObjectNode obj, String now) {
        obj.putObject("status").put("phase", "Pending").put("lastPhaseTransitionTime", now);
        if (JsonReads.obj(obj, "spec") instanceof ObjectNode spec) {
            spec.remove("volumeAttributesClassName");
        }
    }

    /** PrepareForUpdate: the stored status is kept; a VAC name the stored PV lacks is dropped. */
    public static void prepareForUpdate(ObjectNode obj, ObjectNode old) {
        keep(obj, old, "status");
        if (JsonReads.obj(obj, "spec") instanceof ObjectNode spec
                && !JsonReads.has(JsonReads.obj(old, "spec"), "volumeAttributesClassName")) {
            spec.remove("volumeAttributesClassName");
        }
    }

    /**
     * The status strategy's PrepareForUpdate: the stored spec is kept; lastPhaseTransitionTime keeps the stored value
     * while the phase is unchanged and unset, and becomes now when the phase changes without a newer time.
     */
    public static void prepareForStatusUpdate(ObjectNode obj, ObjectNode old, String now) {
        keep(obj, old, "spec");
        ObjectNode status = KubeJson.child(obj, "status");
        JsonNode oldStatus = JsonReads.obj(old, "status");
        String phase = JsonReads.str(status, "phase");
        String oldPhase = JsonReads.str(oldStatus, "phase");
        String time = JsonReads.str(status, "lastPhaseTransitionTime");
        String oldTime = JsonReads.str(oldStatus, "lastPhaseTransitionTime");
        if (phase.equals(oldPhase) && time.isEmpty()) {
            if (!oldTime.isEmpty()) {
                status.put("lastPhaseTransitionTime", oldTime);
            }
        } else if (!phase.equals(oldPhase) && (time.isEmpty() || time.equals(oldTime))) {
            status.put("lastPhaseTransitionTime", now);
        }
    }

    private static void keep(ObjectNode obj, ObjectNode old, String field) {
        if (JsonReads.has(old, field)) {
            obj.set(field, old.get(field).deepCopy());
        } else {
            obj.remove(field);
        }
    }

    private static ObjectNode sources(JsonNode spec) {
        ObjectNode out = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        for (String s : PersistentVolumeSources.SOURCES) {
            if (JsonReads.has(spec, s)) {
                out.set(s, spec.get(s).deepCopy());
            }
        }
        return out;
    }

    /** Semantic equality of node affinities, where a beta node label may have become its GA name. */
    private static boolean affinityEqual(ObjectNode now, ObjectNode old) {
        if (now == null || old == null) {
            return now == old;
        }
        ObjectNode masked = now.deepCopy();
        List<JsonNode> terms = JsonReads.items(JsonReads.obj(masked, "required"), "nodeSelectorTerms");
        List<JsonNode> oldTerms = JsonReads.items(JsonReads.obj(old, "required"), "nodeSelectorTerms");
        for (int i = 0; i < terms.size() && i < oldTerms.size(); i++) {
            List<JsonNode> exprs = JsonReads.items(terms.get(i), "matchExpressions");
            List<JsonNode> oldExprs = JsonReads.items(oldTerms.get(i), "matchExpressions");
            for (int j = 0; j < exprs.size() && j < oldExprs.size(); j++) {
                String key = JsonReads.str(exprs.get(j), "key");
                String oldKey = JsonReads.str(oldExprs.get(j), "key");
                if (!key.equals(oldKey) && key.equals(BETA_TO_GA.get(oldKey))) {
                    ((ObjectNode) exprs.get(j)).put("key", oldKey);
                }
            }
        }
        return PodUpdateValidation.semanticEqual(masked, old);
    }

    private static void pv(ObjectNode obj, Errors errs) {
        CoreObjectMeta.create(obj, NameRules.NameRule.DNS_SUBDOMAIN, false, errs);
        JsonNode spec = JsonReads.obj(obj, "spec");
        accessModes(JsonReads.strings(spec, "accessModes"), "spec.accessModes", "", errs);
        JsonNode capacity = JsonReads.obj(spec, "capacity");
        List<Map.Entry<String, String>> entries = JsonReads.entries(capacity);
        if (entries.isEmpty()) {
            errs.required("spec.capacity", "");
        }
        if (!JsonReads.has(capacity, "storage") || entries.size() > 1) {
            errs.notSupported("spec.capacity", resourceList(capacity), List.of("storage"));
        }
        for (Map.Entry<String, ResourceRules.Parsed> e :
                ResourceRules.list(capacity, "spec.capacity", errs).entrySet()) {
            String path = Errors.key("spec.capacity", e.getKey());
            ResourceRules.basic(e.getValue().q(), path, errs);
            ResourceRules.positive(e.getValue().q(), path, errs);
        }
        String policy = JsonReads.str(spec, "persistentVolumeReclaimPolicy");
        if (!policy.isEmpty() && !RECLAIM_POLICIES.contains(policy)) {
            errs.notSupported("spec.persistentVolumeReclaimPolicy", policy, RECLAIM_POLICIES);
        }
        boolean affinity = JsonReads.has(spec, "nodeAffinity");
        if (affinity) {
            PersistentVolumeSources.nodeAffinity(JsonReads.obj(spec, "nodeAffinity"), "spec.nodeAffinity", errs);
        }
        if (PersistentVolumeSources.validate(
                        spec, JsonReads.str(JsonReads.obj(obj, "metadata"), "name"), affinity, errs)
                == 0) {
            errs.required("spec", "must specify a volume type");
        }
        if (JsonReads.obj(spec, "hostPath") instanceof JsonNode hostPath
                && cleansToRoot(JsonReads.str(hostPath, "path"))
                && policy.equals("Recycle")) {
            errs.forbidden("spec.persistentVolumeReclaimPolicy", "may not be 'recycle' for a hostPath mount of '/'");
        }
        String storageClass = JsonReads.str(spec, "storageClassName");
        if (!storageClass.isEmpty()) {
            errs.invalidEach("spec.storageClassName", storageClass, NameRules.dns1123Subdomain(storageClass));
        }
        if (JsonReads.has(spec, "volumeMode") && !VOLUME_MODES.contains(JsonReads.str(spec, "volumeMode"))) {
            errs.notSupported("spec.volumeMode", JsonReads.str(spec, "volumeMode"), VOLUME_MODES);
        }
    }

    /** Go's path.Clean(p) == "/": an absolute path of only slashes, dots and "..". */
    private static boolean cleansToRoot(String p) {
        if (!p.startsWith("/")) {
            return false;
        }
        int depth = 0;
        for (String part : p.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                depth = Math.max(0, depth - 1);
            } else {
                return false;
            }
        }
        return depth == 0;
    }

    /** Access modes as PV and PVC specs check them; required is the PVC's detail for an empty list. */
    static void accessModes(List<String> modes, String path, String required, Errors errs) {
        if (modes.isEmpty()) {
            errs.required(path, required);
        }
        boolean once = false;
        boolean other = false;
        for (String mode : modes) {
            if (!ACCESS_MODES.contains(mode)) {
                errs.notSupported(path, mode, ACCESS_MODES);
            }
            if (mode.equals("ReadWriteOncePod")) {
                once = true;
            } else if (ACCESS_MODES.contains(mode)) {
                other = true;
            }
        }
        if (once && other) {
            errs.forbidden(path, "may not use ReadWriteOncePod with other access modes");
        }
    }

    /** A core.ResourceList in %#v form; Go sorts map keys when printing. */
    private static GoFormat.Literal resourceList(JsonNode list) {
        if (list == null) {
            return new GoFormat.Literal("core.ResourceList(nil)");
        }
        Map<String, String> sorted = new TreeMap<>();
        JsonReads.entries(list).forEach(e -> sorted.put(e.getKey(), e.getValue()));
        return new GoFormat.Literal(sorted.entrySet().stream()
                .map(e -> GoFormat.quote(e.getKey()) + ":" + quantity(e.getValue()))
                .collect(Collectors.joining(", ", "core.ResourceList{", "}")));
    }

    private static String quantity(String raw) {
        try {
            return GoQuantity.literal(raw, false).text();
        } catch (IllegalArgumentException e) {
            return GoFormat.quote(raw);
        }
    }

    /** pkg/volume/validation's checkMountOption: the annotation only suits sources whose plugins take options. */
    private static void mountOptions(ObjectNode obj, Errors errs) {
        JsonNode spec = JsonReads.obj(obj, "spec");
        if (MOUNT_OPTION_SOURCES.stream().anyMatch(s -> JsonReads.has(spec, s))) {
            return;
        }
        JsonNode annotations = JsonReads.obj(JsonReads.obj(obj, "metadata"), "annotations");
        if (annotations != null && annotations.has(MOUNT_OPTIONS)) {
            errs.forbidden(
                    "metadata.annotations." + MOUNT_OPTIONS, "may not specify mount options for this volume type");
        }
    }
}
