package dev.capstan.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.capstan.model.json.JsonReads;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A container's volume mounts and block devices (ValidateVolumeMounts, ValidateVolumeDevices). Upstream reports
 * subPath, subPathExpr, mountPropagation and recursiveReadOnly problems on the list's path rather than the entry's;
 * those paths are kept as upstream spells them.
 */
final class ContainerMounts {
    private ContainerMounts() {}

    private static final List<String> PROPAGATIONS = List.of("Bidirectional", "HostToContainer", "None");
    private static final List<String> RECURSIVE_READ_ONLY = List.of("Disabled", "Enabled", "IfPossible");

    static void validate(JsonNode ctr, Map<String, JsonNode> volumes, String path, Errors errs) {
        Map<String, String> mounts = byName(JsonReads.items(ctr, "volumeMounts"), "mountPath");
        Map<String, String> devices = byName(JsonReads.items(ctr, "volumeDevices"), "devicePath");
        mounts(ctr, devices, volumes, Errors.child(path, "volumeMounts"), errs);
        devices(JsonReads.items(ctr, "volumeDevices"), mounts, volumes, Errors.child(path, "volumeDevices"), errs);
    }

    private static Map<String, String> byName(List<JsonNode> entries, String pathField) {
        Map<String, String> out = new LinkedHashMap<>();
        entries.forEach(e -> out.put(JsonReads.str(e, "name"), JsonReads.str(e, pathField)));
        return out;
    }

    private static void mounts(
            JsonNode ctr, Map<String, String> devices, Map<String, JsonNode> volumes, String path, Errors errs) {
        Set<String> mountPoints = new HashSet<>();
        List<JsonNode> mounts = JsonReads.items(ctr, "volumeMounts");
        boolean privileged = JsonReads.bool(ctr, "securityContext", "privileged");
        for (int i = 0; i < mounts.size(); i++) {
            JsonNode m = mounts.get(i);
            String ip = Errors.index(path, i);
            String name = JsonReads.str(m, "name");
            if (name.isEmpty()) {
                errs.required(Errors.child(ip, "name"), "");
            }
            if (!volumes.containsKey(name)) {
                errs.notFound(Errors.child(ip, "name"), name);
            }
            String mountPath = JsonReads.str(m, "mountPath");
            if (mountPath.isEmpty()) {
                errs.required(Errors.child(ip, "mountPath"), "");
            }
            if (!mountPoints.add(mountPath)) {
                errs.invalid(Errors.child(ip, "mountPath"), mountPath, "must be unique");
            }
            if (devices.containsKey(name)) {
                errs.invalid(Errors.child(ip, "name"), name, "must not already exist in volumeDevices");
            }
            if (devices.containsValue(mountPath)) {
                errs.invalid(
                        Errors.child(ip, "mountPath"), mountPath, "must not already exist as a path in volumeDevices");
            }
            String subPath = JsonReads.str(m, "subPath");
            String subPathExpr = JsonReads.str(m, "subPathExpr");
            if (!subPath.isEmpty()) {
                PodVolumes.localDescendingPath(subPath, Errors.child(path, "subPath"), errs);
            }
            if (!subPathExpr.isEmpty()) {
                if (!subPath.isEmpty()) {
                    errs.invalid(
                            Errors.child(ip, "subPathExpr"),
                            subPathExpr,
                            "subPathExpr and subPath are mutually exclusive");
                }
                PodVolumes.localDescendingPath(subPathExpr, Errors.child(path, "subPathExpr"), errs);
            }
            String propagation = JsonReads.str(m, "mountPropagation");
            if (JsonReads.has(m, "mountPropagation")) {
                String pp = Errors.child(path, "mountPropagation");
                if (!PROPAGATIONS.contains(propagation)) {
                    errs.notSupported(pp, propagation, PROPAGATIONS);
                }
                if (propagation.equals("Bidirectional") && !privileged) {
                    errs.forbidden(pp, "Bidirectional mount propagation is available only to privileged containers");
                }
            }
            recursiveReadOnly(m, Errors.child(path, "recursiveReadOnly"), errs);
        }
    }

    /** validateMountRecursiveReadOnly; RecursiveReadOnlyMounts is beta and on in 1.32. */
    private static void recursiveReadOnly(JsonNode m, String path, Errors errs) {
        if (!JsonReads.has(m, "recursiveReadOnly")) {
            return;
        }
        String value = JsonReads.str(m, "recursiveReadOnly");
        switch (value) {
            case "Disabled" -> {}
            case "Enabled", "IfPossible" -> {
                if (!JsonReads.bool(m, "readOnly")) {
                    errs.forbidden(path, "may only be specified when readOnly is true");
                }
                if (JsonReads.has(m, "mountPropagation")
                        && !JsonReads.str(m, "mountPropagation").equals("None")) {
                    errs.forbidden(path, "may only be specified when mountPropagation is None or not specified");
                }
            }
            default -> errs.notSupported(path, value, RECURSIVE_READ_ONLY);
        }
    }

    private static void devices(
            List<JsonNode> devices,
            Map<String, String> mounts,
            Map<String, JsonNode> volumes,
            String path,
            Errors errs) {
        Set<String> paths = new HashSet<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < devices.size(); i++) {
            JsonNode dev = devices.get(i);
            String ip = Errors.index(path, i);
            String name = JsonReads.str(dev, "name");
            String devicePath = JsonReads.str(dev, "devicePath");
            JsonNode volume = volumes.get(name);
            if (name.isEmpty()) {
                errs.required(Errors.child(ip, "name"), "");
            }
            if (names.contains(name)) {
                errs.invalid(Errors.child(ip, "name"), name, "must be unique");
            }
            boolean claim = volume != null
                    && (JsonReads.has(volume, "persistentVolumeClaim") || JsonReads.has(volume, "ephemeral"));
            if (volume != null && !claim) {
                errs.invalid(
                        Errors.child(ip, "name"),
                        name,
                        "can only use volume source type of PersistentVolumeClaim or Ephemeral for block mode");
            }
            if (volume == null) {
                errs.notFound(Errors.child(ip, "name"), name);
            }
            if (devicePath.isEmpty()) {
                errs.required(Errors.child(ip, "devicePath"), "");
            }
            if (paths.contains(devicePath)) {
                errs.invalid(Errors.child(ip, "devicePath"), devicePath, "must be unique");
            }
            Errors backsteps = new Errors();
            PersistentVolumeSources.noBacksteps(devicePath, "", backsteps);
            if (!devicePath.isEmpty() && !backsteps.isEmpty()) {
                errs.invalid(Errors.child(ip, "devicePath"), devicePath, "can not contain backsteps ('..')");
            } else {
                paths.add(devicePath);
            }
            if (mounts.containsKey(name)) {
                errs.invalid(Errors.child(ip, "name"), name, "must not already exist in volumeMounts");
            }
            if (mounts.containsValue(devicePath)) {
                errs.invalid(
                        Errors.child(ip, "devicePath"), devicePath, "must not already exist as a path in volumeMounts");
            }
            if (!name.isEmpty()) {
                names.add(name);
            }
        }
    }
}
