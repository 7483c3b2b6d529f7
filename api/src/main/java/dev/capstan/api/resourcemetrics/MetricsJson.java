package dev.capstan.api.resourcemetrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.Json;
import dev.capstan.model.quantity.Quantity;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * NodeMetrics and PodMetrics (metrics.k8s.io/v1beta1) in metrics-server's JSON: metadata with the object's name,
 * namespace and labels and a creationTimestamp of now; the timestamp of the window's end (RFC 3339, whole
 * seconds, as metav1.Time marshals); the window as Go's Duration.String ("15.002s"); CPU as a scaled nanocore
 * quantity in canonical form ("12345678n", "5m", "0") and memory as a binary-SI byte quantity ("1234Ki", or plain
 * bytes when not a multiple of 1024). Items of a list carry no kind or apiVersion, as Go's lists marshal.
 */
public final class MetricsJson {
    public static final String GROUP = "metrics.k8s.io";
    public static final String VERSION = "v1beta1";
    public static final String API_VERSION = GROUP + "/" + VERSION;

    private MetricsJson() {}

    public static ObjectNode nodeMetrics(ObjectNode node, Usage usage, Instant now) {
        ObjectNode doc = Json.object();
        doc.set("metadata", metadata(node, false, now));
        doc.put("timestamp", time(usage.timestamp()));
        doc.put("window", goDuration(usage.window()));
        doc.set("usage", usage(usage));
        return doc;
    }

    public static ObjectNode podMetrics(ObjectNode pod, PodUsage usage, Instant now) {
        ObjectNode doc = Json.object();
        doc.set("metadata", metadata(pod, true, now));
        doc.put("timestamp", time(usage.timestamp()));
        doc.put("window", goDuration(usage.window()));
        ArrayNode containers = doc.putArray("containers");
        for (PodUsage.Container c : usage.containers()) {
            ObjectNode container = containers.addObject().put("name", c.name());
            container.set("usage", usage(c.usage()));
        }
        return doc;
    }

    /** A single object: the item with its kind and apiVersion first. */
    public static ObjectNode single(String kind, ObjectNode item) {
        ObjectNode doc = Json.object().put("kind", kind).put("apiVersion", API_VERSION);
        doc.setAll(item);
        return doc;
    }

    public static ObjectNode list(String kind, List<ObjectNode> items) {
        ObjectNode doc = Json.object().put("kind", kind).put("apiVersion", API_VERSION);
        doc.putObject("metadata");
        doc.putArray("items").addAll(items);
        return doc;
    }

    private static ObjectNode metadata(ObjectNode object, boolean namespaced, Instant now) {
        JsonNode source = object.path("metadata");
        ObjectNode meta = Json.object().put("name", source.path("name").asText());
        if (namespaced) {
            meta.put("namespace", source.path("namespace").asText());
        }
        meta.put("creationTimestamp", time(now));
        if (source.path("labels").isObject() && !source.path("labels").isEmpty()) {
            meta.set("labels", source.path("labels").deepCopy());
        }
        return meta;
    }

    private static ObjectNode usage(Usage usage) {
        return Json.object().put("cpu", cpu(usage.nanoCores())).put("memory", memory(usage.memoryBytes()));
    }

    public static String cpu(long nanoCores) {
        return Quantity.parse(BigDecimal.valueOf(nanoCores).toPlainString() + "n")
                .canonical();
    }

    public static String memory(long bytes) {
        return Quantity.of(bytes, Quantity.Format.BINARY_SI).canonical();
    }

    static String time(Instant instant) {
        return instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /** Go's time.Duration.String: "1h2m3.5s", "15.002s", "500ms", "1.5µs", "0s". */
    static String goDuration(Duration duration) {
        long nanos = duration.toNanos();
        if (nanos == 0) {
            return "0s";
        }
        String sign = nanos < 0 ? "-" : "";
        long u = Math.abs(nanos);
        if (u < 1_000_000_000L) {
            if (u < 1_000) {
                return sign + u + "ns";
            }
            if (u < 1_000_000) {
                return sign + fraction(u, 3) + "µs";
            }
            return sign + fraction(u, 6) + "ms";
        }
        long seconds = u / 1_000_000_000L;
        String secs = fraction(u % 60_000_000_000L, 9) + "s";
        long minutes = seconds / 60;
        if (minutes == 0) {
            return sign + secs;
        }
        long hours = minutes / 60;
        String mins = (minutes % 60) + "m";
        return sign + (hours == 0 ? "" : hours + "h") + mins + secs;
    }

    /** {@code value / 10^digits}, without trailing zeros or a bare point. */
    private static String fraction(long value, int digits) {
        return BigDecimal.valueOf(value, digits).stripTrailingZeros().toPlainString();
    }
}
