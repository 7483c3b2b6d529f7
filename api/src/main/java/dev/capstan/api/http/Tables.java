package dev.capstan.api.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.ApiException;
import dev.capstan.api.Json;
import dev.capstan.api.registry.ResourceType;
import dev.capstan.api.table.ColumnDefinition;
import dev.capstan.api.validation.GoFormat;
import java.time.Instant;
import java.util.List;

/** meta.k8s.io/v1 Table responses, as {@code kubectl get} asks for them. */
final class Tables {
    static final String CONTENT_TYPE = "application/json;as=Table;v=v1;g=meta.k8s.io";

    private Tables() {}

    static boolean wanted(String accept) {
        return accept != null && accept.contains("as=Table");
    }

    /**
     * What each row carries of its object (TableOptions' {@code includeObject}): its metadata by default, the whole
     * object (kubectl asks for it to sort with {@code --sort-by}), or nothing.
     */
    enum Include {
        NONE,
        METADATA,
        OBJECT;

        /** The query's value; an unknown one is a 400, as upstream's TableOptions validation answers. */
        static Include of(String value) {
            return switch (value) {
                case "", "Metadata" -> METADATA;
                case "Object" -> OBJECT;
                case "None" -> NONE;
                default ->
                    throw ApiException.badRequest("includeObject: Unsupported value: " + GoFormat.quote(value)
                            + ": supported values: \"Metadata\", \"None\", \"Object\"");
            };
        }
    }

    static ObjectNode table(
            ResourceType type, List<ObjectNode> objects, boolean withColumns, Instant now, Include include) {
        ObjectNode table = Json.object().put("kind", "Table").put("apiVersion", "meta.k8s.io/v1");
        table.putObject("metadata");
        ArrayNode columns = table.putArray("columnDefinitions");
        if (withColumns) {
            for (ColumnDefinition c : type.strategy().table().columns()) {
                columns.addObject()
                        .put("name", c.name())
                        .put("type", c.type())
                        .put("format", c.format())
                        .put("description", c.description())
                        .put("priority", c.priority());
            }
        }
        ArrayNode rows = table.putArray("rows");
        for (ObjectNode object : objects) {
            ObjectNode row = rows.addObject();
            ArrayNode cells = row.putArray("cells");
            for (Object cell : type.strategy().table().printer().cells(object, now)) {
                cells.add(cell == null ? Json.object().nullNode() : Json.MAPPER.valueToTree(cell));
            }
            switch (include) {
                case METADATA -> row.set("object", partialMetadata(object));
                case OBJECT -> row.set("object", object);
                case NONE -> row.putNull("object");
            }
        }
        return table;
    }

    private static ObjectNode partialMetadata(ObjectNode object) {
        ObjectNode partial = Json.object().put("kind", "PartialObjectMetadata").put("apiVersion", "meta.k8s.io/v1");
        JsonNode metadata = object.get("metadata");
        partial.set("metadata", metadata == null ? Json.object() : metadata.deepCopy());
        return partial;
    }
}
