package dev.capstan.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.model.json.JsonReads;
import java.time.OffsetDateTime;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The batch/v1 status subresource: ValidateJobUpdateStatus with the options the 1.32 Job status strategy computes
 * (JobManagedBy is beta and on, so the strengthened transition rules apply, each only when the fields it looks at
 * changed), and the CronJob status strategy, which validates nothing. The 1.32 strategy leaves four options of
 * the validation off (Failed needing FailureTarget, Complete needing SuccessCriteriaMet, terminating pods of a
 * finished Job, more ready than active pods), so those rules are not applied.
 *
 * <p>Strategies: both status strategies keep the stored spec ({@link #prepareForStatusUpdate}); run that first, as
 * the rules read the spec (completions, completion mode, backoffLimitPerIndex, successPolicy, suspend).
 */
public final class BatchStatusValidation {
    private BatchStatusValidation() {}

    private static final String STATUS = "status";
    private static final String CONDITIONS = "status.conditions";

    /** Which status fields changed, deciding which transition rules run (getStatusValidationOptions). */
    private record Changes(
            boolean finished,
            boolean complete,
            boolean failed,
            boolean failureTarget,
            boolean completedIndexes,
            boolean failedIndexes,
            boolean active,
            boolean startTime,
            boolean completionTime,
            boolean uncounted) {

        static Changes between(JsonNode job, JsonNode old) {
            JsonNode s = JsonReads.obj(job, STATUS);
            JsonNode o = JsonReads.obj(old, STATUS);
            return new Changes(
                    isFinished(job) != isFinished(old),
                    conditionTrue(job, "Complete") != conditionTrue(old, "Complete"),
                    conditionTrue(job, "Failed") != conditionTrue(old, "Failed"),
                    conditionTrue(job, "FailureTarget") != conditionTrue(old, "FailureTarget"),
                    !JsonReads.str(s, "completedIndexes").equals(JsonReads.str(o, "completedIndexes")),
                    !pointerEqual(s, o, "failedIndexes"),
                    JsonReads.numOr(s, 0, "active") != JsonReads.numOr(o, 0, "active"),
                    !timeEqual(s, o, "startTime"),
                    !timeEqual(s, o, "completionTime"),
                    !PodUpdateValidation.semanticEqual(
                            GroupMeta.get(s, "uncountedTerminatedPods"), GroupMeta.get(o, "uncountedTerminatedPods")));
        }
    }

    /** ValidateJobUpdateStatus: metadata, the status on its own, then its transition from the stored status. */
    public static List<Cause> validateJobStatusUpdate(ObjectNode obj, ObjectNode old) {
        Errors errs = new Errors();
        GroupMeta.update(GroupMeta.meta(obj), errs);
        Changes c = Changes.between(obj, old);
        status(obj, c, errs);
        transitions(obj, old, c, errs);
        return errs.list();
    }

    private static void status(JsonNode job, Changes c, Errors errs) {
        JsonNode spec = JsonReads.obj(job, "spec");
        JsonNode s = JsonReads.obj(job, STATUS);
        errs.nonNegative("status.active", JsonReads.numOr(s, 0, "active"));
        errs.nonNegative("status.succeeded", JsonReads.numOr(s, 0, "succeeded"));
        errs.nonNegative("status.failed", JsonReads.numOr(s, 0, "failed"));
        errs.nonNegative("status.ready", JsonReads.num(s, "ready"));
        errs.nonNegative("status.terminating", JsonReads.num(s, "terminating"));
        uncountedPods(JsonReads.obj(s, "uncountedTerminatedPods"), errs);
        boolean complete = conditionTrue(job, "Complete");
        boolean failed = conditionTrue(job, "Failed");
        boolean failureTarget = conditionTrue(job, "FailureTarget");
        boolean successCriteriaMet = conditionTrue(job, "SuccessCriteriaMet");
        boolean finished = isFinished(job);
        OffsetDateTime start = GoTime.parse(JsonReads.str(s, "startTime"));
        OffsetDateTime completion = GoTime.parse(JsonReads.str(s, "completionTime"));
        if ((c.complete || c.failed) && complete && failed) {
            GroupMeta.invalidNoValue(CONDITIONS, "cannot set Complete=True and Failed=true conditions", errs);
        }
        if ((c.complete || c.failureTarget) && complete && failureTarget) {
            GroupMeta.invalidNoValue(CONDITIONS, "cannot set Complete=True and FailureTarget=true conditions", errs);
        }
        if ((c.complete || c.completionTime) && completion != null && !complete) {
            errs.invalid(
                    "status.completionTime",
                    GoTime.literal(JsonReads.str(s, "completionTime")),
                    "cannot set completionTime when there is no Complete=True condition");
        }
        if ((c.complete || c.completionTime) && completion == null && complete) {
            errs.required("status.completionTime", "completionTime is required for Complete jobs");
        }
        if ((c.startTime || c.completionTime) && start != null && completion != null && completion.isBefore(start)) {
            errs.invalid(
                    "status.completionTime",
                    GoTime.literal(JsonReads.str(s, "completionTime")),
                    "completionTime cannot be set before startTime");
        }
        long active = JsonReads.numOr(s, 0, "active");
        if ((c.finished || c.active) && active > 0 && finished) {
            errs.invalid("status.active", active, "active>0 is invalid for finished job");
        }
        if ((c.finished || c.startTime) && start == null && finished) {
            errs.required("status.startTime", "startTime is required for finished job");
        }
        JsonNode uncounted = JsonReads.obj(s, "uncountedTerminatedPods");
        boolean hasUncounted = !JsonReads.items(uncounted, "failed").isEmpty()
                || !JsonReads.items(uncounted, "succeeded").isEmpty();
        if ((c.finished || c.uncounted) && finished && hasUncounted) {
            errs.invalid(
                    "status.uncountedTerminatedPods",
                    uncountedLiteral(uncounted),
                    "uncountedTerminatedPods needs to be empty for finished job");
        }
        Long completions = JsonReads.num(spec, "completions");
        String completedIndexes = JsonReads.str(s, "completedIndexes");
        if (c.completedIndexes && completions != null) {
            String err = JobIndexes.check(completedIndexes, completions).error();
            if (err != null) {
                errs.invalid("status.completedIndexes", completedIndexes, "error parsing completedIndexes: " + err);
            }
        }
        boolean hasFailedIndexes = JsonReads.has(s, "failedIndexes");
        String failedIndexes = JsonReads.str(s, "failedIndexes");
        boolean perIndex = JsonReads.has(spec, "backoffLimitPerIndex");
        if (c.failedIndexes && completions != null && perIndex && hasFailedIndexes) {
            String err = JobIndexes.check(failedIndexes, completions).error();
            if (err != null) {
                errs.invalid("status.failedIndexes", failedIndexes, "error parsing failedIndexes: " + err);
            }
        }
        boolean indexed = JsonReads.str(spec, "completionMode").equals("Indexed");
        if (c.completedIndexes && !completedIndexes.isEmpty() && !indexed) {
            errs.invalid(
                    "status.completedIndexes",
                    completedIndexes,
                    "cannot set non-empty completedIndexes when non-indexed completion mode");
        }
        if (c.failedIndexes && !perIndex && hasFailedIndexes) {
            errs.invalid(
                    "status.failedIndexes",
                    failedIndexes,
                    "cannot set non-null failedIndexes when backoffLimitPerIndex is null");
        }
        if ((c.failedIndexes || c.completedIndexes) && completions != null && hasFailedIndexes) {
            String err = JobIndexes.overlap(completedIndexes, failedIndexes, completions);
            if (err != null) {
                errs.invalid("status.failedIndexes", failedIndexes, err);
            }
        }
        // AllowForSuccessCriteriaMetInExtendedScope is set, so SuccessCriteriaMet is not limited to Indexed Jobs
        if (successCriteriaMet && failed) {
            GroupMeta.invalidNoValue(CONDITIONS, "cannot set SuccessCriteriaMet=True and Failed=true conditions", errs);
        }
        if (successCriteriaMet && failureTarget) {
            GroupMeta.invalidNoValue(
                    CONDITIONS, "cannot set SuccessCriteriaMet=True and FailureTarget=true conditions", errs);
        }
        if (JsonReads.has(spec, "successPolicy") && !successCriteriaMet && complete) {
            GroupMeta.invalidNoValue(
                    CONDITIONS,
                    "cannot set Complete=True for Job with SuccessPolicy unless SuccessCriteriaMet=True",
                    errs);
        }
    }

    private static void uncountedPods(JsonNode uncounted, Errors errs) {
        if (uncounted == null) {
            return;
        }
        Set<String> seen = new HashSet<>();
        for (String list : List.of("succeeded", "failed")) {
            List<String> uids = JsonReads.strings(uncounted, list);
            for (int i = 0; i < uids.size(); i++) {
                String p = Errors.index("status.uncountedTerminatedPods." + list, i);
                String uid = uids.get(i);
                if (uid.isEmpty()) {
                    errs.invalid(p, uid, "must not be empty");
                } else if (!seen.add(uid)) {
                    errs.duplicate(p, uid);
                }
            }
        }
    }

    private static void transitions(JsonNode job, JsonNode old, Changes c, Errors errs) {
        for (String type : List.of("Failed", "Complete", "FailureTarget")) {
            if (conditionTrue(old, type) && !conditionTrue(job, type)) {
                GroupMeta.invalidNoValue(CONDITIONS, "cannot disable the terminal " + type + "=True condition", errs);
            }
        }
        JsonNode s = JsonReads.obj(job, STATUS);
        JsonNode o = JsonReads.obj(old, STATUS);
        long failedCount = JsonReads.numOr(s, 0, "failed");
        if (failedCount < JsonReads.numOr(o, 0, "failed")) {
            errs.invalid("status.failed", failedCount, "cannot decrease the failed counter");
        }
        JsonNode spec = JsonReads.obj(job, "spec");
        boolean indexed = JsonReads.str(spec, "completionMode").equals("Indexed");
        // an Indexed Job with completions == parallelism may be scaled down, losing succeeded pods
        boolean scalable =
                indexed && Objects.equals(JsonReads.num(spec, "completions"), JsonReads.num(spec, "parallelism"));
        long succeeded = JsonReads.numOr(s, 0, "succeeded");
        if (!scalable && succeeded < JsonReads.numOr(o, 0, "succeeded")) {
            errs.invalid("status.succeeded", succeeded, "cannot decrease the succeeded counter");
        }
        if (JsonReads.has(s, "completionTime")
                && JsonReads.has(o, "completionTime")
                && !timeEqual(s, o, "completionTime")) {
            errs.invalid(
                    "status.completionTime",
                    GoTime.literal(JsonReads.str(s, "completionTime")),
                    "completionTime cannot be mutated");
        }
        if (c.startTime && JsonReads.has(o, "startTime") && !JsonReads.bool(spec, "suspend")) {
            errs.required("status.startTime", "startTime cannot be removed for unsuspended job");
        }
        if (conditionTrue(old, "SuccessCriteriaMet") && !conditionTrue(job, "SuccessCriteriaMet")) {
            GroupMeta.invalidNoValue(CONDITIONS, "cannot disable the SuccessCriteriaMet=True condition", errs);
        }
        if (conditionTrue(old, "Complete")
                && !conditionTrue(old, "SuccessCriteriaMet")
                && conditionTrue(job, "SuccessCriteriaMet")) {
            GroupMeta.invalidNoValue(
                    CONDITIONS,
                    "cannot set SuccessCriteriaMet=True for Job already has Complete=true conditions",
                    errs);
        }
    }

    /**
     * The CronJob status strategy's ValidateUpdate returns no errors in 1.32: a status write is only subject to the
     * generic store's metadata checks. Kept as an entry point so every status subresource has one.
     */
    public static List<Cause> validateCronJobStatusUpdate(ObjectNode obj, ObjectNode old) {
        return List.of();
    }

    static boolean conditionTrue(JsonNode job, String type) {
        for (JsonNode c : JsonReads.items(JsonReads.obj(job, STATUS), "conditions")) {
            if (JsonReads.str(c, "type").equals(type)
                    && JsonReads.str(c, "status").equals("True")) {
                return true;
            }
        }
        return false;
    }

    private static boolean isFinished(JsonNode job) {
        return conditionTrue(job, "Complete") || conditionTrue(job, "Failed");
    }

    private static boolean pointerEqual(JsonNode a, JsonNode b, String field) {
        return JsonReads.has(a, field) == JsonReads.has(b, field)
                && JsonReads.str(a, field).equals(JsonReads.str(b, field));
    }

    /** ptr.Equal on two *metav1.Time: both nil, or the same instant. */
    private static boolean timeEqual(JsonNode a, JsonNode b, String field) {
        if (JsonReads.has(a, field) != JsonReads.has(b, field)) {
            return false;
        }
        OffsetDateTime x = GoTime.parse(JsonReads.str(a, field));
        OffsetDateTime y = GoTime.parse(JsonReads.str(b, field));
        return x == null ? y == null : y != null && x.isEqual(y);
    }

    private static GoFormat.Literal uncountedLiteral(JsonNode uncounted) {
        return new GoFormat.Literal("&batch.UncountedTerminatedPods{Succeeded:"
                + uids(JsonReads.strings(uncounted, "succeeded"), JsonReads.has(uncounted, "succeeded"))
                + ", Failed:"
                + uids(JsonReads.strings(uncounted, "failed"), JsonReads.has(uncounted, "failed"))
                + "}");
    }

    private static String uids(List<String> values, boolean present) {
        if (!present) {
            return "[]types.UID(nil)";
        }
        return values.stream()
                .map(GoFormat::quote)
                .collect(java.util.stream.Collectors.joining(", ", "[]types.UID{", "}"));
    }
}
