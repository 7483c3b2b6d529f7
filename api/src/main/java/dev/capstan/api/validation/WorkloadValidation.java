package dev.capstan.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.model.json.JsonReads;
import java.util.List;
import java.util.Optional;

/** apps/v1 Deployment, ReplicaSet, StatefulSet and DaemonSet rules of pkg/apis/apps/validation. */
final class WorkloadValidation {
    private WorkloadValidation() {}

    private static final String MISMATCH = "`selector` does not match template `labels`";
    private static final List<String> ALWAYS = List.of("Always");

    static void deployment(JsonNode obj, JsonNode old, Errors errs) {
        JsonNode spec = JsonReads.obj(obj, "spec");
        errs.nonNegative("spec.replicas", JsonReads.numOr(spec, 0, "replicas"));
        selectorAndTemplate(spec, "deployment", "ReplicaSet", options(spec, old), errs);
        strategy(JsonReads.obj(spec, "strategy"), errs);
        errs.nonNegative("spec.minReadySeconds", JsonReads.numOr(spec, 0, "minReadySeconds"));
        errs.nonNegative("spec.revisionHistoryLimit", JsonReads.num(spec, "revisionHistoryLimit"));
        Long deadline = JsonReads.num(spec, "progressDeadlineSeconds");
        if (deadline != null) {
            errs.nonNegative("spec.progressDeadlineSeconds", deadline);
            if (deadline <= JsonReads.numOr(spec, 0, "minReadySeconds")) {
                errs.invalid("spec.progressDeadlineSeconds", deadline, "must be greater than minReadySeconds");
            }
        }
        immutableSelector(spec, old, errs);
    }

    static void replicaSet(JsonNode obj, JsonNode old, Errors errs) {
        JsonNode spec = JsonReads.obj(obj, "spec");
        errs.nonNegative("spec.replicas", JsonReads.numOr(spec, 0, "replicas"));
        errs.nonNegative("spec.minReadySeconds", JsonReads.numOr(spec, 0, "minReadySeconds"));
        // upstream's ReplicaSet message really says "deployment"
        selectorAndTemplate(spec, "deployment", "ReplicaSet", options(spec, old), errs);
        immutableSelector(spec, old, errs);
    }

    /** GetValidationOptionsFromPodTemplate of the new and (on update) the old template. */
    private static PodOptions options(JsonNode spec, JsonNode old) {
        return PodOptions.ofTemplate(
                JsonReads.obj(spec, "template"), old == null ? null : JsonReads.obj(old, "spec", "template"));
    }

    /**
     * Selector and template checks shared by Deployment and ReplicaSet; a selector that does not convert skips the
     * template checks entirely, as upstream does.
     */
    private static void selectorAndTemplate(JsonNode spec, String noun, String owner, PodOptions opts, Errors errs) {
        JsonNode selector = JsonReads.obj(spec, "selector");
        if (selector == null) {
            errs.required("spec.selector", "");
        } else {
            Selectors.validate(selector, "spec.selector", errs);
            if (Selectors.isEmpty(selector)) {
                errs.invalid(
                        "spec.selector", GoFormat.labelSelector(selector), "empty selector is invalid for " + noun);
            }
        }
        Optional<Boolean> matches = Selectors.matches(selector, labelsOf(spec));
        if (matches.isEmpty()) {
            errs.invalid("spec.selector", GoFormat.labelSelector(selector), "invalid label selector");
            return;
        }
        boolean everything = selector != null && Selectors.isEmpty(selector);
        if (!everything && !matches.get()) {
            errs.invalid("spec.template.metadata.labels", GoFormat.stringMap(labelsOf(spec)), MISMATCH);
        }
        templateRules(spec, owner, opts, true, errs);
    }

    private static JsonNode labelsOf(JsonNode spec) {
        return JsonReads.obj(JsonReads.obj(JsonReads.obj(spec, "template"), "metadata"), "labels");
    }

    /** The pod template checks plus the workload-only restartPolicy and activeDeadlineSeconds rules. */
    private static void templateRules(
            JsonNode spec, String owner, PodOptions opts, boolean validatePodSpec, Errors errs) {
        JsonNode template = JsonReads.obj(spec, "template");
        if (validatePodSpec) {
            PodValidation.template(template, "spec.template", opts, errs);
        } else {
            JsonNode meta = JsonReads.obj(template, "metadata");
            JsonNode annotations = JsonReads.obj(meta, "annotations");
            MetadataValidation.labels(JsonReads.obj(meta, "labels"), "spec.template.labels", errs);
            MetadataValidation.annotations(annotations, "spec.template.annotations", errs);
            PodAnnotations.validate(
                    annotations, JsonReads.obj(template, "spec"), "spec.template.annotations", opts, errs);
        }
        JsonNode podSpec = JsonReads.obj(template, "spec");
        String restartPolicy = JsonReads.str(podSpec, "restartPolicy");
        if (!restartPolicy.equals("Always")) {
            errs.notSupported("spec.template.spec.restartPolicy", restartPolicy, ALWAYS);
        }
        if (JsonReads.has(podSpec, "activeDeadlineSeconds")) {
            errs.forbidden(
                    "spec.template.spec.activeDeadlineSeconds",
                    "activeDeadlineSeconds in " + owner + " is not Supported");
        }
    }

    private static void strategy(JsonNode strategy, Errors errs) {
        String type = JsonReads.str(strategy, "type");
        JsonNode rolling = JsonReads.obj(strategy, "rollingUpdate");
        switch (type) {
            case "Recreate" -> {
                if (rolling != null) {
                    errs.forbidden(
                            "spec.strategy.rollingUpdate",
                            "may not be specified when strategy `type` is " + "'Recreate'");
                }
            }
            case "RollingUpdate" -> {
                if (rolling == null) {
                    errs.required("spec.strategy.rollingUpdate", "this should be defaulted and never be nil");
                    return;
                }
                String path = "spec.strategy.rollingUpdate";
                JsonNode maxUnavailable = rolling.get("maxUnavailable");
                JsonNode maxSurge = rolling.get("maxSurge");
                intOrPercent(maxUnavailable, path + ".maxUnavailable", errs);
                intOrPercent(maxSurge, path + ".maxSurge", errs);
                if (intOrPercentValue(maxUnavailable) == 0 && intOrPercentValue(maxSurge) == 0) {
                    errs.invalid(
                            path + ".maxUnavailable",
                            GoFormat.intOrString(maxUnavailable),
                            "may not be 0 when `maxSurge` is 0");
                }
                notMoreThan100Percent(maxUnavailable, path + ".maxUnavailable", errs);
            }
            default ->
                errs.notSupported(
                        "spec.strategy",
                        GoFormat.strategy("apps.DeploymentStrategy", type, "apps.RollingUpdateDeployment", rolling),
                        List.of("Recreate", "RollingUpdate"));
        }
    }

    /** ValidatePositiveIntOrPercent. */
    static void intOrPercent(JsonNode v, String path, Errors errs) {
        if (v != null && v.isTextual()) {
            errs.invalidEach(path, GoFormat.intOrString(v), NameRules.percent(v.textValue()));
        } else {
            errs.nonNegative(path, v == null || v.isNull() ? 0L : v.asLong());
        }
    }

    /** getIntOrPercentValue: a percent's number, an int, or a non-numeric string's Atoi result 0. */
    static long intOrPercentValue(JsonNode v) {
        if (v == null || v.isNull()) {
            return 0;
        }
        if (!v.isTextual()) {
            return v.asLong();
        }
        String s = v.textValue();
        String digits = NameRules.percent(s).isEmpty() ? s.substring(0, s.length() - 1) : s;
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    static void notMoreThan100Percent(JsonNode v, String path, Errors errs) {
        if (v != null && v.isTextual() && NameRules.percent(v.textValue()).isEmpty() && intOrPercentValue(v) > 100) {
            errs.invalid(path, GoFormat.intOrString(v), "must not be greater than 100%");
        }
    }

    /** apps/v1 strategies refuse selector changes (the check lives in upstream's registry strategies). */
    private static void immutableSelector(JsonNode spec, JsonNode old, Errors errs) {
        if (old == null) {
            return;
        }
        JsonNode selector = JsonReads.obj(spec, "selector");
        JsonNode oldSelector = JsonReads.obj(JsonReads.obj(old, "spec"), "selector");
        if (!PodUpdateValidation.semanticEqual(selector, oldSelector)) {
            errs.invalid("spec.selector", GoFormat.labelSelector(selector), "field is immutable");
        }
    }

    static void statefulSet(JsonNode obj, JsonNode old, Errors errs) {
        JsonNode spec = JsonReads.obj(obj, "spec");
        String policy = JsonReads.str(spec, "podManagementPolicy");
        if (policy.isEmpty()) {
            errs.required("spec.podManagementPolicy", "");
        } else if (!policy.equals("OrderedReady") && !policy.equals("Parallel")) {
            errs.invalid("spec.podManagementPolicy", policy, "must be 'OrderedReady' or 'Parallel'");
        }
        JsonNode strategy = JsonReads.obj(spec, "updateStrategy");
        String type = JsonReads.str(strategy, "type");
        JsonNode rolling = JsonReads.obj(strategy, "rollingUpdate");
        switch (type) {
            case "" -> errs.required("spec.updateStrategy", "");
            case "OnDelete" -> {
                if (rolling != null) {
                    errs.invalid(
                            "spec.updateStrategy.rollingUpdate",
                            new GoFormat.Literal("apps.RollingUpdateStatefulSetStrategy{Partition:"
                                    + JsonReads.numOr(rolling, 0, "partition") + ", MaxUnavailable:(*intstr"
                                    + ".IntOrString)(nil)}"),
                            "only allowed for updateStrategy 'RollingUpdate'");
                }
            }
            case "RollingUpdate" -> {
                if (rolling != null) {
                    errs.nonNegative(
                            "spec.updateStrategy.rollingUpdate.partition", JsonReads.numOr(rolling, 0, "partition"));
                    if (JsonReads.has(rolling, "maxUnavailable")) {
                        String mp = "spec.updateStrategy.rollingUpdate.maxUnavailable";
                        intOrPercent(rolling.get("maxUnavailable"), mp, errs);
                        if (intOrPercentValue(rolling.get("maxUnavailable")) == 0) {
                            errs.invalid(mp, GoFormat.intOrString(rolling.get("maxUnavailable")), "cannot be 0");
                        }
                        notMoreThan100Percent(rolling.get("maxUnavailable"), mp, errs);
                    }
                }
            }
            default ->
                errs.invalid(
                        "spec.updateStrategy",
                        GoFormat.strategy(
                                "apps.StatefulSetUpdateStrategy",
                                type,
                                "apps.RollingUpdateStatefulSetStrategy",
                                rolling),
                        "must be 'RollingUpdate' or 'OnDelete'");
        }
        JsonNode retention = JsonReads.obj(spec, "persistentVolumeClaimRetentionPolicy");
        if (retention != null) {
            for (String f : List.of("whenDeleted", "whenScaled")) {
                String v = JsonReads.str(retention, f);
                if (!v.equals("Retain") && !v.equals("Delete")) {
                    errs.notSupported("spec.persistentVolumeClaimRetentionPolicy." + f, v, List.of("Retain", "Delete"));
                }
            }
        }
        errs.nonNegative("spec.replicas", JsonReads.numOr(spec, 0, "replicas"));
        errs.nonNegative("spec.minReadySeconds", JsonReads.numOr(spec, 0, "minReadySeconds"));
        if (JsonReads.has(spec, "ordinals")) {
            errs.nonNegative("spec.ordinals.start", JsonReads.numOr(JsonReads.obj(spec, "ordinals"), 0, "start"));
        }
        JsonNode selector = JsonReads.obj(spec, "selector");
        if (selector == null) {
            errs.required("spec.selector", "");
        } else {
            Selectors.validate(selector, "spec.selector", errs);
            if (Selectors.isEmpty(selector)) {
                errs.invalid(
                        "spec.selector",
                        GoFormat.labelSelector(selector),
                        "empty selector is invalid for " + "statefulset");
            }
        }
        Optional<Boolean> matches = Selectors.matches(selector, labelsOf(spec));
        if (matches.isEmpty()) {
            errs.invalid("spec.selector", GoFormat.labelSelector(selector), "");
        } else if (!(selector != null && Selectors.isEmpty(selector)) && !matches.get()) {
            errs.invalid("spec.template.metadata.labels", GoFormat.stringMap(labelsOf(spec)), MISMATCH);
        }
        // upstream does not validate a StatefulSet's pod spec (a long-standing TODO), only its template metadata
        templateRules(spec, "StatefulSet", options(spec, old), false, errs);
        if (old != null
                && !PodUpdateValidation.semanticEqual(
                        withoutMutable(spec), withoutMutable(JsonReads.obj(old, "spec")))) {
            errs.forbidden(
                    "spec",
                    "updates to statefulset spec for fields other than 'replicas', 'ordinals', "
                            + "'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and "
                            + "'minReadySeconds' are forbidden");
        }
    }

    private static JsonNode withoutMutable(JsonNode spec) {
        if (!(spec instanceof ObjectNode o)) {
            return null;
        }
        ObjectNode clone = o.deepCopy();
        clone.remove(List.of(
                "replicas",
                "ordinals",
                "template",
                "updateStrategy",
                "persistentVolumeClaimRetentionPolicy",
                "minReadySeconds"));
        return clone;
    }

    /**
     * ValidateDaemonSetSpec, plus on update the selector's immutability. Upstream's update strategy validates the
     * spec twice (ValidateDaemonSet, then ValidateDaemonSetUpdate), which {@link Validators} repeats.
     */
    static void daemonSet(JsonNode obj, JsonNode old, Errors errs) {
        daemonSetSpec(obj, old, errs);
        immutableSelector(JsonReads.obj(obj, "spec"), old, errs);
    }

    static void daemonSetSpec(JsonNode obj, JsonNode old, Errors errs) {
        JsonNode spec = JsonReads.obj(obj, "spec");
        JsonNode selector = JsonReads.obj(spec, "selector");
        // a stored set with invalid label values in its selector stays updatable
        PodOptions opts = options(spec, old)
                .withInvalidLabelValues(
                        old != null && Selectors.hasInvalidLabelValue(JsonReads.obj(old, "spec", "selector")));
        Selectors.validate(selector, opts.allowInvalidLabelValueInSelector(), "spec.selector", errs);
        Optional<Boolean> matches = Selectors.matches(selector, labelsOf(spec));
        if (matches.isPresent() && !matches.get()) {
            errs.invalid("spec.template.metadata.labels", GoFormat.stringMap(labelsOf(spec)), MISMATCH);
        }
        if (selector != null && Selectors.isEmpty(selector)) {
            errs.invalid("spec.selector", GoFormat.labelSelector(selector), "empty selector is invalid for daemonset");
        }
        templateRules(spec, "DaemonSet", opts, true, errs);
        errs.nonNegative("spec.minReadySeconds", JsonReads.numOr(spec, 0, "minReadySeconds"));
        JsonNode strategy = JsonReads.obj(spec, "updateStrategy");
        String type = JsonReads.str(strategy, "type");
        JsonNode rolling = JsonReads.obj(strategy, "rollingUpdate");
        switch (type) {
            case "OnDelete" -> {}
            case "RollingUpdate" -> {
                if (rolling == null) {
                    errs.required("spec.updateStrategy.rollingUpdate", "");
                } else {
                    daemonSetRolling(rolling, "spec.updateStrategy.rollingUpdate", errs);
                }
            }
            default ->
                errs.notSupported(
                        "spec.updateStrategy",
                        GoFormat.strategy("apps.DaemonSetUpdateStrategy", type, "apps.RollingUpdateDaemonSet", rolling),
                        List.of("RollingUpdate", "OnDelete"));
        }
        errs.nonNegative("spec.revisionHistoryLimit", JsonReads.num(spec, "revisionHistoryLimit"));
    }

    private static void daemonSetRolling(JsonNode rolling, String path, Errors errs) {
        JsonNode maxUnavailable = rolling.get("maxUnavailable");
        JsonNode maxSurge = rolling.get("maxSurge");
        intOrPercent(maxUnavailable, path + ".maxUnavailable", errs);
        intOrPercent(maxSurge, path + ".maxSurge", errs);
        notMoreThan100Percent(maxUnavailable, path + ".maxUnavailable", errs);
        notMoreThan100Percent(maxSurge, path + ".maxSurge", errs);
        boolean hasUnavailable = intOrPercentValue(maxUnavailable) != 0;
        boolean hasSurge = intOrPercentValue(maxSurge) != 0;
        if (hasUnavailable && hasSurge) {
            errs.invalid(
                    path + ".maxSurge",
                    GoFormat.intOrString(maxSurge),
                    "may not be set when maxUnavailable is " + "non-zero");
        } else if (!hasUnavailable && !hasSurge) {
            errs.required(path + ".maxUnavailable", "cannot be 0 when maxSurge is 0");
        }
    }
}
