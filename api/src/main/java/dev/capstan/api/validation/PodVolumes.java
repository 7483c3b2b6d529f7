package dev.capstan.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.capstan.model.json.JsonReads;
import dev.capstan.model.quantity.Quantity;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A pod's volumes (ValidateVolumes and validateVolumeSource with every source type). The image source is alpha
 * (ImageVolume) and the projected clusterTrustBundle source alpha too (ClusterTrustBundleProjection): both are dropped
 * by the strategy before validation, so neither is checked here.
 */
final class PodVolumes {
    private PodVolumes() {}

    /** The JSON names of volume sources, in the order upstream counts them. */
    static final List<String> SOURCES = List.of(
            "emptyDir",
            "hostPath",
            "gitRepo",
            "gcePersistentDisk",
            "awsElasticBlockStore",
            "secret",
            "nfs",
            "iscsi",
            "glusterfs",
            "flocker",
            "persistentVolumeClaim",
            "rbd",
            "cinder",
            "cephfs",
            "quobyte",
            "downwardAPI",
            "fc",
            "flexVolume",
            "configMap",
            "azureFile",
            "vsphereVolume",
            "photonPersistentDisk",
            "portworxVolume",
            "azureDisk",
            "storageos",
            "projected",
            "scaleIO",
            "csi",
            "ephemeral");

    private static final String FILE_MODE_MSG = "must be a number between 0 and 0777 (octal), both inclusive";
    private static final List<String> HOST_PATH_TYPES = List.of(
            "", "BlockDevice", "CharDevice", "Directory", "DirectoryOrCreate", "File", "FileOrCreate", "Socket");

    /**
     * ValidateVolumes: the sources of each volume, its name, and PVCs that an ephemeral volume creates. Returns the
     * valid volumes by name, for the mounts to refer to; podName is the pod's (empty for templates).
     */
    static Map<String, JsonNode> validate(
            List<JsonNode> vols, String podName, String path, PodOptions opts, Errors errs) {
        Set<String> createdClaims = new HashSet<>();
        if (!podName.isEmpty()) {
            for (JsonNode vol : vols) {
                if (JsonReads.has(vol, "ephemeral")) {
                    createdClaims.add(podName + "-" + JsonReads.str(vol, "name"));
                }
            }
        }
        Map<String, JsonNode> valid = new LinkedHashMap<>();
        for (int i = 0; i < vols.size(); i++) {
            JsonNode vol = vols.get(i);
            String ip = Errors.index(path, i);
            String name = JsonReads.str(vol, "name");
            Errors el = new Errors();
            source(vol, name, podName, ip, opts, el);
            if (name.isEmpty()) {
                el.required(Errors.child(ip, "name"), "");
            } else {
                el.invalidEach(Errors.child(ip, "name"), name, NameRules.dns1123Label(name));
            }
            if (valid.containsKey(name)) {
                el.duplicate(Errors.child(ip, "name"), name);
            }
            if (el.isEmpty()) {
                valid.put(name, vol);
            } else {
                errs.list().addAll(el.list());
            }
            String claim = JsonReads.str(vol, "persistentVolumeClaim", "claimName");
            if (JsonReads.has(vol, "persistentVolumeClaim") && createdClaims.contains(claim)) {
                errs.invalid(
                        Errors.child(ip, "persistentVolumeClaim.claimName"),
                        claim,
                        "must not reference a PVC that gets created for an ephemeral volume");
            }
        }
        return valid;
    }

    private static void source(
            JsonNode vol, String volName, String podName, String path, PodOptions opts, Errors errs) {
        int count = 0;
        for (String source : SOURCES) {
            if (!JsonReads.has(vol, source)) {
                continue;
            }
            if (count++ > 0) {
                errs.forbidden(Errors.child(path, forbiddenName(source)), "may not specify more than 1 volume type");
                continue;
            }
            JsonNode s = vol.get(source);
            String sp = Errors.child(path, sourcePath(source));
            one(source, s, sp, opts, errs);
            if (source.equals("iscsi")
                    && JsonReads.has(s, "initiatorName")
                    && NameRules.len(volName + ":" + JsonReads.str(s, "targetPortal")) > 64) {
                errs.invalid(
                        Errors.child(path, "name"),
                        volName,
                        "Total length of <volume name>:<iscsi.targetPortal> must be under 64 characters if "
                                + "iscsi.initiatorName is specified.");
            }
            if (source.equals("ephemeral") && !podName.isEmpty() && !volName.isEmpty()) {
                String claimName = podName + "-" + volName;
                for (String msg : NameRules.dns1123Subdomain(claimName)) {
                    errs.invalid(
                            Errors.child(path, "name"), volName, "PVC name " + GoFormat.quote(claimName) + ": " + msg);
                }
            }
        }
        if (count == 0) {
            errs.required(path, "must specify a volume type");
        }
    }

    /** Upstream's path spellings when refusing a second source: a typo and a capital kept as they are. */
    private static String forbiddenName(String source) {
        return switch (source) {
            case "cephfs" -> "cephFS";
            case "downwardAPI" -> "downwarAPI";
            default -> source;
        };
    }

    /** Upstream validates gcePersistentDisk under the path persistentDisk. */
    private static String sourcePath(String source) {
        return source.equals("gcePersistentDisk") ? "persistentDisk" : source;
    }

    private static void one(String source, JsonNode s, String path, PodOptions opts, Errors errs) {
        switch (source) {
            case "emptyDir" -> {
                String limit = JsonReads.str(s, "sizeLimit");
                if (!limit.isEmpty()
                        && Quantity.tryParse(limit).map(q -> q.sign() < 0).orElse(false)) {
                    errs.forbidden(
                            Errors.child(path, "sizeLimit"), "SizeLimit field must be a valid resource quantity");
                }
            }
            case "hostPath" -> {
                String p = JsonReads.str(s, "path");
                if (p.isEmpty()) {
                    errs.required(Errors.child(path, "path"), "");
                    return;
                }
                PersistentVolumeSources.noBacksteps(p, Errors.child(path, "path"), errs);
                if (JsonReads.has(s, "type") && !HOST_PATH_TYPES.contains(JsonReads.str(s, "type"))) {
                    errs.notSupported(Errors.child(path, "type"), JsonReads.str(s, "type"), HOST_PATH_TYPES);
                }
            }
            case "gitRepo" -> {
                PersistentVolumeSources.required(s, "repository", path, errs);
                localDescendingPath(JsonReads.str(s, "directory"), Errors.child(path, "directory"), errs);
            }
            case "gcePersistentDisk" -> {
                PersistentVolumeSources.required(s, "pdName", path, errs);
                PersistentVolumeSources.partition(s, path, errs);
            }
            case "awsElasticBlockStore" -> {
                PersistentVolumeSources.required(s, "volumeID", path, errs);
                PersistentVolumeSources.partition(s, path, errs);
            }
            case "secret" -> keyToPathSource(s, "secretName", path, errs);
            case "configMap" -> keyToPathSource(s, "name", path, errs);
            case "nfs" -> {
                PersistentVolumeSources.required(s, "server", path, errs);
                PersistentVolumeSources.required(s, "path", path, errs);
                if (!JsonReads.str(s, "path").startsWith("/")) {
                    errs.invalid(Errors.child(path, "path"), JsonReads.str(s, "path"), "must be an absolute path");
                }
            }
            case "iscsi" -> iscsi(s, path, errs);
            case "glusterfs" -> {
                PersistentVolumeSources.required(s, "endpoints", path, errs);
                PersistentVolumeSources.required(s, "path", path, errs);
            }
            case "flocker" -> flocker(s, path, errs);
            case "persistentVolumeClaim" -> PersistentVolumeSources.required(s, "claimName", path, errs);
            case "rbd" -> {
                if (JsonReads.items(s, "monitors").isEmpty()) {
                    errs.required(Errors.child(path, "monitors"), "");
                }
                PersistentVolumeSources.required(s, "image", path, errs);
            }
            case "cinder" -> {
                PersistentVolumeSources.required(s, "volumeID", path, errs);
                secretRefName(s, path, errs);
            }
            case "cephfs" -> {
                if (JsonReads.items(s, "monitors").isEmpty()) {
                    errs.required(Errors.child(path, "monitors"), "");
                }
            }
            case "quobyte" -> PersistentVolumeSources.quobyte(s, path, errs);
            case "downwardAPI" -> {
                fileMode(s, "defaultMode", path, errs);
                for (JsonNode item : JsonReads.items(s, "items")) {
                    downwardApiFile(item, path, errs);
                }
            }
            case "fc" -> PersistentVolumeSources.fc(s, path, errs);
            case "flexVolume" -> flexVolume(s, path, errs);
            case "azureFile" -> {
                PersistentVolumeSources.required(s, "secretName", path, errs);
                PersistentVolumeSources.required(s, "shareName", path, errs);
            }
            case "vsphereVolume" -> PersistentVolumeSources.required(s, "volumePath", path, errs);
            case "photonPersistentDisk" -> PersistentVolumeSources.required(s, "pdID", path, errs);
            case "portworxVolume" -> PersistentVolumeSources.required(s, "volumeID", path, errs);
            case "azureDisk" -> PersistentVolumeSources.azureDisk(s, path, errs);
            case "storageos" -> storageOs(s, path, errs);
            case "projected" -> {
                fileMode(s, "defaultMode", path, errs);
                ProjectedSources.validate(s, path, opts, errs);
            }
            case "scaleIO" -> {
                PersistentVolumeSources.required(s, "gateway", path, errs);
                PersistentVolumeSources.required(s, "system", path, errs);
                PersistentVolumeSources.required(s, "volumeName", path, errs);
            }
            case "csi" -> csi(s, path, errs);
            case "ephemeral" -> ephemeral(s, path, errs);
            default -> throw new IllegalStateException(source);
        }
    }

    /** validateSecretVolumeSource / validateConfigMapVolumeSource. */
    private static void keyToPathSource(JsonNode s, String nameField, String path, Errors errs) {
        PersistentVolumeSources.required(s, nameField, path, errs);
        fileMode(s, "defaultMode", path, errs);
        List<JsonNode> items = JsonReads.items(s, "items");
        for (int i = 0; i < items.size(); i++) {
            keyToPath(items.get(i), Errors.index(Errors.child(path, "items"), i), errs);
        }
    }

    /** validateKeyToPath. */
    static void keyToPath(JsonNode kp, String path, Errors errs) {
        if (JsonReads.str(kp, "key").isEmpty()) {
            errs.required(Errors.child(path, "key"), "");
        }
        String p = JsonReads.str(kp, "path");
        if (p.isEmpty()) {
            errs.required(Errors.child(path, "path"), "");
        }
        localNonReservedPath(p, Errors.child(path, "path"), errs);
        fileMode(kp, "mode", path, errs);
    }

    /** A file mode must be within 0 and 0777; upstream prints it in decimal. */
    static void fileMode(JsonNode s, String field, String path, Errors errs) {
        Long mode = JsonReads.num(s, field);
        if (mode != null && (mode > 0777 || mode < 0)) {
            errs.invalid(Errors.child(path, field), mode, FILE_MODE_MSG);
        }
    }

    /** validateDownwardAPIVolumeFile; upstream reports its errors under the source's path, not the item's. */
    static void downwardApiFile(JsonNode file, String path, Errors errs) {
        String p = JsonReads.str(file, "path");
        if (p.isEmpty()) {
            errs.required(Errors.child(path, "path"), "");
        }
        localNonReservedPath(p, Errors.child(path, "path"), errs);
        JsonNode fieldRef = JsonReads.obj(file, "fieldRef");
        JsonNode resourceRef = JsonReads.obj(file, "resourceFieldRef");
        if (fieldRef != null) {
            EnvValidation.fieldSelector(
                    fieldRef, EnvValidation.VOLUME_FIELD_PATHS, Errors.child(path, "fieldRef"), errs);
            if (resourceRef != null) {
                errs.invalid(path, "resource", "fieldRef and resourceFieldRef can not be specified simultaneously");
            }
        } else if (resourceRef != null) {
            EnvValidation.resourceFieldSelector(resourceRef, Errors.child(path, "resourceFieldRef"), true, errs);
        } else {
            errs.required(path, "one of fieldRef and resourceFieldRef is required");
        }
        fileMode(file, "mode", path, errs);
    }

    private static void iscsi(JsonNode s, String path, Errors errs) {
        PersistentVolumeSources.required(s, "targetPortal", path, errs);
        String iqn = JsonReads.str(s, "iqn");
        if (iqn.isEmpty()) {
            errs.required(Errors.child(path, "iqn"), "");
        } else if (!iscsiPrefix(iqn)) {
            errs.invalid(Errors.child(path, "iqn"), iqn, "must be valid format starting with iqn, eui, or naa");
        } else if (!PersistentVolumeSources.iscsiName(iqn)) {
            errs.invalid(Errors.child(path, "iqn"), iqn, "must be valid format");
        }
        long lun = JsonReads.numOr(s, 0, "lun");
        if (lun < 0 || lun > 255) {
            errs.invalid(Errors.child(path, "lun"), lun, NameRules.rangeError(0, 255));
        }
        if ((JsonReads.bool(s, "chapAuthDiscovery") || JsonReads.bool(s, "chapAuthSession"))
                && !JsonReads.has(s, "secretRef")) {
            errs.required(Errors.child(path, "secretRef"), "");
        }
        if (JsonReads.has(s, "initiatorName")) {
            String initiator = JsonReads.str(s, "initiatorName");
            if (!iscsiPrefix(initiator)) {
                errs.invalid(
                        Errors.child(path, "initiatorname"),
                        initiator,
                        "must be valid format starting with iqn, eui, or naa");
            } else if (!PersistentVolumeSources.iscsiName(initiator)) {
                errs.invalid(Errors.child(path, "initiatorname"), initiator, "must be valid format");
            }
        }
    }

    private static boolean iscsiPrefix(String name) {
        return name.startsWith("iqn") || name.startsWith("eui") || name.startsWith("naa");
    }

    private static void flocker(JsonNode s, String path, Errors errs) {
        String name = JsonReads.str(s, "datasetName");
        String uuid = JsonReads.str(s, "datasetUUID");
        if (name.isEmpty() && uuid.isEmpty()) {
            errs.required(path, "one of datasetName and datasetUUID is required");
        }
        if (!name.isEmpty() && !uuid.isEmpty()) {
            errs.invalid(path, "resource", "datasetName and datasetUUID can not be specified simultaneously");
        }
        if (name.contains("/")) {
            errs.invalid(Errors.child(path, "datasetName"), name, "must not contain '/'");
        }
    }

    private static void secretRefName(JsonNode s, String path, Errors errs) {
        if (JsonReads.obj(s, "secretRef") instanceof JsonNode ref
                && JsonReads.str(ref, "name").isEmpty()) {
            errs.required(Errors.child(path, "secretRef.name"), "");
        }
    }

    private static void flexVolume(JsonNode s, String path, Errors errs) {
        PersistentVolumeSources.required(s, "driver", path, errs);
        for (Map.Entry<String, String> e : JsonReads.entries(s, "options")) {
            String k = e.getKey();
            String ns = k.contains("/") ? k.substring(0, k.indexOf('/')) : k;
            String normalized = "." + NameRules.lower(ns);
            if (normalized.endsWith(".kubernetes.io") || normalized.endsWith(".k8s.io")) {
                errs.invalid(
                        Errors.key(Errors.child(path, "options"), k),
                        k,
                        "kubernetes.io and k8s.io namespaces are reserved");
            }
        }
    }

    private static void storageOs(JsonNode s, String path, Errors errs) {
        String name = JsonReads.str(s, "volumeName");
        if (name.isEmpty()) {
            errs.required(Errors.child(path, "volumeName"), "");
        } else {
            errs.invalidEach(Errors.child(path, "volumeName"), name, NameRules.dns1123Label(name));
        }
        String ns = JsonReads.str(s, "volumeNamespace");
        if (!ns.isEmpty()) {
            errs.invalidEach(Errors.child(path, "volumeNamespace"), ns, NameRules.dns1123Label(ns));
        }
        secretRefName(s, path, errs);
    }

    /** validateCSIVolumeSource; a bad secret name is reported under csi.name, as upstream does. */
    private static void csi(JsonNode s, String path, Errors errs) {
        csiDriverName(JsonReads.str(s, "driver"), Errors.child(path, "driver"), errs);
        if (JsonReads.obj(s, "nodePublishSecretRef") instanceof JsonNode ref) {
            String name = JsonReads.str(ref, "name");
            if (name.isEmpty()) {
                errs.required(Errors.child(path, "nodePublishSecretRef.name"), "");
            } else {
                errs.invalidEach(Errors.child(path, "name"), name, NameRules.dns1123Subdomain(name));
            }
        }
    }

    /** ValidateCSIDriverName. */
    static void csiDriverName(String driver, String path, Errors errs) {
        if (driver.isEmpty()) {
            errs.required(path, "");
        }
        if (NameRules.len(driver) > 63) {
            errs.tooLong(path, 63);
        }
        errs.invalidEach(path, driver, NameRules.dns1123Subdomain(NameRules.lower(driver)));
    }

    /** validateEphemeralVolumeSource: the claim template's labels and annotations only, and its spec. */
    private static void ephemeral(JsonNode s, String path, Errors errs) {
        JsonNode template = JsonReads.obj(s, "volumeClaimTemplate");
        String tp = Errors.child(path, "volumeClaimTemplate");
        if (template == null) {
            errs.required(tp, "");
            return;
        }
        JsonNode meta = JsonReads.obj(template, "metadata");
        String mp = Errors.child(tp, "metadata");
        MetadataValidation.annotations(JsonReads.obj(meta, "annotations"), Errors.child(mp, "annotations"), errs);
        MetadataValidation.labels(JsonReads.obj(meta, "labels"), Errors.child(mp, "labels"), errs);
        if (meta != null) {
            meta.properties().forEach(e -> {
                boolean allowed = e.getKey().equals("labels") || e.getKey().equals("annotations");
                if (!allowed && !PodUpdateValidation.semanticEqual(e.getValue(), null)) {
                    errs.forbidden(Errors.child(mp, e.getKey()), "cannot be set");
                }
            });
        }
        PersistentVolumeClaimValidation.claimSpec(JsonReads.obj(template, "spec"), Errors.child(tp, "spec"), errs);
    }

    /** validateLocalDescendingPath: relative, and no '..' element. */
    static void localDescendingPath(String p, String path, Errors errs) {
        if (p.startsWith("/")) {
            errs.invalid(path, p, "must be a relative path");
        }
        PersistentVolumeSources.noBacksteps(p, path, errs);
    }

    /** ValidateLocalNonReservedPath: a local descending path that does not start with '..'. */
    static void localNonReservedPath(String p, String path, Errors errs) {
        localDescendingPath(p, path, errs);
        if (p.startsWith("..") && !p.startsWith("../")) {
            errs.invalid(path, p, "must not start with '..'");
        }
    }

    /** Whether any projected service account token path is not a local, non-reserved path. */
    static boolean hasNonLocalProjectedTokenPath(JsonNode spec) {
        for (JsonNode vol : JsonReads.items(spec, "volumes")) {
            for (JsonNode source : JsonReads.items(vol, "projected", "sources")) {
                if (JsonReads.obj(source, "serviceAccountToken") instanceof JsonNode token) {
                    Errors check = new Errors();
                    localNonReservedPath(JsonReads.str(token, "path"), "", check);
                    if (!check.isEmpty()) {
                        return true;
                    }
                }
            }
        }
        return false;
    }
}
