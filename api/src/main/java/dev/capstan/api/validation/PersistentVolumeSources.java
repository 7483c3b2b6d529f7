package dev.capstan.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.capstan.model.json.JsonReads;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The PersistentVolume sources of core validation (exactly one; hostPath, local, nfs and csi in full, the in-tree
 * cloud and network sources by their required fields) and the volume node affinity rules.
 */
final class PersistentVolumeSources {
    private PersistentVolumeSources() {}

    /** The JSON names of the sources in the order upstream counts them. */
    static final List<String> SOURCES = List.of(
            "hostPath",
            "gcePersistentDisk",
            "awsElasticBlockStore",
            "glusterfs",
            "flocker",
            "nfs",
            "rbd",
            "quobyte",
            "cephfs",
            "iscsi",
            "cinder",
            "fc",
            "flexVolume",
            "azureFile",
            "vsphereVolume",
            "photonPersistentDisk",
            "portworxVolume",
            "azureDisk",
            "scaleIO",
            "local",
            "storageos",
            "csi");

    private static final List<String> HOST_PATH_TYPES = List.of(
            "", "BlockDevice", "CharDevice", "Directory", "DirectoryOrCreate", "File", "FileOrCreate", "Socket");
    private static final Pattern IQN = Pattern.compile("iqn\\.\\d{4}-\\d{2}\\.([\\p{Alnum}\\-.]+)(:[^,;*&$|\\s]+)$");
    private static final Pattern EUI = Pattern.compile("^eui.\\p{Alnum}{16}$");
    private static final Pattern NAA = Pattern.compile("^naa.\\p{Alnum}{32}$");

    /**
     * Validates the sources present; returns how many there are. Upstream reports a second source as Forbidden (except
     * flexVolume, which it never refuses) and Local's missing node affinity here.
     */
    static int validate(JsonNode spec, String pvName, boolean nodeAffinity, Errors errs) {
        int count = 0;
        for (String source : SOURCES) {
            if (!JsonReads.has(spec, source)) {
                continue;
            }
            // upstream's forbidden path spells cephfs as cephFS
            String forbiddenPath = "spec." + (source.equals("cephfs") ? "cephFS" : source);
            if (count > 0 && !source.equals("flexVolume")) {
                errs.forbidden(forbiddenPath, "may not specify more than 1 volume type");
                continue;
            }
            count++;
            JsonNode s = spec.get(source);
            // upstream validates gcePersistentDisk under the path persistentDisk
            String path = "spec." + (source.equals("gcePersistentDisk") ? "persistentDisk" : source);
            one(source, s, pvName, path, errs);
            if (source.equals("local") && !nodeAffinity) {
                errs.required("spec.nodeAffinity", "Local volume requires node affinity");
            }
        }
        return count;
    }

    private static void one(String source, JsonNode s, String pvName, String path, Errors errs) {
        switch (source) {
            case "hostPath" -> {
                String p = JsonReads.str(s, "path");
                if (p.isEmpty()) {
                    errs.required(Errors.child(path, "path"), "");
                    return;
                }
                noBacksteps(p, Errors.child(path, "path"), errs);
                if (JsonReads.has(s, "type") && !HOST_PATH_TYPES.contains(JsonReads.str(s, "type"))) {
                    errs.notSupported(Errors.child(path, "type"), JsonReads.str(s, "type"), HOST_PATH_TYPES);
                }
            }
            case "local" -> {
                String p = JsonReads.str(s, "path");
                if (p.isEmpty()) {
                    errs.required(Errors.child(path, "path"), "");
                    return;
                }
                noBacksteps(p, Errors.child(path, "path"), errs);
            }
            case "nfs" -> {
                required(s, "server", path, errs);
                required(s, "path", path, errs);
                if (!JsonReads.str(s, "path").startsWith("/")) {
                    errs.invalid(Errors.child(path, "path"), JsonReads.str(s, "path"), "must be an absolute path");
                }
            }
            case "csi" -> csi(s, path, errs);
            case "gcePersistentDisk" -> {
                required(s, "pdName", path, errs);
                partition(s, path, errs);
            }
            case "awsElasticBlockStore" -> {
                required(s, "volumeID", path, errs);
                partition(s, path, errs);
            }
            case "glusterfs" -> {
                required(s, "endpoints", path, errs);
                required(s, "path", path, errs);
                if (JsonReads.has(s, "endpointsNamespace")) {
                    String ns = JsonReads.str(s, "endpointsNamespace");
                    if (ns.isEmpty()) {
                        errs.invalid(
                                Errors.child(path, "endpointsNamespace"),
                                ns,
                                "if the endpointnamespace is set, it must be a valid namespace name");
                    } else {
                        errs.invalidEach(Errors.child(path, "endpointsNamespace"), ns, NameRules.dns1123Label(ns));
                    }
                }
            }
            case "flocker" -> {
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
            case "rbd" -> {
                if (JsonReads.items(s, "monitors").isEmpty()) {
                    errs.required(Errors.child(path, "monitors"), "");
                }
                required(s, "image", path, errs);
            }
            case "quobyte" -> quobyte(s, path, errs);
            case "cephfs" -> {
                if (JsonReads.items(s, "monitors").isEmpty()) {
                    errs.required(Errors.child(path, "monitors"), "");
                }
            }
            case "iscsi" -> iscsi(s, pvName, path, errs);
            case "cinder", "storageos" -> secretRefVolume(source, s, path, errs);
            case "fc" -> fc(s, path, errs);
            case "flexVolume" -> {
                required(s, "driver", path, errs);
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
            case "azureFile" -> {
                required(s, "secretName", path, errs);
                required(s, "shareName", path, errs);
                if (JsonReads.has(s, "secretNamespace")
                        && JsonReads.str(s, "secretNamespace").isEmpty()) {
                    errs.required(Errors.child(path, "secretNamespace"), "");
                }
            }
            case "vsphereVolume" -> required(s, "volumePath", path, errs);
            case "photonPersistentDisk" -> required(s, "pdID", path, errs);
            case "portworxVolume" -> required(s, "volumeID", path, errs);
            case "azureDisk" -> azureDisk(s, path, errs);
            case "scaleIO" -> {
                required(s, "gateway", path, errs);
                required(s, "system", path, errs);
                required(s, "volumeName", path, errs);
            }
            default -> throw new IllegalStateException(source);
        }
    }

    static void required(JsonNode s, String field, String path, Errors errs) {
        if (JsonReads.str(s, field).isEmpty()) {
            errs.required(Errors.child(path, field), "");
        }
    }

    static void partition(JsonNode s, String path, Errors errs) {
        long partition = JsonReads.numOr(s, 0, "partition");
        if (partition < 0 || partition > 255) {
            errs.invalid(Errors.child(path, "partition"), partition, NameRules.rangeError(1, 255));
        }
    }

    /** validatePathNoBacksteps: no ".." element, one error however many. */
    static void noBacksteps(String p, String path, Errors errs) {
        for (String part : p.replace('\\', '/').split("/", -1)) {
            if (part.equals("..")) {
                errs.invalid(path, p, "must not contain '..'");
                return;
            }
        }
    }

    private static void csi(JsonNode s, String path, Errors errs) {
        String driver = JsonReads.str(s, "driver");
        String dp = Errors.child(path, "driver");
        if (driver.isEmpty()) {
            errs.required(dp, "");
        }
        if (NameRules.len(driver) > 63) {
            errs.tooLong(dp, 63);
        }
        errs.invalidEach(dp, driver, NameRules.dns1123Subdomain(NameRules.lower(driver)));
        required(s, "volumeHandle", path, errs);
        for (String ref : List.of(
                "controllerPublishSecretRef",
                "controllerExpandSecretRef",
                "nodePublishSecretRef",
                "nodeExpandSecretRef")) {
            if (JsonReads.obj(s, ref) instanceof JsonNode r) {
                String rp = Errors.child(path, ref);
                String name = JsonReads.str(r, "name");
                if (name.isEmpty()) {
                    errs.required(Errors.child(rp, "name"), "");
                } else {
                    errs.invalidEach(Errors.child(rp, "name"), name, NameRules.dns1123Subdomain(name));
                }
                String ns = JsonReads.str(r, "namespace");
                if (ns.isEmpty()) {
                    errs.required(Errors.child(rp, "namespace"), "");
                } else {
                    errs.invalidEach(Errors.child(rp, "namespace"), ns, NameRules.dns1123Label(ns));
                }
            }
        }
    }

    static void quobyte(JsonNode s, String path, Errors errs) {
        String registry = JsonReads.str(s, "registry");
        String msg = "must be a host:port pair or multiple pairs separated by commas";
        if (registry.isEmpty()) {
            errs.required(Errors.child(path, "registry"), msg);
        } else if (NameRules.len(JsonReads.str(s, "tenant")) >= 65) {
            errs.required(Errors.child(path, "tenant"), "must be a UUID and may not exceed a length of 64 characters");
        } else {
            for (String pair : registry.split(",", -1)) {
                if (!hostPort(pair)) {
                    errs.invalid(Errors.child(path, "registry"), registry, msg);
                }
            }
        }
        required(s, "volume", path, errs);
    }

    /** Go's net.SplitHostPort succeeds: host:port, or [v6]:port, with exactly one unbracketed colon. */
    private static boolean hostPort(String s) {
        if (s.startsWith("[")) {
            int end = s.indexOf(']');
            return end > 0 && s.indexOf('[', 1) < 0 && s.startsWith(":", end + 1) && s.indexOf(']', end + 1) < 0;
        }
        int colon = s.lastIndexOf(':');
        return colon >= 0 && s.indexOf(':') == colon && s.indexOf('[') < 0 && s.indexOf(']') < 0;
    }

    private static void iscsi(JsonNode s, String pvName, String path, Errors errs) {
        String portal = JsonReads.str(s, "targetPortal");
        required(s, "targetPortal", path, errs);
        if (JsonReads.has(s, "initiatorName") && NameRules.len(pvName + ":" + portal) > 64) {
            errs.invalid(
                    Errors.child(path, "targetportal"),
                    portal,
                    "Total length of <volume name>:<iscsi.targetPortal> must be under 64 characters if "
                            + "iscsi.initiatorName is specified.");
        }
        String iqn = JsonReads.str(s, "iqn");
        if (iqn.isEmpty()) {
            errs.required(Errors.child(path, "iqn"), "");
        } else if (!iscsiName(iqn)) {
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
        if (JsonReads.has(s, "secretRef")
                && JsonReads.str(JsonReads.obj(s, "secretRef"), "name").isEmpty()) {
            errs.required(Errors.child(path, "secretRef.name"), "");
        }
        if (JsonReads.has(s, "initiatorName")) {
            String initiator = JsonReads.str(s, "initiatorName");
            if (!initiator.startsWith("iqn") && !initiator.startsWith("eui") && !initiator.startsWith("naa")) {
                errs.invalid(Errors.child(path, "initiatorname"), initiator, "must be valid format");
            }
            if (!iscsiName(initiator)
                    && (initiator.startsWith("iqn") || initiator.startsWith("eui") || initiator.startsWith("naa"))) {
                errs.invalid(Errors.child(path, "initiatorname"), initiator, "must be valid format");
            }
        }
    }

    static boolean iscsiName(String n) {
        if (n.startsWith("iqn")) {
            return IQN.matcher(n).find();
        } else if (n.startsWith("eui")) {
            return EUI.matcher(n).find();
        } else if (n.startsWith("naa")) {
            return NAA.matcher(n).find();
        }
        return false;
    }

    private static void secretRefVolume(String source, JsonNode s, String path, Errors errs) {
        if (source.equals("cinder")) {
            required(s, "volumeID", path, errs);
        } else {
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
        }
        if (JsonReads.obj(s, "secretRef") instanceof JsonNode ref) {
            if (JsonReads.str(ref, "name").isEmpty()) {
                errs.required(Errors.child(path, "secretRef.name"), "");
            }
            if (JsonReads.str(ref, "namespace").isEmpty()) {
                errs.required(Errors.child(path, "secretRef.namespace"), "");
            }
        }
    }

    static void fc(JsonNode s, String path, Errors errs) {
        List<String> wwns = JsonReads.strings(s, "targetWWNs");
        List<String> wwids = JsonReads.strings(s, "wwids");
        if (wwns.isEmpty() && wwids.isEmpty()) {
            errs.required(Errors.child(path, "targetWWNs"), "must specify either targetWWNs or wwids, but not both");
        }
        if (!wwns.isEmpty() && !wwids.isEmpty()) {
            errs.invalid(
                    Errors.child(path, "targetWWNs"),
                    GoFormat.stringSlice(wwns),
                    "targetWWNs and wwids can not be specified simultaneously");
        }
        if (!wwns.isEmpty()) {
            Long lun = JsonReads.num(s, "lun");
            if (lun == null) {
                errs.required(Errors.child(path, "lun"), "lun is required if targetWWNs is specified");
            } else if (lun < 0 || lun > 255) {
                errs.invalid(Errors.child(path, "lun"), lun, NameRules.rangeError(0, 255));
            }
        }
    }

    static void azureDisk(JsonNode s, String path, Errors errs) {
        required(s, "diskName", path, errs);
        required(s, "diskURI", path, errs);
        List<String> modes = List.of("None", "ReadOnly", "ReadWrite");
        if (JsonReads.has(s, "cachingMode") && !modes.contains(JsonReads.str(s, "cachingMode"))) {
            errs.notSupported(Errors.child(path, "cachingMode"), JsonReads.str(s, "cachingMode"), modes);
        }
        List<String> kinds = List.of("Dedicated", "Managed", "Shared");
        String kind = JsonReads.str(s, "kind");
        if (JsonReads.has(s, "kind") && !kinds.contains(kind)) {
            errs.notSupported(Errors.child(path, "kind"), kind, kinds);
        }
        String uri = JsonReads.str(s, "diskURI");
        if (JsonReads.has(s, "kind") && kind.equals("Managed") && !uri.startsWith("/subscriptions/")) {
            errs.notSupported(
                    Errors.child(path, "diskURI"),
                    uri,
                    List.of(
                            "/subscriptions/{sub-id}/resourcegroups/{group-name}/providers/microsoft.compute/disks/{disk-id}"));
        }
        if (JsonReads.has(s, "kind") && !kind.equals("Managed") && !uri.startsWith("https://")) {
            errs.notSupported(
                    Errors.child(path, "diskURI"),
                    uri,
                    List.of("https://{account-name}.blob.core.windows.net/{container-name}/{disk-name}.vhd"));
        }
    }

    /** validateVolumeNodeAffinity; label values are not checked (upstream allows invalid ones here). */
    static void nodeAffinity(JsonNode affinity, String path, Errors errs) {
        JsonNode required = JsonReads.obj(affinity, "required");
        if (required == null) {
            errs.required(Errors.child(path, "required"), "must specify required node constraints");
            return;
        }
        String tp = Errors.child(path, "required.nodeSelectorTerms");
        List<JsonNode> terms = JsonReads.items(required, "nodeSelectorTerms");
        if (terms.isEmpty()) {
            errs.required(tp, "must have at least one node selector term");
            return;
        }
        for (int i = 0; i < terms.size(); i++) {
            String ip = Errors.index(tp, i);
            List<JsonNode> exprs = JsonReads.items(terms.get(i), "matchExpressions");
            for (int j = 0; j < exprs.size(); j++) {
                requirement(exprs.get(j), Errors.index(Errors.child(ip, "matchExpressions"), j), errs);
            }
            List<JsonNode> fields = JsonReads.items(terms.get(i), "matchFields");
            for (int j = 0; j < fields.size(); j++) {
                fieldRequirement(fields.get(j), Errors.index(Errors.child(ip, "matchFields"), j), errs);
            }
        }
    }

    static void requirement(JsonNode rq, String path, Errors errs) {
        String op = JsonReads.str(rq, "operator");
        List<String> values = JsonReads.strings(rq, "values");
        switch (op) {
            case "In", "NotIn" -> {
                if (values.isEmpty()) {
                    errs.required(Errors.child(path, "values"), "must be specified when `operator` is 'In' or 'NotIn'");
                }
            }
            case "Exists", "DoesNotExist" -> {
                if (!values.isEmpty()) {
                    errs.forbidden(
                            Errors.child(path, "values"),
                            "may not be specified when `operator` is 'Exists' or 'DoesNotExist'");
                }
            }
            case "Gt", "Lt" -> {
                if (values.size() != 1) {
                    errs.required(
                            Errors.child(path, "values"),
                            "must be specified single value when `operator` is 'Lt' or 'Gt'");
                }
            }
            default -> errs.invalid(Errors.child(path, "operator"), op, "not a valid selector operator");
        }
        String key = JsonReads.str(rq, "key");
        errs.invalidEach(Errors.child(path, "key"), key, NameRules.qualifiedName(key));
    }

    static void fieldRequirement(JsonNode rq, String path, Errors errs) {
        String op = JsonReads.str(rq, "operator");
        List<String> values = JsonReads.strings(rq, "values");
        if (op.equals("In") || op.equals("NotIn")) {
            if (values.size() != 1) {
                errs.required(
                        Errors.child(path, "values"),
                        "must be only one value when `operator` is 'In' or 'NotIn' for node field selector");
            }
        } else {
            errs.invalid(Errors.child(path, "operator"), op, "not a valid selector operator");
        }
        String key = JsonReads.str(rq, "key");
        if (!key.equals("metadata.name")) {
            errs.invalid(Errors.child(path, "key"), key, "not a valid field selector key");
        } else {
            for (int i = 0; i < values.size(); i++) {
                errs.invalidEach(
                        Errors.index(Errors.child(path, "values"), i),
                        values.get(i),
                        NameRules.dns1123Subdomain(values.get(i)));
            }
        }
    }
}
