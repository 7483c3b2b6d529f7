package dev.capstan.api.registry.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.registry.ResourceType;
import dev.capstan.api.registry.Strategies;
import dev.capstan.api.registry.Strategy;
import dev.capstan.api.validation.Cause;
import dev.capstan.api.validation.Validators;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** core/v1 Events (upstream pkg/registry/core/event). */
public final class EventStrategy implements Strategy {
    private static final Map<String, Function<JsonNode, String>> FIELDS = withSource(Strategies.jsonPathFields("involvedObject.kind", "involvedObject.namespace", "involvedObject.name", "involvedObject.uid", "involvedObject.apiVersion", "involvedObject.resourceVersion", "involvedObject.fieldPath", "reason", "reportingComponent", "type"));

    /** Upstream's "source" field is the event source's component. */
    private static Map<String, Function<JsonNode, String>> withSource(Map<String, Function<JsonNode, String>> fields) {
        var all = new java.util.HashMap<>(fields);
        all.put("source", event -> event.path("source").path("component").asText(""));
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
        return Validators.metadata(object, null, Validators.NameRule.SUBDOMAIN);
    }

    @Override
    public List<Cause> validateUpdate(ObjectNode object, ObjectNode old) {
        return Validators.metadata(object, old, Validators.NameRule.SUBDOMAIN);
    }

    @Override
    public boolean allowCreateOnUpdate() {
        return true;
    }

    @Override
    public Map<String, Function<JsonNode, String>> fieldAttributes() {
        return FIELDS;
    }
}
