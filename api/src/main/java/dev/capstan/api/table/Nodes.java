package dev.capstan.api.table;

import com.fasterxml.jackson.databind.JsonNode;
import dev.capstan.model.json.JsonReads;
import dev.capstan.model.quantity.Quantity;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * The cell formatting the printers share: ages, quantities and container lists as kubectl prints them. Reads go
 * through the model's {@link JsonReads}, with Go's zero values.
 */
final class Nodes {
    private static final DateTimeFormatter RFC3339_SECONDS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

    private Nodes() {}

    /** Upstream's translateTimestampSince. */
    static String since(Instant time, Instant now) {
        return JsonReads.isZeroTime(time) ? "<unknown>" : Durations.human(Duration.between(time, now));
    }

    static String name(JsonNode object) {
        return JsonReads.str(object, "metadata", "name");
    }

    static String age(JsonNode object, Instant now) {
        return since(JsonReads.time(object, "metadata", "creationTimestamp"), now);
    }

    static boolean deleting(JsonNode object) {
        return JsonReads.has(object, "metadata", "deletionTimestamp");
    }

    /** Go's {@code time.Format(time.RFC3339)} of a UTC time: whole seconds, "Z" suffix. */
    static String rfc3339(Instant time) {
        return RFC3339_SECONDS.format(time);
    }

    /** A quantity field as upstream prints the decoded Quantity; "0" when absent, like Go's zero Quantity. */
    static String quantity(JsonNode node, String... path) {
        return JsonReads.has(node, path) ? quantity(JsonReads.str(node, path)) : "0";
    }

    /** Like {@link #quantity(JsonNode, String...)} but "&lt;nil&gt;" when absent, as Go prints a nil *Quantity. */
    static String quantityPointer(JsonNode node, String... path) {
        return JsonReads.has(node, path) ? quantity(JsonReads.str(node, path)) : "<nil>";
    }

    /**
     * A quantity string as upstream prints it after decoding ("1.5Gi" as "1536Mi"); decoding trims spaces first.
     * A string that is no quantity could not have been stored upstream; it prints as written.
     */
    static String quantity(String raw) {
        String trimmed = raw.strip();
        return Quantity.tryParse(trimmed).map(Quantity::toString).orElse(trimmed);
    }

    /** Upstream's layoutContainerCells: names and images of a pod spec's containers, comma separated. */
    static List<Object> containerCells(JsonNode podSpec) {
        List<String> names = new ArrayList<>();
        List<String> images = new ArrayList<>();
        for (JsonNode container : JsonReads.items(podSpec, "containers")) {
            names.add(JsonReads.str(container, "name"));
            images.add(JsonReads.str(container, "image"));
        }
        return List.of(String.join(",", names), String.join(",", images));
    }
}
