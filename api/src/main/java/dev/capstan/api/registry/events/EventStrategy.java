package dev.capstan.api.registry.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.registry.GcPolicy;
import dev.capstan.api.registry.ResourceType;
import dev.capstan.api.registry.Strategies;
import dev.capstan.api.registry.Strategy;
import dev.capstan.api.table.EventPrinter;
import dev.capstan.api.table.KindTable;
import dev.capstan.api.validation.Cause;
import dev.capstan.api.validation.EventsValidation;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** events.k8s.io/v1 Events, with that version's stricter rules (upstream pkg/registry/core/event, served at events.k8s.io/v1). */
public final class EventStrategy implements Strategy {
    private static final Map<String, Function<JsonNode, String>> FIELDS = Strategies.jsonPathFields(
            "reason",
            "type",
            "regarding.kind",
            "regarding.name",
            "regarding.namespace",
            "regarding.uid",
            "regarding.apiVersion",
            "regarding.resourceVersion",
            "regarding.fieldPath",
            "reportingController");

    public static ResourceType resource() {
        return ResourceType.define(
                        io.fabric8.kubernetes.api.model.events.v1.Event.class, "events.k8s.io", "v1", "Event", "events")
                .shortNames("ev")
                .build(new EventStrategy());
    }

    @Override
    public void prepareForCreate(ObjectNode object) {}

    @Override
    public void prepareForUpdate(ObjectNode object, ObjectNode old) {}

    @Override
    public List<Cause> validate(ObjectNode object) {
        return EventsValidation.validateEvent(object);
    }

    @Override
    public List<Cause> validateUpdate(ObjectNode object, ObjectNode old) {
        return EventsValidation.validateEventUpdate(object, old);
    }

    @Override
    public boolean allowCreateOnUpdate() {
        return true;
    }

    @Override
    public Map<String, Function<JsonNode, String>> fieldAttributes() {
        return FIELDS;
    }

    @Override
    public GcPolicy gcPolicy() {
        return GcPolicy.UNSUPPORTED;
    }

    @Override
    public KindTable table() {
        return EventPrinter.EVENTS_EVENT;
    }
}
