package dev.capstan.api.registry.core;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.registry.ResourceType;
import dev.capstan.api.registry.Strategy;
import dev.capstan.api.table.CorePrinters;
import dev.capstan.api.table.KindTable;
import dev.capstan.api.validation.Cause;
import dev.capstan.api.validation.EndpointsValidation;
import java.util.List;

/** Endpoints (upstream pkg/registry/core/endpoint): created by a PUT as well, as its controller writes them. */
public final class EndpointsStrategy implements Strategy {
    public static ResourceType resource() {
        return ResourceType.define(io.fabric8.kubernetes.api.model.Endpoints.class, "", "v1", "Endpoints", "endpoints")
                .shortNames("ep")
                .build(new EndpointsStrategy());
    }

    @Override
    public void applyDefaults(ObjectNode endpoints) {
        EndpointsValidation.defaultEndpoints(endpoints);
    }

    @Override
    public void prepareForCreate(ObjectNode endpoints) {}

    @Override
    public void prepareForUpdate(ObjectNode endpoints, ObjectNode old) {}

    @Override
    public List<Cause> validate(ObjectNode endpoints) {
        return EndpointsValidation.validateEndpoints(endpoints);
    }

    @Override
    public List<Cause> validateUpdate(ObjectNode endpoints, ObjectNode old) {
        return EndpointsValidation.validateEndpointsUpdate(endpoints, old);
    }

    @Override
    public boolean allowCreateOnUpdate() {
        return true;
    }

    @Override
    public KindTable table() {
        return CorePrinters.ENDPOINTS;
    }
}
