package dev.capstan.api.table;

import static dev.capstan.api.table.Descriptions.EVENT_COUNT;
import static dev.capstan.api.table.Descriptions.EVENT_FIRST_TIMESTAMP;
import static dev.capstan.api.table.Descriptions.EVENT_INVOLVED_OBJECT;
import static dev.capstan.api.table.Descriptions.EVENT_LAST_TIMESTAMP;
import static dev.capstan.api.table.Descriptions.EVENT_MESSAGE;
import static dev.capstan.api.table.Descriptions.EVENT_REASON;
import static dev.capstan.api.table.Descriptions.EVENT_SOURCE;
import static dev.capstan.api.table.Descriptions.EVENT_TYPE;
import static dev.capstan.api.table.Descriptions.META_NAME;
import static dev.capstan.api.table.Descriptions.OBJECT_REFERENCE_FIELD_PATH;

import com.fasterxml.jackson.databind.JsonNode;
import dev.capstan.model.json.JsonReads;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * Events of both core/v1 and events.k8s.io/v1: upstream serves them from one storage and prints the internal core
 * Event, so the events.k8s.io field names are mapped onto the core ones. Unlike every other kind, NAME is a wide
 * column at the end and LAST SEEN comes first.
 */
public final class EventPrinter {
    static final List<ColumnDefinition> COLUMNS = List.of(
            Columns.string("Last Seen", EVENT_LAST_TIMESTAMP),
            Columns.string("Type", EVENT_TYPE),
            Columns.string("Reason", EVENT_REASON),
            Columns.string("Object", EVENT_INVOLVED_OBJECT),
            Columns.wide("Subobject", OBJECT_REFERENCE_FIELD_PATH),
            Columns.wide("Source", EVENT_SOURCE),
            Columns.string("Message", EVENT_MESSAGE),
            Columns.wide("First Seen", EVENT_FIRST_TIMESTAMP),
            Columns.wide("Count", EVENT_COUNT),
            new ColumnDefinition("Name", "string", "name", META_NAME, 1));

    /** Where each core Event field lives in a given API version's JSON. */
    private record Fields(
            String involvedObject, String message, String source, String first, String last, String count) {}

    private static final Fields CORE =
            new Fields("involvedObject", "message", "source", "firstTimestamp", "lastTimestamp", "count");
    private static final Fields EVENTS = new Fields(
            "regarding",
            "note",
            "deprecatedSource",
            "deprecatedFirstTimestamp",
            "deprecatedLastTimestamp",
            "deprecatedCount");

    private EventPrinter() {}

    /** The table of Events. */
    public static final KindTable CORE_EVENT = new KindTable(COLUMNS, (o, now) -> cells(o, now, CORE));

    /** The table of Events. */
    public static final KindTable EVENTS_EVENT = new KindTable(COLUMNS, (o, now) -> cells(o, now, EVENTS));

    private static List<Object> cells(JsonNode event, Instant now, Fields fields) {
        Instant firstTime = JsonReads.time(event, fields.first());
        String first = JsonReads.isZeroTime(firstTime)
                ? Nodes.since(JsonReads.time(event, "eventTime"), now)
                : Nodes.since(firstTime, now);
        Instant lastTime = JsonReads.time(event, fields.last());
        String last = JsonReads.isZeroTime(lastTime) ? first : Nodes.since(lastTime, now);
        long count = JsonReads.numOr(event, 0, fields.count());
        if (JsonReads.has(event, "series")) {
            last = Nodes.since(JsonReads.time(event, "series", "lastObservedTime"), now);
            count = JsonReads.numOr(event, 0, "series", "count");
        } else if (count == 0) {
            // Singleton events don't have a count set in the new API.
            count = 1;
        }
        JsonNode involved = JsonReads.at(event, fields.involvedObject());
        String kind = JsonReads.str(involved, "kind").toLowerCase(Locale.ROOT);
        String name = JsonReads.str(involved, "name");
        return List.of(
                last,
                JsonReads.str(event, "type"),
                JsonReads.str(event, "reason"),
                name.isEmpty() ? kind : kind + "/" + name,
                JsonReads.str(involved, "fieldPath"),
                source(event, fields),
                JsonReads.str(event, fields.message()).strip(),
                first,
                count,
                Nodes.name(event));
    }

    /** "component, host", falling back to the reporting controller and instance of newer events. */
    private static String source(JsonNode event, Fields fields) {
        String component =
                JsonReads.strOr(event, JsonReads.str(event, "reportingController"), fields.source(), "component");
        String instance = JsonReads.strOr(event, JsonReads.str(event, "reportingInstance"), fields.source(), "host");
        return instance.isEmpty() ? component : component + ", " + instance;
    }
}
