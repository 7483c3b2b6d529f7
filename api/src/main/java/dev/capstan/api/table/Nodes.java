package dev.capstan.api.table;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Null-tolerant reads of Kubernetes JSON, mirroring Go's zero values: an absent string is "", an absent number 0, an
 * absent timestamp the zero time.
 */
final class Nodes {
    /** Go's zero {@code time.Time}; upstream prints it as "&lt;unknown&gt;" ages. */
    static final Instant ZERO_TIME = Instant.parse("0001-01-01T00:00:00Z");

    private static final DateTimeFormatter RFC3339_SECONDS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

    private Nodes() {}

    static JsonNode at(JsonNode node, String... path) {
        JsonNode current = node == null ? MissingNode.getInstance() : node;
        for (String field : path) {
            current = current.path(field);
        }
        return current;
    }

    /** True when the field exists and is not JSON null, i.e. a Go pointer would be non-nil. */
    static boolean present(JsonNode node, String... path) {
        JsonNode n = at(node, path);
        return !n.isMissingNode() && !n.isNull();
    }

    static String text(JsonNode node, String... path) {
        JsonNode n = at(node, path);
        return n.isValueNode() && !n.isNull() ? n.asText() : "";
    }

    static String textOr(JsonNode node, String fallback, String... path) {
        String value = text(node, path);
        return value.isEmpty() ? fallback : value;
    }

    static long number(JsonNode node, String... path) {
        return at(node, path).asLong(0);
    }

    static long numberOr(JsonNode node, long fallback, String... path) {
        return present(node, path) ? number(node, path) : fallback;
    }

    static boolean bool(JsonNode node, String... path) {
        return at(node, path).asBoolean(false);
    }

    static List<JsonNode> list(JsonNode node, String... path) {
        JsonNode n = at(node, path);
        List<JsonNode> items = new ArrayList<>();
        if (n.isArray()) {
            n.forEach(items::add);
        }
        return items;
    }

    /** Length of a JSON array or number of keys of a JSON object, 0 when absent. */
    static int size(JsonNode node, String... path) {
        JsonNode n = at(node, path);
        return n.isArray() || n.isObject() ? n.size() : 0;
    }

    static Map<String, String> strings(JsonNode node, String... path) {
        JsonNode n = at(node, path);
        Map<String, String> map = new LinkedHashMap<>();
        if (n.isObject()) {
            n.properties()
                    .forEach(e -> map.put(
                            e.getKey(),
                            e.getValue().isNull() ? "" : e.getValue().asText()));
        }
        return map;
    }

    /** An RFC 3339 timestamp (metav1.Time or MicroTime); absent or unparsable values read as the zero time. */
    static Instant time(JsonNode node, String... path) {
        String value = text(node, path);
        if (value.isEmpty()) {
            return ZERO_TIME;
        }
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            return ZERO_TIME;
        }
    }

    static boolean isZero(Instant time) {
        return time.equals(ZERO_TIME);
    }

    /** Upstream's translateTimestampSince. */
    static String since(Instant time, Instant now) {
        return isZero(time) ? "<unknown>" : Durations.human(Duration.between(time, now));
    }

    static String name(JsonNode object) {
        return text(object, "metadata", "name");
    }

    static String age(JsonNode object, Instant now) {
        return since(time(object, "metadata", "creationTimestamp"), now);
    }

    static boolean deleting(JsonNode object) {
        return present(object, "metadata", "deletionTimestamp");
    }

    /** Go's {@code time.Format(time.RFC3339)} of a UTC time: whole seconds, "Z" suffix. */
    static String rfc3339(Instant time) {
        return RFC3339_SECONDS.format(time);
    }

    /** Upstream's layoutContainerCells: names and images of a pod spec's containers, comma separated. */
    static List<Object> containerCells(JsonNode podSpec) {
        List<String> names = new ArrayList<>();
        List<String> images = new ArrayList<>();
        for (JsonNode container : list(podSpec, "containers")) {
            names.add(text(container, "name"));
            images.add(text(container, "image"));
        }
        return List.of(String.join(",", names), String.join(",", images));
    }
}
