package dev.capstan.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.model.json.JsonReads;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** batch/v1 Job and CronJob rules of pkg/apis/batch/validation. */
final class BatchValidation {
    private BatchValidation() {}

    private static final int MAX_PARALLELISM_INDEXED = 100_000;
    private static final int MAX_FAILED_INDEXES = 100_000;
    private static final int COMPLETIONS_SOFT_LIMIT = 100_000;
    private static final int HIGH_COMPLETIONS_LIMIT = 10_000;
    private static final Pattern TIME_ZONE_PART = Pattern.compile("[A-Za-z.\\-_0-9+]{1,14}");

    /**
     * ValidateJob without its metadata: the generated selector, the spec (whose selector the server generates unless
     * manualSelector is true) and the name an Indexed Job's pods get. Upstream runs this on updates too.
     */
    static void job(JsonNode job, JsonNode old, Errors errs) {
        JsonNode spec = JsonReads.obj(job, "spec");
        JobPolicies.generatedSelector(job, prefixedLabels(old), errs);
        jobSpecWithSelector(spec, old, errs);
        String name = JsonReads.str(JsonReads.obj(job, "metadata"), "name");
        Long completions = JsonReads.num(spec, "completions");
        // indexed pods are named <job>-<index>, which must stay a DNS label
        boolean indexed = JsonReads.str(spec, "completionMode").equals("Indexed");
        if (indexed && completions != null && completions > 0) {
            String hostname = name + "-" + (completions - 1);
            if (!NameRules.dns1123Label(hostname).isEmpty()) {
                errs.invalid("metadata.name", name, "will not able to create pod with invalid DNS label: " + hostname);
            }
        }
    }

    /** New Jobs must carry the batch.kubernetes.io labels; an old Job only if it already had both. */
    private static boolean prefixedLabels(JsonNode old) {
        if (old == null) {
            return true;
        }
        JsonNode labels = JsonReads.obj(old, "spec", "template", "metadata", "labels");
        return JsonReads.has(labels, "batch.kubernetes.io/job-name")
                && JsonReads.has(labels, "batch.kubernetes.io/controller-uid");
    }

    /** ValidateJobSpec: the shared spec rules, then the selector, which must match the template. */
    private static void jobSpecWithSelector(JsonNode spec, JsonNode old, Errors errs) {
        JsonNode oldSpec = old == null ? null : JsonReads.obj(old, "spec");
        PodOptions opts = PodOptions.ofTemplate(
                        JsonReads.obj(spec, "template"), oldSpec == null ? null : JsonReads.obj(oldSpec, "template"))
                .withInvalidLabelValues(
                        oldSpec != null && Selectors.hasInvalidLabelValue(JsonReads.obj(oldSpec, "selector")));
        jobSpec(spec, "spec", opts, errs);
        JsonNode selector = JsonReads.obj(spec, "selector");
        if (selector == null) {
            errs.required("spec.selector", "");
        } else {
            Selectors.validate(selector, opts.allowInvalidLabelValueInSelector(), "spec.selector", errs);
        }
        JsonNode labels = JsonReads.obj(spec, "template", "metadata", "labels");
        Optional<Boolean> matches = Selectors.matches(selector, labels);
        if (matches.isPresent() && !matches.get()) {
            errs.invalid(
                    "spec.template.metadata.labels",
                    GoFormat.stringMap(labels),
                    "`selector` does not match template `labels`");
        }
    }

    /** ValidateJobSpecUpdate: the spec again, then what may not change. */
    static void jobUpdate(JsonNode job, JsonNode old, Errors errs) {
        JsonNode spec = JsonReads.obj(job, "spec");
        JsonNode oldSpec = JsonReads.obj(old, "spec");
        jobSpecWithSelector(spec, old, errs);
        completions(spec, oldSpec, errs);
        if (!PodUpdateValidation.semanticEqual(JsonReads.obj(spec, "selector"), JsonReads.obj(oldSpec, "selector"))) {
            errs.invalid(
                    "spec.selector", GoFormat.labelSelector(JsonReads.obj(spec, "selector")), "field is immutable");
        }
        JsonNode template = JsonReads.obj(spec, "template");
        JsonNode oldTemplate = JsonReads.obj(oldSpec, "template");
        // a suspended job that never started may change its scheduling directives
        if (JsonReads.bool(oldSpec, "suspend") && !JsonReads.has(old, "status", "startTime")) {
            template = withoutSchedulingDirectives(template);
            oldTemplate = withoutSchedulingDirectives(oldTemplate);
        }
        if (!PodUpdateValidation.semanticEqual(template, oldTemplate)) {
            errs.invalid("spec.template", JsonReads.obj(spec, "template"), "field is immutable");
        }
        for (String f :
                List.of("completionMode", "podFailurePolicy", "backoffLimitPerIndex", "managedBy", "successPolicy")) {
            immutable(spec, oldSpec, f, errs);
        }
    }

    /** validateCompletions: fixed for NonIndexed Jobs; an Indexed Job changes it only together with parallelism. */
    private static void completions(JsonNode spec, JsonNode oldSpec, Errors errs) {
        if (!JsonReads.str(spec, "completionMode").equals("Indexed")) {
            immutable(spec, oldSpec, "completions", errs);
            return;
        }
        Long completions = JsonReads.num(spec, "completions");
        if (completions == null || completions.equals(JsonReads.num(oldSpec, "completions"))) {
            return;
        }
        if (!completions.equals(JsonReads.num(spec, "parallelism"))) {
            errs.invalid("spec.completions", completions, "can only be modified in tandem with spec.parallelism");
        }
    }

    private static JsonNode withoutSchedulingDirectives(JsonNode template) {
        if (!(template instanceof ObjectNode t)) {
            return template;
        }
        ObjectNode copy = t.deepCopy();
        if (copy.get("metadata") instanceof ObjectNode meta) {
            meta.remove(List.of("labels", "annotations"));
        }
        if (copy.get("spec") instanceof ObjectNode spec) {
            spec.remove(List.of("nodeSelector", "tolerations", "schedulingGates"));
            if (spec.get("affinity") instanceof ObjectNode affinity) {
                affinity.remove("nodeAffinity");
                if (affinity.isEmpty()) {
                    spec.remove("affinity");
                }
            }
        }
        return copy;
    }

    private static void immutable(JsonNode spec, JsonNode oldSpec, String field, Errors errs) {
        JsonNode now = spec == null ? null : spec.get(field);
        JsonNode before = oldSpec == null ? null : oldSpec.get(field);
        if (!PodUpdateValidation.semanticEqual(now, before)) {
            errs.invalid("spec." + field, now, "field is immutable");
        }
    }

    /** validateJobSpec, shared by Jobs and CronJob job templates. */
    private static void jobSpec(JsonNode spec, String path, PodOptions opts, Errors errs) {
        for (String f : List.of(
                "parallelism",
                "completions",
                "activeDeadlineSeconds",
                "backoffLimit",
                "ttlSecondsAfterFinished",
                "backoffLimitPerIndex",
                "maxFailedIndexes")) {
            errs.nonNegative(Errors.child(path, f), JsonReads.num(spec, f));
            if (f.equals("maxFailedIndexes")
                    && JsonReads.has(spec, "maxFailedIndexes")
                    && !JsonReads.has(spec, "backoffLimitPerIndex")) {
                errs.required(Errors.child(path, "backoffLimitPerIndex"), "when maxFailedIndexes is specified");
            }
        }
        JobPolicies.managedBy(spec, path, errs);
        String mode = JsonReads.str(spec, "completionMode");
        if (JsonReads.has(spec, "completionMode")) {
            if (!mode.equals("NonIndexed") && !mode.equals("Indexed")) {
                errs.notSupported(Errors.child(path, "completionMode"), mode, List.of("NonIndexed", "Indexed"));
            }
            if (mode.equals("Indexed")) {
                indexed(spec, path, errs);
            }
        }
        if (!mode.equals("Indexed")) {
            for (String f : List.of("backoffLimitPerIndex", "maxFailedIndexes")) {
                if (JsonReads.has(spec, f)) {
                    errs.invalid(Errors.child(path, f), JsonReads.num(spec, f), "requires indexed completion mode");
                }
            }
        }
        if (JsonReads.has(spec, "podFailurePolicy")) {
            JobPolicies.podFailurePolicy(spec, Errors.child(path, "podFailurePolicy"), errs);
        }
        if (JsonReads.has(spec, "successPolicy")) {
            JobPolicies.successPolicy(spec, Errors.child(path, "successPolicy"), errs);
        }
        if (JsonReads.has(spec, "podReplacementPolicy")) {
            String p = JsonReads.str(spec, "podReplacementPolicy");
            String pp = Errors.child(path, "podReplacementPolicy");
            if (JsonReads.has(spec, "podFailurePolicy")) {
                if (!p.equals("Failed")) {
                    errs.notSupported(pp, p, List.of("Failed"));
                }
            } else if (!p.equals("Failed") && !p.equals("TerminatingOrFailed")) {
                errs.notSupported(pp, p, List.of("Failed", "TerminatingOrFailed"));
            }
        }
        String tp = Errors.child(path, "template");
        PodValidation.template(JsonReads.obj(spec, "template"), tp, opts, errs);
        String restartPolicy = JsonReads.str(JsonReads.obj(spec, "template", "spec"), "restartPolicy");
        String rp = tp + ".spec.restartPolicy";
        if (restartPolicy.equals("Always") || restartPolicy.isEmpty()) {
            errs.required(rp, "valid values: \"OnFailure\", \"Never\"");
        } else if (!restartPolicy.equals("OnFailure") && !restartPolicy.equals("Never")) {
            errs.notSupported(rp, restartPolicy, List.of("OnFailure", "Never"));
        } else if (JsonReads.has(spec, "podFailurePolicy") && !restartPolicy.equals("Never")) {
            errs.invalid(rp, restartPolicy, "only \"Never\" is supported when podFailurePolicy is specified");
        }
    }

    /** The limits of an Indexed Job, which keep its index lists in status of a bounded size. */
    private static void indexed(JsonNode spec, String path, Errors errs) {
        Long completions = JsonReads.num(spec, "completions");
        Long parallelism = JsonReads.num(spec, "parallelism");
        Long maxFailed = JsonReads.num(spec, "maxFailedIndexes");
        if (completions == null) {
            errs.required(Errors.child(path, "completions"), "when completion mode is Indexed");
        }
        if (parallelism != null && parallelism > MAX_PARALLELISM_INDEXED) {
            errs.invalid(
                    Errors.child(path, "parallelism"),
                    parallelism,
                    "must be less than or equal to 100000 when completion mode is Indexed");
        }
        if (completions != null && maxFailed != null && maxFailed > completions) {
            errs.invalid(
                    Errors.child(path, "maxFailedIndexes"), maxFailed, "must be less than or equal to completions");
        }
        if (maxFailed != null && maxFailed > MAX_FAILED_INDEXES) {
            errs.invalid(Errors.child(path, "maxFailedIndexes"), maxFailed, "must be less than or equal to 100000");
        }
        if (completions != null
                && completions > COMPLETIONS_SOFT_LIMIT
                && JsonReads.has(spec, "backoffLimitPerIndex")) {
            String high = " when completions are above 100000 and used with backoff limit per index";
            if (maxFailed == null) {
                errs.required(
                        Errors.child(path, "maxFailedIndexes"), "must be specified when completions is above 100000");
            }
            if (parallelism != null && parallelism > HIGH_COMPLETIONS_LIMIT) {
                errs.invalid(
                        Errors.child(path, "parallelism"), parallelism, "must be less than or equal to 10000" + high);
            }
            if (maxFailed != null && maxFailed > HIGH_COMPLETIONS_LIMIT) {
                errs.invalid(
                        Errors.child(path, "maxFailedIndexes"),
                        maxFailed,
                        "must be less than or equal to 10000" + high);
            }
        }
    }

    static void cronJob(JsonNode cj, JsonNode old, Errors errs) {
        JsonNode spec = JsonReads.obj(cj, "spec");
        JsonNode oldSpec = old == null ? null : JsonReads.obj(old, "spec");
        String schedule = JsonReads.str(spec, "schedule");
        if (schedule.isEmpty()) {
            errs.required("spec.schedule", "");
        } else {
            boolean allowTz =
                    oldSpec != null && JsonReads.str(oldSpec, "schedule").contains("TZ");
            try {
                CronSchedule.parse(schedule);
            } catch (CronSchedule.CronException e) {
                errs.invalid("spec.schedule", schedule, e.getMessage());
            }
            if (allowTz && schedule.contains("TZ") && JsonReads.has(spec, "timeZone")) {
                errs.invalid("spec.schedule", schedule, "cannot use both timeZone field and TZ or CRON_TZ in schedule");
            } else if (!allowTz && schedule.contains("TZ")) {
                errs.invalid(
                        "spec.schedule",
                        schedule,
                        "cannot use TZ or CRON_TZ in schedule, use timeZone field " + "instead");
            }
        }
        errs.nonNegative("spec.startingDeadlineSeconds", JsonReads.num(spec, "startingDeadlineSeconds"));
        if (oldSpec == null
                || !JsonReads.str(oldSpec, "timeZone").equals(JsonReads.str(spec, "timeZone"))
                || JsonReads.has(oldSpec, "timeZone") != JsonReads.has(spec, "timeZone")) {
            timeZone(spec, errs);
        }
        PodValidation.enumField(
                JsonReads.str(spec, "concurrencyPolicy"),
                List.of("Allow", "Forbid", "Replace"),
                "spec.concurrencyPolicy",
                errs);
        JsonNode jobSpec = JsonReads.obj(spec, "jobTemplate", "spec");
        PodOptions opts = PodOptions.ofTemplate(
                JsonReads.obj(jobSpec, "template"),
                oldSpec == null ? null : JsonReads.obj(oldSpec, "jobTemplate", "spec", "template"));
        jobSpec(jobSpec, "spec.jobTemplate.spec", opts, errs);
        if (JsonReads.has(jobSpec, "selector")) {
            errs.invalid(
                    "spec.jobTemplate.spec.selector",
                    GoFormat.labelSelector(jobSpec.get("selector")),
                    "`selector` will be auto-generated");
        }
        if (JsonReads.bool(jobSpec, "manualSelector")) {
            errs.notSupported("spec.jobTemplate.spec.manualSelector", true, List.of("nil", "false"));
        }
        errs.nonNegative("spec.successfulJobsHistoryLimit", JsonReads.num(spec, "successfulJobsHistoryLimit"));
        errs.nonNegative("spec.failedJobsHistoryLimit", JsonReads.num(spec, "failedJobsHistoryLimit"));
        String name = JsonReads.str(JsonReads.obj(cj, "metadata"), "name");
        if (old == null && NameRules.len(name) > 52) {
            // the controller appends an 11-character suffix to make job names, which must stay within 63
            errs.invalid("metadata.name", name, "must be no more than 52 characters");
        }
    }

    private static void timeZone(JsonNode spec, Errors errs) {
        if (!JsonReads.has(spec, "timeZone")) {
            return;
        }
        String tz = JsonReads.str(spec, "timeZone");
        if (tz.isEmpty()) {
            errs.invalid("spec.timeZone", tz, "timeZone must be nil or non-empty string");
            return;
        }
        for (String part : tz.split("/", -1)) {
            if (part.equals(".")
                    || part.equals("..")
                    || part.startsWith("-")
                    || !TIME_ZONE_PART.matcher(part).matches()) {
                errs.invalid("spec.timeZone", tz, "unknown time zone " + tz);
                return;
            }
        }
        if (tz.equalsIgnoreCase("Local")) {
            errs.invalid(
                    "spec.timeZone",
                    tz,
                    "timeZone must be an explicit time zone as defined in " + "https://www.iana.org/time-zones");
        }
        if (!CronSchedule.zoneExists(tz)) {
            errs.invalid("spec.timeZone", tz, "unknown time zone " + tz);
        }
    }
}
