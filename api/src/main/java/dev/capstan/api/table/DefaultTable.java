package dev.capstan.api.table;

import static dev.capstan.api.table.Descriptions.META_CREATION_TIMESTAMP;

import com.fasterxml.jackson.databind.JsonNode;
import dev.capstan.model.json.JsonReads;
import java.time.Instant;
import java.util.List;

/**
 * The apiserver's defaultTableConvertor, used for kinds without a printer (LimitRange, Role, ClusterRole, custom
 * kinds): the name and the creation time as an RFC 3339 date rather than an age.
 */
public final class DefaultTable {
    public static final KindTable TABLE = new KindTable(
            List.of(Columns.name(), new ColumnDefinition("Created At", "date", "", META_CREATION_TIMESTAMP, 0)),
            DefaultTable::cells);

    private DefaultTable() {}

    static List<Object> cells(JsonNode object, Instant now) {
        // A missing timestamp formats as Go's zero time, exactly as upstream does.
        return List.of(Nodes.name(object), Nodes.rfc3339(JsonReads.time(object, "metadata", "creationTimestamp")));
    }
}
