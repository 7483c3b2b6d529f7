package dev.capstan.api.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.CodedOutputStream;
import dev.capstan.model.json.KubeJson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

/**
 * The /openapi/v2 document (Swagger 2.0), made from the group-versions' v3 documents: their schemas as definitions,
 * references rewritten to {@code #/definitions/}, a lone {@code allOf} reference unwrapped and {@code oneOf} (which
 * Swagger 2.0 lacks) dropped. No paths: clients use v3 for those. kubectl reads this document only as protobuf (the
 * gnostic {@code openapi.v2.Document} message), to validate the items of a {@code kind: List} manifest.
 */
final class OpenApiV2 {
    /**
     * The protobuf form's content type in answers. Clients ask for {@code …spec.v2@v1.0+protobuf}, but Go's media
     * type parser refuses the {@code @}, so the answer names it with a dot, as kube-apiserver does.
     */
    static final String PROTOBUF = "application/com.github.proto-openapi.spec.v2.v1.0+protobuf";

    private static final String V3_REF = "#/components/schemas/";
    private static final String V2_REF = "#/definitions/";

    private OpenApiV2() {}

    /** The Swagger 2.0 document of every schema of {@code documents} (a name's first schema wins: they are equal). */
    static ObjectNode swagger(Collection<ObjectNode> documents, String kubernetesVersion) {
        Map<String, JsonNode> definitions = new TreeMap<>();
        for (ObjectNode document : documents) {
            document.path("components").path("schemas").properties().forEach(e -> {
                if (!definitions.containsKey(e.getKey())) {
                    definitions.put(e.getKey(), schema(e.getValue()));
                }
            });
        }
        ObjectNode swagger = KubeJson.object();
        swagger.put("swagger", "2.0");
        swagger.putObject("info").put("title", "Kubernetes").put("version", kubernetesVersion);
        swagger.putObject("paths");
        ObjectNode out = swagger.putObject("definitions");
        definitions.forEach(out::set);
        return swagger;
    }

    private static JsonNode schema(JsonNode v3) {
        if (!v3.isObject()) {
            return v3;
        }
        JsonNode allOf = v3.get("allOf");
        if (allOf != null && allOf.size() == 1 && allOf.get(0).has("$ref") && v3.size() == 1) {
            return schema(allOf.get(0)); // Swagger 2.0 puts the reference in place
        }
        ObjectNode out = KubeJson.object();
        v3.properties().forEach(e -> {
            String key = e.getKey();
            JsonNode value = e.getValue();
            switch (key) {
                case "$ref" -> out.put(key, value.asText().replace(V3_REF, V2_REF));
                case "oneOf" -> {} // not in Swagger 2.0; the format (int-or-string and the like) says it
                case "properties" -> {
                    ObjectNode properties = out.putObject(key);
                    value.properties().forEach(p -> properties.set(p.getKey(), schema(p.getValue())));
                }
                case "items", "additionalProperties" -> out.set(key, schema(value));
                case "allOf" -> {
                    var list = out.putArray(key);
                    value.forEach(s -> list.add(schema(s)));
                }
                default -> out.set(key, value);
            }
        });
        return out;
    }

    /** The document as gnostic's openapi.v2.Document message (field numbers of its OpenAPIv2.proto). */
    static byte[] protobuf(ObjectNode swagger) {
        return message(w -> {
            w.writeString(1, swagger.path("swagger").asText());
            w.writeByteArray(2, message(info -> {
                info.writeString(1, swagger.path("info").path("title").asText());
                info.writeString(2, swagger.path("info").path("version").asText());
            }));
            w.writeByteArray(9, message(definitions -> {
                for (var e : swagger.path("definitions").properties()) {
                    definitions.writeByteArray(1, named(e.getKey(), encodeSchema(e.getValue())));
                }
            }));
        });
    }

    private static byte[] encodeSchema(JsonNode s) {
        return message(w -> {
            for (var e : s.properties()) {
                JsonNode v = e.getValue();
                switch (e.getKey()) {
                    case "$ref" -> w.writeString(1, v.asText());
                    case "format" -> w.writeString(2, v.asText());
                    case "title" -> w.writeString(3, v.asText());
                    case "description" -> w.writeString(4, v.asText());
                    case "default" -> w.writeByteArray(5, any(v));
                    case "required" -> {
                        for (JsonNode name : v) {
                            w.writeString(19, name.asText());
                        }
                    }
                    case "enum" -> {
                        for (JsonNode value : v) {
                            w.writeByteArray(20, any(value));
                        }
                    }
                    case "additionalProperties" ->
                        w.writeByteArray(21, message(item -> {
                            if (v.isBoolean()) {
                                item.writeBool(2, v.asBoolean());
                            } else {
                                item.writeByteArray(1, encodeSchema(v));
                            }
                        }));
                    case "type" ->
                        w.writeByteArray(22, message(type -> {
                            if (v.isArray()) {
                                for (JsonNode t : v) {
                                    type.writeString(1, t.asText());
                                }
                            } else {
                                type.writeString(1, v.asText());
                            }
                        }));
                    case "items" -> w.writeByteArray(23, message(items -> items.writeByteArray(1, encodeSchema(v))));
                    case "allOf" -> {
                        for (JsonNode part : v) {
                            w.writeByteArray(24, encodeSchema(part));
                        }
                    }
                    case "properties" ->
                        w.writeByteArray(25, message(properties -> {
                            for (var p : v.properties()) {
                                properties.writeByteArray(1, named(p.getKey(), encodeSchema(p.getValue())));
                            }
                        }));
                    default -> {
                        if (e.getKey().startsWith("x-")) {
                            w.writeByteArray(31, named(e.getKey(), any(v)));
                        }
                    }
                }
            }
        });
    }

    /** A Named* message: name 1, value 2. */
    private static byte[] named(String name, byte[] value) {
        return message(w -> {
            w.writeString(1, name);
            w.writeByteArray(2, value);
        });
    }

    /** gnostic's Any with its YAML text: JSON is YAML, and clients parse the text. */
    private static byte[] any(JsonNode value) {
        return message(w -> w.writeString(2, value.toString()));
    }

    private interface Fields {
        void write(CodedOutputStream w) throws IOException;
    }

    private static byte[] message(Fields fields) {
        try {
            var bytes = new ByteArrayOutputStream();
            CodedOutputStream w = CodedOutputStream.newInstance(bytes);
            fields.write(w);
            w.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
