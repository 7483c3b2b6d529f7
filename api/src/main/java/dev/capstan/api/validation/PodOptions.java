package dev.capstan.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.capstan.model.json.JsonReads;

/**
 * Upstream's PodValidationOptions as GetValidationOptionsFromPodSpecAndMeta derives them for 1.32's default feature
 * gates: most relaxations apply only to an update whose old object already held the relaxed value, so that stored
 * objects stay updatable.
 *
 * @param resourceIsPod the spec is a Pod's, not a template's (host ports must then match container ports)
 * @param allowInvalidLabelValueInSelector the old spec had an invalid label value in a pod affinity term
 * @param allowInvalidTopologySpreadSelector the old spec had an invalid topology spread label selector
 * @param allowNonLocalProjectedTokenPath the old spec had a non-local projected token path
 * @param allowNamespacedSysctls the old spec had a namespaced sysctl together with hostNetwork or hostIPC
 * @param allowInvalidDeletionCost the old pod's deletion cost annotation was already invalid
 * @param allowIndivisibleHugePages the old spec had a huge page amount that is not a multiple of its page size
 * @param allowSleepZero an update whose spec sleeps for zero seconds (upstream checks the new spec here)
 * @param allowSidecarResizePolicy the old spec had a resize policy on a restartable init container
 */
record PodOptions(
        boolean resourceIsPod,
        boolean allowInvalidLabelValueInSelector,
        boolean allowInvalidTopologySpreadSelector,
        boolean allowNonLocalProjectedTokenPath,
        boolean allowNamespacedSysctls,
        boolean allowInvalidDeletionCost,
        boolean allowIndivisibleHugePages,
        boolean allowSleepZero,
        boolean allowSidecarResizePolicy) {

    /** A create: nothing relaxed. */
    static PodOptions create(boolean resourceIsPod) {
        return new PodOptions(resourceIsPod, false, false, false, false, false, false, false, false);
    }

    /** The options for a spec (and its metadata), relaxed by what the old spec already held; old null on create. */
    static PodOptions of(JsonNode spec, JsonNode oldSpec, JsonNode oldMeta, boolean resourceIsPod) {
        if (oldSpec == null) {
            return create(resourceIsPod);
        }
        return new PodOptions(
                resourceIsPod,
                AffinityValidation.hasInvalidLabelValueInPodAffinity(oldSpec),
                AffinityValidation.hasInvalidTopologySpreadSelector(oldSpec),
                PodVolumes.hasNonLocalProjectedTokenPath(oldSpec),
                SecurityValidation.hasHostSysctl(oldSpec),
                oldMeta != null && !PodAnnotations.deletionCostValid(JsonReads.obj(oldMeta, "annotations")),
                ContainerValidation.usesIndivisibleHugePages(oldSpec),
                sleepZeroInUse(spec),
                sidecarResizePolicyInUse(oldSpec));
    }

    /** The options for a pod template (of a Deployment, Job, ...) and the old one on update. */
    static PodOptions ofTemplate(JsonNode template, JsonNode oldTemplate) {
        return of(
                JsonReads.obj(template, "spec"),
                oldTemplate == null ? null : JsonReads.obj(oldTemplate, "spec"),
                oldTemplate == null ? null : JsonReads.obj(oldTemplate, "metadata"),
                false);
    }

    /** This options' view with the label-value relaxation also granted (a workload's own old selector). */
    PodOptions withInvalidLabelValues(boolean allow) {
        return new PodOptions(
                resourceIsPod,
                allowInvalidLabelValueInSelector || allow,
                allowInvalidTopologySpreadSelector,
                allowNonLocalProjectedTokenPath,
                allowNamespacedSysctls,
                allowInvalidDeletionCost,
                allowIndivisibleHugePages,
                allowSleepZero,
                allowSidecarResizePolicy);
    }

    /**
     * podLifecycleSleepActionZeroValueInUse, kept as upstream has it: a postStart sleep counts only through the
     * preStop hook's seconds.
     */
    private static boolean sleepZeroInUse(JsonNode spec) {
        for (JsonNode ctr : PodValidation.allContainers(spec)) {
            JsonNode preStop = JsonReads.obj(ctr, "lifecycle", "preStop", "sleep");
            JsonNode postStart = JsonReads.obj(ctr, "lifecycle", "postStart", "sleep");
            if (preStop != null && JsonReads.numOr(preStop, 0, "seconds") == 0) {
                return true;
            }
            if (postStart != null && preStop != null && JsonReads.numOr(preStop, 0, "seconds") == 0) {
                return true;
            }
        }
        return false;
    }

    private static boolean sidecarResizePolicyInUse(JsonNode spec) {
        for (JsonNode ctr : JsonReads.items(spec, "initContainers")) {
            if (JsonReads.str(ctr, "restartPolicy").equals("Always")
                    && !JsonReads.items(ctr, "resizePolicy").isEmpty()) {
                return true;
            }
        }
        return false;
    }
}
