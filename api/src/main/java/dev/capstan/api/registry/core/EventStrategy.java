package dev.capstan.api.registry.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.registry.GcPolicy;
import dev.capstan.api.registry.ResourceType;
import dev.capstan.api.registry.Strategies;
import dev.capstan.api.registry.Strategy;
import dev.capstan.api.table.EventPrinter;
import dev.capstan.api.table.KindTable;
import dev.capstan.api.validation.Cause;
import dev.capstan.api.validation.EventValidation;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** core/v1 Events (upstream pkg/registry/core/event). */
public final class EventStrategy implements Strategy {
    private static final Map<String, Function<JsonNode, String>> FIELDS = withSource(Strategies.jsonPathFields(
            "involvedObject.kind",
            "involvedObject.namespace",
            "involvedObject.name",
            "involvedObject.uid",
            "involvedObject.apiVersion",
            "involvedObject.resourceVersion",
            "involvedObject.fieldPath",
            "reason",
            "reportingComponent",
            "type"));

    /** Upstream's "source" field is the event source's component, or else its reporting controller. */
    private static Map<String, Function<JsonNode, String>> withSource(Map<String, Function<JsonNode, String>> fields) {
        var all = new java.util.HashMap<>(fields);
        all.put("source", event -> {
            String component = event.path("source").path("component").asText("");
            return component.isEmpty() ? event.path("reportingComponent").asText("") : component;
        });
        all.put("reportingComponent", event -> event.path("reportingComponent").asText(""));
        return Map.copyOf(all);
    }

    public static ResourceType resource() {
        return ResourceType.define(io.fabric8.kubernetes.api.model.Event.class, "", "v1", "Event", "events")
                .shortNames("ev")
                .build(new EventStrategy());
    }

    @Override
    public void prepareForCreate(ObjectNode object) {}

    @Override
    public void prepareForUpdate(ObjectNode object, ObjectNode old) {}

    @Override
    public List<Cause> validate(ObjectNode object) {
        return EventValidation.validateEvent(object);
    }

    @Override
    public List<Cause> validateUpdate(ObjectNode object, ObjectNode old) {
        return EventValidation.validateEventUpdate(object, old);
    }

    @Override
    public boolean allowCreateOnUpdate() {
        return true;
    }

    @Override
    public Map<String, Function<JsonNode, String>> fieldAttributes() {
        return FIELDS;
    }

    /** Events take no part in garbage collection: no deletion finalizers are ever set on them. */
    @Override
    public GcPolicy gcPolicy() {
        return GcPolicy.UNSUPPORTED;
    }

    @Override
    public KindTable table() {
        return EventPrinter.CORE_EVENT;
    }
}
