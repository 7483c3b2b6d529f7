package dev.capstan.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.model.json.JsonReads;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Upstream's dropDisabledFields for a pod spec under 1.32's default feature gates: a field whose gate is off is
 * removed on create, and on update unless the old spec already used it (so stored objects keep what they have).
 * Dropped: hostUsers (UserNamespacesSupport), securityContext.supplementalGroupsPolicy and seLinuxChangePolicy,
 * pod-level resources (PodLevelResources), resourceClaims and container resource claims (DynamicResourceAllocation),
 * projected clusterTrustBundle sources, resizePolicy (InPlacePodVerticalScaling) and image volumes with their mounts
 * (ImageVolume). A non-default procMount (ProcMountType, beta but off) is reset to Default.
 */
final class PodFieldGates {
    private PodFieldGates() {}

    /** Drops the disabled fields from a pod spec; oldSpec is null on create. */
    static void dropDisabled(ObjectNode spec, JsonNode oldSpec) {
        if (spec == null) {
            return;
        }
        if (!JsonReads.has(oldSpec, "hostUsers")) {
            spec.remove("hostUsers");
        }
        ObjectNode sc = JsonReads.obj(spec, "securityContext");
        for (String f : List.of("supplementalGroupsPolicy", "seLinuxChangePolicy")) {
            if (sc != null && !JsonReads.has(oldSpec, "securityContext", f)) {
                sc.remove(f);
            }
        }
        if (!podLevelResourcesInUse(oldSpec)) {
            spec.remove("resources");
        }
        procMount(spec, oldSpec);
        if (JsonReads.items(oldSpec, "resourceClaims").isEmpty()) {
            for (JsonNode ctr : PodValidation.allContainers(spec)) {
                if (JsonReads.obj(ctr, "resources") instanceof ObjectNode res) {
                    res.remove("claims");
                }
            }
            spec.remove("resourceClaims");
        }
        if (!clusterTrustBundlesInUse(oldSpec)) {
            for (JsonNode vol : JsonReads.items(spec, "volumes")) {
                for (JsonNode source : JsonReads.items(vol, "projected", "sources")) {
                    ((ObjectNode) source).remove("clusterTrustBundle");
                }
            }
        }
        if (!resizePolicyInUse(oldSpec)) {
            for (JsonNode ctr : PodValidation.allContainers(spec)) {
                ((ObjectNode) ctr).remove("resizePolicy");
            }
        }
        imageVolumes(spec, oldSpec);
    }

    /** DropDisabledTemplateFields: the same for a workload's pod template. */
    static void dropDisabledTemplate(ObjectNode template, JsonNode oldTemplate) {
        dropDisabled(JsonReads.obj(template, "spec"), JsonReads.obj(oldTemplate, "spec"));
    }

    private static boolean podLevelResourcesInUse(JsonNode spec) {
        return !JsonReads.entries(spec, "resources", "requests").isEmpty()
                || !JsonReads.entries(spec, "resources", "limits").isEmpty();
    }

    /** The field was wrongly forced non-nil once, so it is reset to the default rather than removed. */
    private static void procMount(ObjectNode spec, JsonNode oldSpec) {
        for (JsonNode ctr : PodValidation.allContainers(oldSpec)) {
            String old = JsonReads.str(ctr, "securityContext", "procMount");
            if (JsonReads.has(ctr, "securityContext", "procMount") && !old.equals("Default")) {
                return;
            }
        }
        for (JsonNode ctr : PodValidation.allContainers(spec)) {
            if (JsonReads.obj(ctr, "securityContext") instanceof ObjectNode sc && JsonReads.has(sc, "procMount")) {
                sc.put("procMount", "Default");
            }
        }
    }

    private static boolean clusterTrustBundlesInUse(JsonNode spec) {
        for (JsonNode vol : JsonReads.items(spec, "volumes")) {
            for (JsonNode source : JsonReads.items(vol, "projected", "sources")) {
                if (JsonReads.has(source, "clusterTrustBundle")) {
                    return true;
                }
            }
        }
        return false;
    }

    /** inPlacePodVerticalScalingInUse looks at the regular containers only. */
    private static boolean resizePolicyInUse(JsonNode spec) {
        for (JsonNode ctr : JsonReads.items(spec, "containers")) {
            if (!JsonReads.items(ctr, "resizePolicy").isEmpty()) {
                return true;
            }
        }
        return false;
    }

    private static void imageVolumes(ObjectNode spec, JsonNode oldSpec) {
        for (JsonNode vol : JsonReads.items(oldSpec, "volumes")) {
            if (JsonReads.has(vol, "image")) {
                return;
            }
        }
        Set<String> dropped = new HashSet<>();
        if (spec.get("volumes") instanceof ArrayNode vols) {
            for (int i = vols.size() - 1; i >= 0; i--) {
                if (JsonReads.has(vols.get(i), "image")) {
                    dropped.add(JsonReads.str(vols.get(i), "name"));
                    vols.remove(i);
                }
            }
        }
        if (dropped.isEmpty()) {
            return;
        }
        for (JsonNode ctr : PodValidation.allContainers(spec)) {
            if (ctr.get("volumeMounts") instanceof ArrayNode mounts) {
                for (int i = mounts.size() - 1; i >= 0; i--) {
                    if (dropped.contains(JsonReads.str(mounts.get(i), "name"))) {
                        mounts.remove(i);
                    }
                }
            }
        }
    }
}
