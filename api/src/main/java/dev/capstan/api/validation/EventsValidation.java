package dev.capstan.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.model.json.JsonReads;
import java.util.List;

/**
 * events.k8s.io/v1 Event: core's ValidateEventCreate/ValidateEventUpdate with the strict rules that apply to
 * writes through events.k8s.io/v1. Upstream validates the internal core Event, so field paths use core's names
 * (regarding is reported as involvedObject, note as message, deprecatedSource as source, deprecatedCount as count,
 * deprecatedFirstTimestamp/deprecatedLastTimestamp as firstTimestamp/lastTimestamp).
 *
 * <p>Strategy: no defaults, no status, nothing reset.
 */
public final class EventsValidation {
    private EventsValidation() {}

    /** ValidateEventCreate for an events.k8s.io/v1 request. */
    public static List<Cause> validateEvent(ObjectNode obj) {
        Errors errs = new Errors();
        legacy(obj, errs);
        GroupMeta.create(GroupMeta.meta(obj), true, GroupMeta.DNS_SUBDOMAIN, errs);
        series(obj, errs);
        if (zero(obj, "eventTime")) {
            errs.required("eventTime", "");
        }
        String type = JsonReads.str(obj, "type");
        if (!type.equals("Normal") && !type.equals("Warning")) {
            errs.invalid("type", "", "has invalid value: " + type);
        }
        if (!zero(obj, "deprecatedFirstTimestamp")) {
            errs.invalid("firstTimestamp", "", "needs to be unset");
        }
        if (!zero(obj, "deprecatedLastTimestamp")) {
            errs.invalid("lastTimestamp", "", "needs to be unset");
        }
        if (JsonReads.numOr(obj, 0, "deprecatedCount") != 0) {
            errs.invalid("count", "", "needs to be unset");
        }
        JsonNode source = JsonReads.obj(obj, "deprecatedSource");
        if (!JsonReads.str(source, "component").isEmpty()
                || !JsonReads.str(source, "host").isEmpty()) {
            errs.invalid("source", "", "needs to be unset");
        }
        return errs.list();
    }

    /** ValidateEventUpdate for an events.k8s.io/v1 request: everything but metadata and series is fixed. */
    public static List<Cause> validateEventUpdate(ObjectNode obj, ObjectNode old) {
        Errors errs = new Errors();
        legacy(obj, errs);
        GroupMeta.update(GroupMeta.meta(obj), errs);
        if (!PodUpdateValidation.semanticEqual(GroupMeta.get(obj, "series"), GroupMeta.get(old, "series"))) {
            series(obj, errs);
        }
        immutable(
                obj, old, "regarding", "involvedObject", objectReference(JsonReads.obj(obj, "regarding"), false), errs);
        immutable(obj, old, "reason", "reason", JsonReads.str(obj, "reason"), errs);
        immutable(obj, old, "note", "message", JsonReads.str(obj, "note"), errs);
        JsonNode source = JsonReads.obj(obj, "deprecatedSource");
        immutable(
                obj,
                old,
                "deprecatedSource",
                "source",
                new GoFormat.Literal("core.EventSource{Component:" + GoFormat.quote(JsonReads.str(source, "component"))
                        + ", Host:" + GoFormat.quote(JsonReads.str(source, "host")) + "}"),
                errs);
        immutableTime(obj, old, "deprecatedFirstTimestamp", "firstTimestamp", errs);
        immutableTime(obj, old, "deprecatedLastTimestamp", "lastTimestamp", errs);
        immutable(obj, old, "deprecatedCount", "count", JsonReads.numOr(obj, 0, "deprecatedCount"), errs);
        // upstream checks reason twice
        immutable(obj, old, "reason", "reason", JsonReads.str(obj, "reason"), errs);
        immutable(obj, old, "type", "type", JsonReads.str(obj, "type"), errs);
        immutableTime(obj, old, "eventTime", "eventTime", errs);
        immutable(obj, old, "action", "action", JsonReads.str(obj, "action"), errs);
        immutable(obj, old, "related", "related", objectReference(JsonReads.obj(obj, "related"), true), errs);
        immutable(
                obj,
                old,
                "reportingController",
                "reportingController",
                JsonReads.str(obj, "reportingController"),
                errs);
        immutable(obj, old, "reportingInstance", "reportingInstance", JsonReads.str(obj, "reportingInstance"), errs);
        return errs.list();
    }

    /** legacyValidateEvent on the fields core's internal type names differently. */
    private static void legacy(JsonNode ev, Errors errs) {
        EventValidation.legacyRules(
                new EventValidation.CoreFields(
                        JsonReads.str(GroupMeta.meta(ev), "namespace"),
                        JsonReads.str(JsonReads.obj(ev, "regarding"), "namespace"),
                        !zero(ev, "eventTime"),
                        "reportingController",
                        JsonReads.str(ev, "reportingController"),
                        JsonReads.str(ev, "reportingInstance"),
                        JsonReads.str(ev, "action"),
                        JsonReads.str(ev, "reason"),
                        JsonReads.str(ev, "note")),
                errs);
    }

    private static void series(JsonNode ev, Errors errs) {
        JsonNode series = JsonReads.obj(ev, "series");
        if (series == null) {
            return;
        }
        if (JsonReads.numOr(series, 0, "count") < 2) {
            errs.invalid("series.count", "", "should be at least 2");
        }
        if (zero(series, "lastObservedTime")) {
            errs.required("series.lastObservedTime", "");
        }
    }

    private static boolean zero(JsonNode parent, String field) {
        return GoTime.parse(JsonReads.str(parent, field)) == null;
    }

    private static void immutable(JsonNode ev, JsonNode old, String field, String path, Object shown, Errors errs) {
        GroupMeta.immutable(GroupMeta.get(ev, field), GroupMeta.get(old, field), path, shown, errs);
    }

    /** Times compare as instants; the new value prints as Go's time.String. */
    private static void immutableTime(JsonNode ev, JsonNode old, String field, String path, Errors errs) {
        var now = GoTime.parse(JsonReads.str(ev, field));
        var before = GoTime.parse(JsonReads.str(old, field));
        boolean same = now == null ? before == null : before != null && now.isEqual(before);
        if (!same) {
            errs.invalid(path, GoTime.literal(JsonReads.str(ev, field)), "field is immutable");
        }
    }

    /** A core.ObjectReference in %#v form; related is a pointer, so an absent one prints as null. */
    private static Object objectReference(JsonNode ref, boolean pointer) {
        if (ref == null && pointer) {
            return null;
        }
        // a set pointer is dereferenced before printing, so both forms print the struct
        StringBuilder b = new StringBuilder("core.ObjectReference{");
        String[][] fields = {
            {"Kind", "kind"},
            {"Namespace", "namespace"},
            {"Name", "name"},
            {"UID", "uid"},
            {"APIVersion", "apiVersion"},
            {"ResourceVersion", "resourceVersion"},
            {"FieldPath", "fieldPath"}
        };
        for (int i = 0; i < fields.length; i++) {
            b.append(i > 0 ? ", " : "").append(fields[i][0]).append(':');
            b.append(GoFormat.quote(JsonReads.str(ref, fields[i][1])));
        }
        return new GoFormat.Literal(b.append('}').toString());
    }
}
