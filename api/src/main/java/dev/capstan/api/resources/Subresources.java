package dev.capstan.api.resources;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.ApiException;
import dev.capstan.api.Json;
import dev.capstan.api.patch.Patches;
import dev.capstan.api.registry.ResourceType;
import dev.capstan.api.validation.Cause;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The {@code scale}, {@code binding} and namespace {@code finalize} subresources. */
public final class Subresources {
    private final ResourceService resources;

    public Subresources(ResourceService resources) {
        this.resources = resources;
    }

    /** The autoscaling/v1 Scale of a workload. */
    public ObjectNode getScale(ResourceType type, String namespace, String name) {
        return scaleOf(resources.get(type, namespace, name));
    }

    public ObjectNode updateScale(ResourceType type, String namespace, String name, ObjectNode scale) {
        JsonNode replicas = scale.path("spec").path("replicas");
        if (!replicas.isIntegralNumber() || replicas.asInt() < 0) {
            throw ApiException.invalid(
                    scaleType(type),
                    name,
                    List.of(new Cause(
                            "FieldValueInvalid",
                            "Invalid value: " + replicas + ": must be greater than or equal to 0",
                            "spec.replicas")));
        }
        String rv = Json.metadata(scale).path("resourceVersion").asText("");
        long pinned = rv.isEmpty() ? 0 : Long.parseLong(rv);
        ObjectNode updated = resources.readModifyWrite(type, namespace, name, pinned, current -> {
            ObjectNode next = current.deepCopy();
            next.withObjectProperty("spec").put("replicas", replicas.asInt());
            if (ObjectMeta.specChanged(current, next)) {
                ObjectNode meta = Json.metadata(next);
                meta.put("generation", meta.path("generation").asLong(1) + 1);
            }
            return next;
        });
        return scaleOf(updated);
    }

    public ObjectNode patchScale(ResourceType type, String namespace, String name, String contentType, byte[] body) {
        ObjectNode patched = Patches.apply(contentType, getScale(type, namespace, name), body);
        return updateScale(type, namespace, name, patched);
    }

    /** Binds a pod to a node, once: a bound pod stays where it is. */
    public void bind(ResourceType pods, String namespace, String name, ObjectNode binding) {
        String node = binding.path("target").path("name").asText("");
        if (node.isEmpty()) {
            throw ApiException.invalid(
                    pods, name, List.of(new Cause("FieldValueRequired", "Required value", "target.name")));
        }
        resources.readModifyWrite(pods, namespace, name, 0, current -> {
            String bound = current.path("spec").path("nodeName").asText("");
            if (!bound.isEmpty()) {
                throw ApiException.conflict(
                        pods, name, "pod " + name + " is already assigned to node \"" + bound + "\"");
            }
            if (ObjectMeta.isBeingDeleted(current)) {
                throw ApiException.conflict(pods, name, "pod " + name + " is being deleted, cannot be assigned");
            }
            ObjectNode next = current.deepCopy();
            next.withObjectProperty("spec").put("nodeName", node);
            return next;
        });
    }

    /** PUT {@code namespaces/NAME/finalize}: only spec.finalizers changes. */
    public ObjectNode finalizeNamespace(ResourceType namespaces, String name, ObjectNode body) {
        JsonNode finalizers = body.path("spec").path("finalizers");
        return resources.readModifyWrite(namespaces, null, name, 0, current -> {
            ObjectNode next = current.deepCopy();
            ArrayNode list = next.withObjectProperty("spec").putArray("finalizers");
            finalizers.forEach(list::add);
            return next;
        });
    }

    private static ObjectNode scaleOf(ObjectNode object) {
        ObjectNode scale = Json.object().put("kind", "Scale").put("apiVersion", "autoscaling/v1");
        ObjectNode meta = scale.putObject("metadata");
        ObjectNode from = Json.metadata(object);
        for (String field : List.of("name", "namespace", "uid", "resourceVersion", "creationTimestamp")) {
            if (from.has(field)) {
                meta.set(field, from.get(field));
            }
        }
        scale.putObject("spec")
                .put("replicas", object.path("spec").path("replicas").asInt(0));
        ObjectNode status = scale.putObject("status")
                .put("replicas", object.path("status").path("replicas").asInt(0));
        status.put("selector", selectorString(object.path("spec").path("selector")));
        return scale;
    }

    /** A label selector in its string form, as the Scale subresource reports it. */
    static String selectorString(JsonNode selector) {
        Map<String, String> labels = new java.util.TreeMap<>();
        selector.path("matchLabels")
                .properties()
                .forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
        String equality = labels.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(","));
        StringBuilder out = new StringBuilder(equality);
        for (JsonNode expr : selector.path("matchExpressions")) {
            String key = expr.path("key").asText();
            List<String> values = new java.util.ArrayList<>();
            expr.path("values").forEach(v -> values.add(v.asText()));
            String requirement = switch (expr.path("operator").asText()) {
                case "In" -> key + " in (" + String.join(",", values) + ")";
                case "NotIn" -> key + " notin (" + String.join(",", values) + ")";
                case "Exists" -> key;
                default -> "!" + key;
            };
            out.append(out.isEmpty() ? "" : ",").append(requirement);
        }
        return out.toString();
    }

    private static ResourceType scaleType(ResourceType parent) {
        return new ResourceType(
                "autoscaling",
                "v1",
                "Scale",
                parent.plural(),
                List.of(),
                true,
                java.util.Set.of(),
                List.of(),
                "autoscaling",
                java.util.Set.of(),
                io.fabric8.kubernetes.api.model.autoscaling.v1.Scale.class);
    }
}
