package dev.capstan.api.registry.discovery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.registry.ObjectMetaRules;
import dev.capstan.api.registry.ResourceType;
import dev.capstan.api.registry.Strategies;
import dev.capstan.api.registry.Strategy;
import dev.capstan.api.validation.Cause;
import dev.capstan.api.validation.Validators;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** EndpointSlices (upstream pkg/registry/discovery/endpointslice). */
public final class EndpointSliceStrategy implements Strategy {
    private static final Map<String, Function<JsonNode, String>> FIELDS =
            Strategies.jsonPathFields("addressType");

    public static ResourceType resource() {
        return ResourceType.define(io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice.class, "discovery.k8s.io", "v1", "EndpointSlice", "endpointslices")
                .build(new EndpointSliceStrategy());
    }

    @Override
    public void prepareForCreate(ObjectNode object) {
        ObjectMetaRules.initGeneration(object);
    }

    @Override
    public void prepareForUpdate(ObjectNode object, ObjectNode old) {
        ObjectMetaRules.bumpGenerationOnSpecChange(object, old);
    }

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
