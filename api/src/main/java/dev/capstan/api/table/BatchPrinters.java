package dev.capstan.api.table;

import static dev.capstan.api.table.Descriptions.CRON_JOB_SPEC_SCHEDULE;
import static dev.capstan.api.table.Descriptions.CRON_JOB_SPEC_SUSPEND;
import static dev.capstan.api.table.Descriptions.CRON_JOB_SPEC_TIME_ZONE;
import static dev.capstan.api.table.Descriptions.CRON_JOB_STATUS_ACTIVE;
import static dev.capstan.api.table.Descriptions.CRON_JOB_STATUS_LAST_SCHEDULE_TIME;
import static dev.capstan.api.table.Descriptions.JOB_SPEC_SELECTOR;
import static dev.capstan.api.table.Descriptions.JOB_STATUS_SUCCEEDED;

import com.fasterxml.jackson.databind.JsonNode;
import dev.capstan.model.json.JsonReads;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** batch/v1 printers. */
public final class BatchPrinters {

    private BatchPrinters() {}

    /** The table of Jobs. */
    public static final KindTable JOB = new KindTable(
            List.of(
                    Columns.name(),
                    Columns.string("Status", "Status of the job."),
                    Columns.string("Completions", JOB_STATUS_SUCCEEDED),
                    Columns.string("Duration", "Time required to complete the job."),
                    Columns.age(),
                    Columns.containers(),
                    Columns.images(),
                    Columns.wide("Selector", JOB_SPEC_SELECTOR)),
            BatchPrinters::job);

    /** The table of CronJobs. */
    public static final KindTable CRON_JOB = new KindTable(
            List.of(
                    Columns.name(),
                    Columns.string("Schedule", CRON_JOB_SPEC_SCHEDULE),
                    Columns.string("Timezone", CRON_JOB_SPEC_TIME_ZONE),
                    Columns.bool("Suspend", CRON_JOB_SPEC_SUSPEND),
                    Columns.integer("Active", CRON_JOB_STATUS_ACTIVE),
                    Columns.string("Last Schedule", CRON_JOB_STATUS_LAST_SCHEDULE_TIME),
                    Columns.age(),
                    Columns.containers(),
                    Columns.images(),
                    Columns.wide("Selector", JOB_SPEC_SELECTOR)),
            BatchPrinters::cronJob);

    static List<Object> job(JsonNode job, Instant now) {
        JsonNode spec = JsonReads.at(job, "spec");
        JsonNode status = JsonReads.at(job, "status");
        long succeeded = JsonReads.numOr(status, 0, "succeeded");
        String completions;
        if (JsonReads.has(spec, "completions")) {
            completions = succeeded + "/" + JsonReads.numOr(spec, 0, "completions");
        } else {
            long parallelism = JsonReads.numOr(spec, 0, "parallelism");
            completions = parallelism > 1 ? succeeded + "/1 of " + parallelism : succeeded + "/1";
        }
        String duration = "";
        if (JsonReads.has(status, "startTime")) {
            Instant start = JsonReads.time(status, "startTime");
            Instant end = JsonReads.has(status, "completionTime") ? JsonReads.time(status, "completionTime") : now;
            duration = Durations.human(Duration.between(start, end));
        }
        List<Object> cells =
                new ArrayList<>(List.of(Nodes.name(job), jobStatus(job), completions, duration, Nodes.age(job, now)));
        cells.addAll(Nodes.containerCells(JsonReads.at(spec, "template", "spec")));
        cells.add(Labels.formatLabelSelector(JsonReads.at(spec, "selector")));
        return List.copyOf(cells);
    }

    /** Terminal conditions win over deletion, deletion over suspension and pending failure. */
    private static String jobStatus(JsonNode job) {
        if (hasCondition(job, "Complete")) {
            return "Complete";
        } else if (hasCondition(job, "Failed")) {
            return "Failed";
        } else if (Nodes.deleting(job)) {
            return "Terminating";
        } else if (hasCondition(job, "Suspended")) {
            return "Suspended";
        } else if (hasCondition(job, "FailureTarget")) {
            return "FailureTarget";
        }
        return "Running";
    }

    /** The first condition of the type decides, as in upstream's hasJobCondition. */
    private static boolean hasCondition(JsonNode job, String type) {
        return JsonReads.items(job, "status", "conditions").stream()
                .filter(c -> JsonReads.str(c, "type").equals(type))
                .findFirst()
                .map(c -> JsonReads.str(c, "status").equals("True"))
                .orElse(false);
    }

    /** An absent suspend prints "False": the API server defaults it to false. */
    static List<Object> cronJob(JsonNode cronJob, Instant now) {
        JsonNode spec = JsonReads.at(cronJob, "spec");
        JsonNode status = JsonReads.at(cronJob, "status");
        String lastSchedule = JsonReads.has(status, "lastScheduleTime")
                ? Nodes.since(JsonReads.time(status, "lastScheduleTime"), now)
                : "<none>";
        String suspend = JsonReads.bool(spec, "suspend") ? "True" : "False";
        JsonNode jobSpec = JsonReads.at(spec, "jobTemplate", "spec");
        List<Object> cells = new ArrayList<>(List.of(
                Nodes.name(cronJob),
                JsonReads.str(spec, "schedule"),
                JsonReads.has(spec, "timeZone") ? JsonReads.str(spec, "timeZone") : "<none>",
                suspend,
                (long) JsonReads.size(status, "active"),
                lastSchedule,
                Nodes.age(cronJob, now)));
        cells.addAll(Nodes.containerCells(JsonReads.at(jobSpec, "template", "spec")));
        cells.add(Labels.formatLabelSelector(JsonReads.at(jobSpec, "selector")));
        return List.copyOf(cells);
    }
}
