package dev.capstan.api.openapi;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.model.json.KubeJson;
import io.fabric8.kubernetes.api.model.Duration;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.MicroTime;
import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.temporal.Temporal;
import java.util.ArrayDeque;
import java.util.Date;
import java.util.Deque;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds {@code components.schemas} entries from fabric8 model classes. The JSON names and types come from
 * Jackson's own view of the class (so they match what the server decodes); the facts fabric8 does not carry
 * (date-time fields, patch and list extensions) come from {@link TimeFields} and {@link PatchExtensions}.
 */
final class SchemaGenerator {
    // introspection only; the one mapper's bean configuration is what serialises these types
    private static final ObjectMapper MAPPER = KubeJson.MAPPER;

    private final Map<String, ObjectNode> schemas = new TreeMap<>();
    private final Deque<Class<?>> pending = new ArrayDeque<>();

    /** Adds the schema of a model class and of every type reachable from it; returns its component name. */
    String add(Class<?> modelClass) {
        String name = SchemaNames.of(modelClass);
        if (name == null) {
            throw new IllegalArgumentException(modelClass.getName() + " is not a fabric8 model class");
        }
        enqueue(modelClass, name);
        while (!pending.isEmpty()) {
            Class<?> next = pending.pop();
            String nextName = SchemaNames.of(next);
            schemas.put(nextName, objectSchema(next, nextName));
        }
        return name;
    }

    /** Adds a schema built elsewhere (list kinds), replacing any of that name. */
    void put(String name, ObjectNode schema) {
        schemas.put(name, schema);
    }

    ObjectNode get(String name) {
        return schemas.get(name);
    }

    /** All schemas, sorted by name. */
    ObjectNode toNode() {
        ObjectNode node = Nodes.object();
        schemas.forEach(node::set);
        return node;
    }

    private void enqueue(Class<?> type, String name) {
        if (!schemas.containsKey(name)) {
            // a placeholder marks it as seen, so cycles and repeats are generated once
            schemas.put(name, Nodes.object());
            pending.push(type);
        }
    }

    private ObjectNode objectSchema(Class<?> type, String name) {
        ObjectNode properties = Nodes.object();
        BeanDescription description = MAPPER.getDeserializationConfig().introspect(MAPPER.constructType(type));
        for (BeanPropertyDefinition property : description.findProperties()) {
            // additionalProperties is fabric8's catch-all for unknown fields (@JsonIgnore + @JsonAnySetter)
            if (!property.couldDeserialize() || property.getName().equals("additionalProperties")) {
                continue;
            }
            properties.set(property.getName(), propertySchema(name, property.getName(), property.getPrimaryType()));
        }
        ObjectNode schema = Nodes.object();
        if (!properties.isEmpty()) {
            schema.set("properties", properties);
        }
        schema.put("type", "object");
        String mapType = PatchExtensions.mapType(name);
        if (mapType != null) {
            schema.put("x-kubernetes-map-type", mapType);
        }
        return schema;
    }

    private ObjectNode propertySchema(String owner, String field, JavaType type) {
        String time = TimeFields.of(owner, field);
        ObjectNode schema;
        if (time != null && (type.hasRawClass(String.class) || isDateTime(type.getRawClass()))) {
            schema = named(time, scalar("string", "date-time"));
        } else {
            schema = typeSchema(type);
        }
        if (schema.has("$ref")) {
            // upstream wraps property references in allOf, so siblings (description, extensions) are legal
            ObjectNode wrapped = Nodes.object();
            wrapped.putArray("allOf").add(schema);
            schema = wrapped;
        }
        PatchExtensions.Field extensions = PatchExtensions.field(owner, field);
        if (extensions != null) {
            extensions.applyTo(schema);
        }
        return schema;
    }

    /** The schema of a value of the given type: inline for scalars and containers, a reference for models. */
    private ObjectNode typeSchema(JavaType type) {
        Class<?> raw = type.getRawClass();
        if (type.isArrayType() && raw.getComponentType() == byte.class) {
            return scalar("string", "byte");
        }
        if (type.isCollectionLikeType() || type.isArrayType()) {
            ObjectNode schema = Nodes.object();
            schema.set("items", typeSchema(type.getContentType()));
            return schema.put("type", "array");
        }
        if (type.isMapLikeType()) {
            ObjectNode schema = Nodes.object();
            JavaType values = type.getContentType();
            if (!values.hasRawClass(Object.class)) {
                schema.set("additionalProperties", typeSchema(values));
            }
            return schema.put("type", "object");
        }
        ObjectNode scalar = scalarSchema(raw);
        if (scalar != null) {
            return scalar;
        }
        if (raw == Quantity.class) {
            return named(SchemaNames.QUANTITY, oneOf("string", "number"));
        }
        if (raw == IntOrString.class) {
            return named(SchemaNames.INT_OR_STRING, oneOf("integer", "string").put("format", "int-or-string"));
        }
        if (raw == Duration.class) {
            return scalar("string", null); // upstream inlines metav1.Duration as its string form
        }
        if (raw == MicroTime.class) {
            return named(SchemaNames.MICRO_TIME, scalar("string", "date-time"));
        }
        if (isDateTime(raw)) {
            return named(SchemaNames.TIME, scalar("string", "date-time"));
        }
        String name = SchemaNames.of(raw);
        if (name == null
                || raw.isInterface()
                || raw == Object.class
                || raw == KubernetesResource.class
                || JsonNode.class.isAssignableFrom(raw)) {
            // embedded objects of any kind (ControllerRevision.data, WatchEvent.object)
            return named(SchemaNames.RAW_EXTENSION, Nodes.object().put("type", "object"));
        }
        enqueue(raw, name);
        return Nodes.ref(name);
    }

    private ObjectNode named(String name, ObjectNode schema) {
        schemas.putIfAbsent(name, schema);
        return Nodes.ref(name);
    }

    private static ObjectNode scalarSchema(Class<?> raw) {
        if (raw == String.class || raw == Character.class || raw == char.class || raw.isEnum()) {
            return scalar("string", null);
        }
        if (raw == Integer.class || raw == int.class || raw == Short.class || raw == short.class) {
            return scalar("integer", "int32");
        }
        if (raw == Long.class || raw == long.class || raw == BigInteger.class) {
            return scalar("integer", "int64");
        }
        if (raw == Boolean.class || raw == boolean.class) {
            return scalar("boolean", null);
        }
        if (raw == Double.class || raw == double.class) {
            return scalar("number", "double");
        }
        if (raw == Float.class || raw == float.class) {
            return scalar("number", "float");
        }
        if (raw == BigDecimal.class || raw == Number.class) {
            return scalar("number", null);
        }
        return null;
    }

    private static ObjectNode scalar(String type, String format) {
        ObjectNode schema = Nodes.object();
        if (format != null) {
            schema.put("format", format);
        }
        return schema.put("type", type);
    }

    private static ObjectNode oneOf(String... types) {
        ObjectNode schema = Nodes.object();
        ArrayNode oneOf = schema.putArray("oneOf");
        for (String type : types) {
            oneOf.addObject().put("type", type);
        }
        return schema;
    }

    private static boolean isDateTime(Class<?> raw) {
        return Temporal.class.isAssignableFrom(raw) || Date.class.isAssignableFrom(raw);
    }
}
