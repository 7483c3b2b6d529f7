package dev.capstan.api.decode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.model.quantity.Quantity;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Decodes a body's tree against its kind's {@link GoType} as upstream's sigs.k8s.io/json UnmarshalStrict does: in
 * one pass, case-sensitive field names, the first type mismatch reported (Go keeps decoding after one, and an
 * UnmarshalJSON error ends it at once and wins), unknown and duplicate fields collected as strict errors with their
 * paths. Unknown fields are removed from the tree, since the Go struct has nowhere to keep them.
 */
public final class StrictDecoder {
    private static final BigInteger INT32_MIN = BigInteger.valueOf(Integer.MIN_VALUE);
    private static final BigInteger INT32_MAX = BigInteger.valueOf(Integer.MAX_VALUE);
    private static final BigInteger INT64_MIN = BigInteger.valueOf(Long.MIN_VALUE);
    private static final BigInteger INT64_MAX = BigInteger.valueOf(Long.MAX_VALUE);

    /** A value its Go type cannot hold; {@link #getMessage()} is Go's text. */
    public static final class DecodeError extends RuntimeException {
        DecodeError(String message) {
            super(message, null, false, false);
        }
    }

    /** What strict decoding reports besides type errors: "unknown field \"spec.x\"", "duplicate field \"y\"". */
    public record Outcome(List<String> strictErrors) {}

    private final JsonTree tree;
    private final List<String> strict = new ArrayList<>();
    private String saved;

    private StrictDecoder(JsonTree tree) {
        this.tree = tree;
    }

    /**
     * @throws DecodeError for the first value the type cannot hold, worded as Go's decoder words it
     */
    public static Outcome decode(GoType type, JsonTree tree) {
        StrictDecoder decoder = new StrictDecoder(tree);
        decoder.value(type, tree.root(), null, "", "");
        if (decoder.saved != null) {
            throw new DecodeError(decoder.saved);
        }
        return new Outcome(List.copyOf(decoder.strict));
    }

    /**
     * @param struct the Go struct whose field holds the value (null at the top), for the error context
     * @param fields the struct field names from the top, dot-joined: Go's errorContext.FieldStack
     * @param path the strict-error path: field names, map keys and [indexes]
     */
    private void value(GoType type, JsonNode value, GoType.Struct struct, String fields, String path) {
        if (value.isNull()) {
            return; // Go leaves a zero value (or nil) for null, whatever the type
        }
        switch (type) {
            case GoType.Struct s -> {
                if (value instanceof ObjectNode object) {
                    structFields(s, object, fields, path);
                } else {
                    mismatch(kindOf(value), type, struct, fields);
                }
            }
            case GoType.MapOf m -> {
                if (value instanceof ObjectNode object) {
                    for (String key : tree.repeatedKeys(object)) {
                        strict.add("duplicate field \"" + join(path, key) + "\"");
                    }
                    for (Map.Entry<String, JsonNode> entry : object.properties()) {
                        value(m.value(), entry.getValue(), struct, fields, join(path, entry.getKey()));
                    }
                } else {
                    mismatch(kindOf(value), type, struct, fields);
                }
            }
            case GoType.Slice s -> {
                if (value instanceof ArrayNode array) {
                    for (int i = 0; i < array.size(); i++) {
                        value(s.element(), array.get(i), struct, fields, path + "[" + i + "]");
                    }
                } else {
                    mismatch(kindOf(value), type, struct, fields);
                }
            }
            case GoType.Scalar s -> scalar(s.kind(), value, struct, fields);
        }
    }

    private void structFields(GoType.Struct type, ObjectNode object, String fields, String path) {
        List<String> repeated = tree.repeatedKeys(object);
        for (Iterator<Map.Entry<String, JsonNode>> it = object.properties().iterator(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            String key = entry.getKey();
            GoType field = type.fields().get(key);
            if (field == null) {
                strict.add("unknown field \"" + join(path, key) + "\"");
                it.remove();
                continue;
            }
            if (repeated.contains(key)) {
                strict.add("duplicate field \"" + join(path, key) + "\"");
            }
            value(field, entry.getValue(), type, join(fields, key), join(path, key));
        }
    }

    private void scalar(GoType.Kind kind, JsonNode value, GoType.Struct struct, String fields) {
        switch (kind) {
            case ANY -> {}
            case STRING -> {
                if (!value.isTextual()) {
                    mismatch(kindOf(value), GoType.STRING, struct, fields);
                }
            }
            case BOOL -> {
                if (!value.isBoolean()) {
                    mismatch(kindOf(value), new GoType.Scalar(kind), struct, fields);
                }
            }
            case INT32, INT64, UINT8, FLOAT32, FLOAT64 -> {
                if (!value.isNumber()) {
                    mismatch(kindOf(value), new GoType.Scalar(kind), struct, fields);
                } else if (!fits(kind, value)) {
                    mismatch("number " + JsonTree.literal(value), new GoType.Scalar(kind), struct, fields);
                }
            }
            case BYTES -> {
                if (value.isTextual()) {
                    String error = GoText.base64Error(value.asText());
                    if (error != null) {
                        save(error);
                    }
                } else if (value instanceof ArrayNode array) {
                    array.forEach(b -> scalar(GoType.Kind.UINT8, b, struct, fields));
                } else {
                    mismatch(kindOf(value), new GoType.Scalar(kind), struct, fields);
                }
            }
            case TIME, MICRO_TIME -> {
                // metav1.Time's UnmarshalJSON: a string, then time.Parse; its errors end decoding at once
                if (!value.isTextual()) {
                    throw new DecodeError(typeError(kindOf(value), "string", struct, fields));
                }
                String error = GoText.timeError(value.asText(), kind == GoType.Kind.MICRO_TIME);
                if (error != null) {
                    throw new DecodeError(error);
                }
            }
            case INT_OR_STRING -> {
                // intstr's UnmarshalJSON: a string, else json.Unmarshal into an int32
                if (!value.isTextual() && (!value.isNumber() || !fits(GoType.Kind.INT32, value))) {
                    String found = value.isNumber() ? "number " + JsonTree.literal(value) : kindOf(value);
                    throw new DecodeError(typeError(found, "int32", struct, fields));
                }
            }
            case QUANTITY -> {
                // resource.Quantity's UnmarshalJSON parses the value's text, quotes removed
                String text = value.isTextual()
                        ? value.asText()
                        : value.isNumber() ? JsonTree.literal(value) : value.toString();
                try {
                    Quantity.parse(text.strip());
                } catch (IllegalArgumentException e) {
                    throw new DecodeError(e.getMessage());
                }
            }
        }
    }

    private static boolean fits(GoType.Kind kind, JsonNode number) {
        if (kind == GoType.Kind.FLOAT64 || kind == GoType.Kind.FLOAT32) {
            double d = number.decimalValue().doubleValue();
            return kind == GoType.Kind.FLOAT64 ? Double.isFinite(d) : Float.isFinite((float) d);
        }
        if (!number.isIntegralNumber()) {
            return false; // strconv.ParseInt refuses "1.5", "1e3" and "1.0" alike
        }
        BigInteger n = number.bigIntegerValue();
        return switch (kind) {
            case INT32 -> n.compareTo(INT32_MIN) >= 0 && n.compareTo(INT32_MAX) <= 0;
            case UINT8 -> n.signum() >= 0 && n.bitLength() <= 8;
            default -> n.compareTo(INT64_MIN) >= 0 && n.compareTo(INT64_MAX) <= 0;
        };
    }

    /** Go's UnmarshalTypeError: kept, and decoding goes on; the first one is reported. */
    private void mismatch(String found, GoType type, GoType.Struct struct, String fields) {
        save(typeError(found, type.name(), struct, fields));
    }

    private void save(String error) {
        if (saved == null) {
            saved = error;
        }
    }

    private static String typeError(String found, String type, GoType.Struct struct, String fields) {
        String into = struct == null && fields.isEmpty()
                ? " into Go value"
                : " into Go struct field " + (struct == null ? "" : struct.structName()) + "." + fields;
        return "json: cannot unmarshal " + found + into + " of type " + type;
    }

    /** How Go's decoder names a JSON value in its errors. */
    public static String kindOf(JsonNode value) {
        if (value.isTextual()) {
            return "string";
        }
        if (value.isNumber()) {
            return "number";
        }
        if (value.isBoolean()) {
            return "bool";
        }
        return value.isArray() ? "array" : "object";
    }

    private static String join(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }
}
