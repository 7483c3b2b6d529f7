package dev.capstan.api.resourcemetrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.Json;
import dev.capstan.model.quantity.Quantity;

/**
 * NodeMetrics and PodMetrics as a meta.k8s.io/v1 Table, with metrics-server's columns (pkg/api table.go): Name, cpu,
 * memory, Window; a pod's cpu and memory are its containers' sums. Rows carry the object's metadata only, as a Table
 * does by default.
 */
public final class MetricsTable {

    private MetricsTable() {}

    /** @param answer a NodeMetrics, PodMetrics, or a list of either */
    public static ObjectNode of(ObjectNode answer) {
        ObjectNode table = Json.object().put("kind", "Table").put("apiVersion", "meta.k8s.io/v1");
        table.putObject("metadata");
        ArrayNode columns = table.putArray("columnDefinitions");
        column(columns, "Name", "name", "Name of the resource");
        column(columns, "cpu", "quantity", "");
        column(columns, "memory", "quantity", "");
        column(columns, "Window", "duration", "");
        ArrayNode rows = table.putArray("rows");
        JsonNode items = answer.has("items")
                ? answer.get("items")
                : Json.MAPPER.createArrayNode().add(answer);
        for (JsonNode item : items) {
            long nanoCores = 0;
            long bytes = 0;
            JsonNode usages = item.has("containers")
                    ? item.get("containers")
                    : Json.MAPPER.createArrayNode().add(item);
            for (JsonNode container : usages) {
                nanoCores += Quantity.parse(container.path("usage").path("cpu").asText("0"))
                        .scaledValue(-9);
                bytes += Quantity.parse(container.path("usage").path("memory").asText("0"))
                        .value();
            }
            ObjectNode row = rows.addObject();
            row.putArray("cells")
                    .add(item.path("metadata").path("name").asText())
                    .add(MetricsJson.cpu(nanoCores))
                    .add(MetricsJson.memory(bytes))
                    .add(item.path("window").asText());
            ObjectNode object =
                    row.putObject("object").put("kind", "PartialObjectMetadata").put("apiVersion", "meta.k8s.io/v1");
            object.set("metadata", item.path("metadata").deepCopy());
        }
        return table;
    }

    private static void column(ArrayNode columns, String name, String format, String description) {
        columns.addObject()
                .put("name", name)
                .put("type", "string")
                .put("format", format)
                .put("description", description)
                .put("priority", 0);
    }
}
