package dev.capstan.api.table;

import static dev.capstan.api.table.Descriptions.PVC_SPEC_VOLUME_MODE;
import static dev.capstan.api.table.Descriptions.PVC_SPEC_VOLUME_NAME;
import static dev.capstan.api.table.Descriptions.PVC_STATUS_ACCESS_MODES;
import static dev.capstan.api.table.Descriptions.PVC_STATUS_CAPACITY;
import static dev.capstan.api.table.Descriptions.PVC_STATUS_PHASE;
import static dev.capstan.api.table.Descriptions.PV_SPEC_ACCESS_MODES;
import static dev.capstan.api.table.Descriptions.PV_SPEC_CAPACITY;
import static dev.capstan.api.table.Descriptions.PV_SPEC_CLAIM_REF;
import static dev.capstan.api.table.Descriptions.PV_SPEC_RECLAIM_POLICY;
import static dev.capstan.api.table.Descriptions.PV_SPEC_VOLUME_MODE;
import static dev.capstan.api.table.Descriptions.PV_STATUS_PHASE;
import static dev.capstan.api.table.Descriptions.PV_STATUS_REASON;
import static dev.capstan.api.table.Descriptions.STORAGE_CLASS_ALLOW_VOLUME_EXPANSION;
import static dev.capstan.api.table.Descriptions.STORAGE_CLASS_PROVISIONER;
import static dev.capstan.api.table.Descriptions.STORAGE_CLASS_RECLAIM_POLICY;
import static dev.capstan.api.table.Descriptions.STORAGE_CLASS_VOLUME_BINDING_MODE;

import com.fasterxml.jackson.databind.JsonNode;
import dev.capstan.model.json.JsonReads;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * PersistentVolume, PersistentVolumeClaim and storage.k8s.io StorageClass. Absent phases, reclaim policy and volume
 * mode print as the values the API server defaults them to.
 */
public final class StoragePrinters {
    private static final String BETA_STORAGE_CLASS_ANNOTATION = "volume.beta.kubernetes.io/storage-class";
    private static final List<String> DEFAULT_CLASS_ANNOTATIONS =
            List.of("storageclass.kubernetes.io/is-default-class", "storageclass.beta.kubernetes.io/is-default-class");
    private static final Map<String, String> ACCESS_MODES =
            Map.of("ReadWriteOnce", "RWO", "ReadOnlyMany", "ROX", "ReadWriteMany", "RWX", "ReadWriteOncePod", "RWOP");
    private static final List<String> ACCESS_MODE_ORDER =
            List.of("ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany", "ReadWriteOncePod");

    private StoragePrinters() {}

    /** The table of PersistentVolumes. */
    public static final KindTable PERSISTENT_VOLUME = new KindTable(
            List.of(
                    Columns.name(),
                    Columns.string("Capacity", PV_SPEC_CAPACITY),
                    Columns.string("Access Modes", PV_SPEC_ACCESS_MODES),
                    Columns.string("Reclaim Policy", PV_SPEC_RECLAIM_POLICY),
                    Columns.string("Status", PV_STATUS_PHASE),
                    Columns.string("Claim", PV_SPEC_CLAIM_REF),
                    Columns.string("StorageClass", "StorageClass of the pv"),
                    Columns.string("VolumeAttributesClass", "VolumeAttributesClass of the pv"),
                    Columns.string("Reason", PV_STATUS_REASON),
                    Columns.age(),
                    Columns.wide("VolumeMode", PV_SPEC_VOLUME_MODE)),
            StoragePrinters::persistentVolume);

    /** The table of PersistentVolumeClaims. */
    public static final KindTable PERSISTENT_VOLUME_CLAIM = new KindTable(
            List.of(
                    Columns.name(),
                    Columns.string("Status", PVC_STATUS_PHASE),
                    Columns.string("Volume", PVC_SPEC_VOLUME_NAME),
                    Columns.string("Capacity", PVC_STATUS_CAPACITY),
                    Columns.string("Access Modes", PVC_STATUS_ACCESS_MODES),
                    Columns.string("StorageClass", "StorageClass of the pvc"),
                    Columns.string("VolumeAttributesClass", "VolumeAttributesClass of the pvc"),
                    Columns.age(),
                    Columns.wide("VolumeMode", PVC_SPEC_VOLUME_MODE)),
            StoragePrinters::persistentVolumeClaim);

    /** The table of StorageClasses. */
    public static final KindTable STORAGE_CLASS = new KindTable(
            List.of(
                    Columns.name(),
                    Columns.string("Provisioner", STORAGE_CLASS_PROVISIONER),
                    Columns.string("ReclaimPolicy", STORAGE_CLASS_RECLAIM_POLICY),
                    Columns.string("VolumeBindingMode", STORAGE_CLASS_VOLUME_BINDING_MODE),
                    Columns.string("AllowVolumeExpansion", STORAGE_CLASS_ALLOW_VOLUME_EXPANSION),
                    Columns.age()),
            StoragePrinters::storageClass);

    static List<Object> persistentVolume(JsonNode pv, Instant now) {
        JsonNode spec = JsonReads.at(pv, "spec");
        String claim = JsonReads.has(spec, "claimRef")
                ? JsonReads.str(spec, "claimRef", "namespace") + "/" + JsonReads.str(spec, "claimRef", "name")
                : "";
        Map<String, String> annotations = JsonReads.stringMap(pv, "metadata", "annotations");
        return List.of(
                Nodes.name(pv),
                Nodes.quantity(spec, "capacity", "storage"),
                accessModes(JsonReads.items(spec, "accessModes")),
                JsonReads.strOr(spec, "Retain", "persistentVolumeReclaimPolicy"),
                Nodes.deleting(pv) ? "Terminating" : JsonReads.strOr(pv, "Pending", "status", "phase"),
                claim,
                annotations.getOrDefault(BETA_STORAGE_CLASS_ANNOTATION, JsonReads.str(spec, "storageClassName")),
                JsonReads.has(spec, "volumeAttributesClassName")
                        ? JsonReads.str(spec, "volumeAttributesClassName")
                        : "<unset>",
                JsonReads.str(pv, "status", "reason"),
                Nodes.age(pv, now),
                JsonReads.strOr(spec, "Filesystem", "volumeMode"));
    }

    /** Capacity and access modes only show once the claim is bound to a volume. */
    static List<Object> persistentVolumeClaim(JsonNode pvc, Instant now) {
        JsonNode spec = JsonReads.at(pvc, "spec");
        String volumeName = JsonReads.str(spec, "volumeName");
        boolean bound = !volumeName.isEmpty();
        Map<String, String> annotations = JsonReads.stringMap(pvc, "metadata", "annotations");
        String storageClass = annotations.containsKey(BETA_STORAGE_CLASS_ANNOTATION)
                ? annotations.get(BETA_STORAGE_CLASS_ANNOTATION)
                : JsonReads.str(spec, "storageClassName");
        return List.of(
                Nodes.name(pvc),
                Nodes.deleting(pvc) ? "Terminating" : JsonReads.strOr(pvc, "Pending", "status", "phase"),
                volumeName,
                bound ? Nodes.quantity(pvc, "status", "capacity", "storage") : "",
                bound ? accessModes(JsonReads.items(pvc, "status", "accessModes")) : "",
                storageClass,
                JsonReads.has(spec, "volumeAttributesClassName")
                        ? JsonReads.str(spec, "volumeAttributesClassName")
                        : "<unset>",
                Nodes.age(pvc, now),
                JsonReads.strOr(spec, "Filesystem", "volumeMode"));
    }

    /** Short access-mode names in a fixed order, duplicates dropped: "RWO,ROX". */
    static String accessModes(List<JsonNode> modes) {
        List<String> present = new ArrayList<>();
        modes.forEach(m -> present.add(m.asText()));
        List<String> shortNames = new ArrayList<>();
        for (String mode : ACCESS_MODE_ORDER) {
            if (present.contains(mode)) {
                shortNames.add(ACCESS_MODES.get(mode));
            }
        }
        return String.join(",", shortNames);
    }

    static List<Object> storageClass(JsonNode storageClass, Instant now) {
        Map<String, String> annotations = JsonReads.stringMap(storageClass, "metadata", "annotations");
        boolean isDefault = DEFAULT_CLASS_ANNOTATIONS.stream().anyMatch(a -> "true".equals(annotations.get(a)));
        return List.of(
                Nodes.name(storageClass) + (isDefault ? " (default)" : ""),
                JsonReads.str(storageClass, "provisioner"),
                JsonReads.strOr(storageClass, "Delete", "reclaimPolicy"),
                JsonReads.strOr(storageClass, "Immediate", "volumeBindingMode"),
                JsonReads.bool(storageClass, "allowVolumeExpansion"),
                Nodes.age(storageClass, now));
    }
}
