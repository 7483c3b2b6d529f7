package dev.capstan.api.protobuf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import com.google.protobuf.UnknownFieldSet;
import dev.capstan.model.json.KubeJson;
import io.kubernetes.client.proto.IntStr;
import io.kubernetes.client.proto.Meta;
import io.kubernetes.client.proto.Resource;
import io.kubernetes.client.proto.Runtime;
import io.kubernetes.client.proto.V1Authentication;
import io.kubernetes.client.proto.V1Authorization;
import io.kubernetes.client.proto.V1Certificates;
import java.io.IOException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes a parsed Kubernetes message as the JSON Go's encoding/json produces for the same object. Walks the
 * descriptors rather than using JsonFormat, whose output differs: proto names, omitempty, inline structs, and the
 * apimachinery types with their own JSON form (Time, Quantity, IntOrString, RawExtension, ...).
 */
final class ProtoJson {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** Parses embedded raw JSON with the mapper that parses request bodies. */
    private static final ObjectMapper MAPPER = KubeJson.MAPPER;

    private static final GoJsonRules RULES = GoJsonRules.get();
    private static final DateTimeFormatter RFC3339 =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter RFC3339_MICRO =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);
    /** Go's zero time.Time (0001-01-01T00:00:00Z) as Unix seconds: it marshals as null. */
    private static final long GO_ZERO_TIME = -62135596800L;

    private ProtoJson() {}

    /** The object's fields; the caller adds apiVersion and kind, which Kubernetes messages do not carry. */
    static ObjectNode toJson(Message message) {
        return object(message, "");
    }

    /**
     * Rejects fields the bundled schema does not know, so a newer client's data is not silently dropped. Zero values
     * pass: Go writes every non-pointer field, so a field added upstream arrives even when the client never set it.
     */
    static void rejectUnknownFields(Message message, String path) {
        for (Map.Entry<Integer, UnknownFieldSet.Field> entry :
                message.getUnknownFields().asMap().entrySet()) {
            UnknownFieldSet.Field field = entry.getValue();
            boolean zero = field.getVarintList().stream().allMatch(v -> v == 0)
                    && field.getFixed32List().stream().allMatch(v -> v == 0)
                    && field.getFixed64List().stream().allMatch(v -> v == 0)
                    && field.getLengthDelimitedList().stream().allMatch(ByteString::isEmpty)
                    && field.getGroupList().isEmpty();
            if (!zero) {
                throw new IllegalArgumentException("protobuf field " + entry.getKey() + " of "
                        + message.getDescriptorForType().getName() + (path.isEmpty() ? "" : " at " + path)
                        + " is not in this server's Kubernetes 1.30 schema; send the object as JSON");
            }
        }
    }

    private static ObjectNode object(Message message, String path) {
        rejectUnknownFields(message, path);
        ObjectNode out = NODES.objectNode();
        for (FieldDescriptor field : message.getDescriptorForType().getFields()) {
            if (RULES.isSkipped(field)) {
                continue;
            }
            String name = RULES.jsonName(field);
            if (field.isMapField()) {
                if (message.getRepeatedFieldCount(field) > 0) {
                    out.set(name, map(message, field, child(path, name)));
                }
            } else if (field.isRepeated()) {
                int count = message.getRepeatedFieldCount(field);
                if (count > 0) {
                    ArrayNode array = out.putArray(name);
                    for (int i = 0; i < count; i++) {
                        array.add(value(field, message.getRepeatedField(field, i), child(path, name) + "[" + i + "]"));
                    }
                }
            } else if (message.hasField(field)) {
                Object value = message.getField(field);
                JsonNode json = value(field, value, child(path, name));
                if (RULES.isInline(field) && json instanceof ObjectNode embedded) {
                    out.setAll(embedded);
                } else if (field.getJavaType() == FieldDescriptor.JavaType.MESSAGE
                        || RULES.keepsZero(field)
                        || !isZero(value)) {
                    out.set(name, json);
                }
            }
        }
        return out;
    }

    private static String child(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    /** Go writes map keys sorted; Kubernetes map keys are strings. */
    private static ObjectNode map(Message message, FieldDescriptor field, String path) {
        Descriptor entryType = field.getMessageType();
        FieldDescriptor keyField = entryType.findFieldByNumber(1);
        FieldDescriptor valueField = entryType.findFieldByNumber(2);
        Map<String, JsonNode> sorted = new TreeMap<>();
        for (int i = 0; i < message.getRepeatedFieldCount(field); i++) {
            Message entry = (Message) message.getRepeatedField(field, i);
            String key = String.valueOf(entry.getField(keyField));
            sorted.put(key, value(valueField, entry.getField(valueField), path + "[" + key + "]"));
        }
        ObjectNode out = NODES.objectNode();
        out.setAll(sorted);
        return out;
    }

    private static JsonNode value(FieldDescriptor field, Object value, String path) {
        return switch (field.getJavaType()) {
            case INT -> NODES.numberNode((Integer) value);
            case LONG -> number((Long) value);
            // Kubernetes APIs have no float or enum fields (API conventions); these two cases keep the walk total.
            case FLOAT, DOUBLE -> NODES.numberNode(((Number) value).doubleValue());
            case ENUM -> NODES.textNode(((EnumValueDescriptor) value).getName());
            case BOOLEAN -> NODES.booleanNode((Boolean) value);
            case STRING -> NODES.textNode((String) value);
            // Go's encoding/json writes []byte as standard, padded base64.
            case BYTE_STRING -> NODES.textNode(Base64.getEncoder().encodeToString(((ByteString) value).toByteArray()));
            case MESSAGE -> message((Message) value, path);
        };
    }

    /** Jackson reads a JSON integer that fits in an int as an IntNode; match it so trees compare equal. */
    private static JsonNode number(long value) {
        return value == (int) value ? NODES.numberNode((int) value) : NODES.numberNode(value);
    }

    private static JsonNode message(Message message, String path) {
        return switch (message) {
            case Meta.Time time -> time(time.getSeconds(), 0, time.hasSeconds() || time.hasNanos(), RFC3339);
            case Meta.MicroTime time ->
                time(time.getSeconds(), time.getNanos(), time.hasSeconds() || time.hasNanos(), RFC3339_MICRO);
            case Resource.Quantity quantity -> NODES.textNode(quantity.hasString() ? quantity.getString() : "0");
            case IntStr.IntOrString intOrString -> intOrString(intOrString, path);
            case Runtime.RawExtension raw -> rawJson(raw.getRaw(), path);
            case Meta.FieldsV1 fields -> rawJson(fields.getRaw(), path);
            // Named []string types are wrapped in a message on the wire but are plain arrays in JSON.
            case V1Authentication.ExtraValue extra -> strings(extra.getItemsList());
            case V1Authorization.ExtraValue extra -> strings(extra.getItemsList());
            case V1Certificates.ExtraValue extra -> strings(extra.getItemsList());
            case Meta.Verbs verbs -> strings(verbs.getItemsList());
            default -> object(message, path);
        };
    }

    /** An empty Time on the wire is Go's zero time, which marshals as null (e.g. creationTimestamp: null). */
    private static JsonNode time(long seconds, int nanos, boolean present, DateTimeFormatter format) {
        if (!present || (seconds == GO_ZERO_TIME && nanos == 0)) {
            return NODES.nullNode();
        }
        try {
            return NODES.textNode(format.format(Instant.ofEpochSecond(seconds, nanos)));
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("timestamp out of range: " + seconds + "s", e);
        }
    }

    private static JsonNode intOrString(IntStr.IntOrString value, String path) {
        if (value.getType() == 0) {
            return NODES.numberNode(value.getIntVal());
        }
        if (value.getType() == 1) {
            return NODES.textNode(value.getStrVal());
        }
        throw new IllegalArgumentException("IntOrString at " + path + " has unknown type " + value.getType());
    }

    /**
     * RawExtension and FieldsV1 carry raw JSON (Go writes nil as null). An embedded object may instead be a nested
     * protobuf body with its own magic, which is decoded the same way.
     */
    private static JsonNode rawJson(ByteString raw, String path) {
        if (raw.isEmpty()) {
            return NODES.nullNode();
        }
        byte[] bytes = raw.toByteArray();
        if (ProtobufBodies.hasMagic(bytes)) {
            return ProtobufBodies.decode(bytes);
        }
        try {
            return MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw new IllegalArgumentException("raw JSON at " + path + " is not valid JSON: " + e.getMessage(), e);
        }
    }

    private static ArrayNode strings(List<String> items) {
        ArrayNode array = NODES.arrayNode(items.size());
        items.forEach(array::add);
        return array;
    }

    private static boolean isZero(Object value) {
        return switch (value) {
            case Integer i -> i == 0;
            case Long l -> l == 0;
            case Float f -> f == 0;
            case Double d -> d == 0;
            case Boolean b -> !b;
            case String s -> s.isEmpty();
            case ByteString b -> b.isEmpty();
            case EnumValueDescriptor e -> e.getNumber() == 0;
            default -> false;
        };
    }
}
