package dev.capstan.api.registry.discovery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.registry.ResourceType;
import dev.capstan.api.registry.Strategies;
import dev.capstan.api.registry.Strategy;
import dev.capstan.api.table.KindTable;
import dev.capstan.api.table.NetworkingPrinters;
import dev.capstan.api.validation.Cause;
import dev.capstan.api.validation.DiscoveryValidation;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** EndpointSlices: generation counts changes of anything but metadata, and of labels (upstream pkg/registry/discovery/endpointslice). */
public final class EndpointSliceStrategy implements Strategy {
    private static final Map<String, Function<JsonNode, String>> FIELDS = Strategies.jsonPathFields("addressType");

    public static ResourceType resource() {
        return ResourceType.define(
                        io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice.class,
                        "discovery.k8s.io",
                        "v1",
                        "EndpointSlice",
                        "endpointslices")
                .build(new EndpointSliceStrategy());
    }

    @Override
    public void applyDefaults(ObjectNode object) {
        DiscoveryValidation.defaultEndpointSlice(object);
    }

    @Override
    public void prepareForCreate(ObjectNode object) {
        DiscoveryValidation.prepareForCreate(object);
    }

    @Override
    public void prepareForUpdate(ObjectNode object, ObjectNode old) {
        DiscoveryValidation.prepareForUpdate(object, old);
    }

    @Override
    public List<Cause> validate(ObjectNode object) {
        return DiscoveryValidation.validateEndpointSlice(object);
    }

    @Override
    public List<Cause> validateUpdate(ObjectNode object, ObjectNode old) {
        return DiscoveryValidation.validateEndpointSliceUpdate(object, old);
    }

    @Override
    public Map<String, Function<JsonNode, String>> fieldAttributes() {
        return FIELDS;
    }

    @Override
    public KindTable table() {
        return NetworkingPrinters.ENDPOINT_SLICE;
    }
}
