package dev.capstan.api.registry.networking;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.registry.ResourceType;
import dev.capstan.api.registry.StatusRules;
import dev.capstan.api.registry.StatusStrategy;
import dev.capstan.api.registry.Strategy;
import dev.capstan.api.table.KindTable;
import dev.capstan.api.table.NetworkingPrinters;
import dev.capstan.api.validation.Cause;
import dev.capstan.api.validation.IngressValidation;
import java.util.List;

/** Ingresses (upstream pkg/registry/networking/ingress). */
public final class IngressStrategy implements Strategy {
    private final StatusStrategy status =
            new StatusRules(IngressValidation::prepareForStatusUpdate, IngressValidation::validateIngressStatusUpdate);

    public static ResourceType resource() {
        return ResourceType.define(
                        io.fabric8.kubernetes.api.model.networking.v1.Ingress.class,
                        "networking.k8s.io",
                        "v1",
                        "Ingress",
                        "ingresses")
                .shortNames("ing")
                .subresources("status")
                .build(new IngressStrategy());
    }

    @Override
    public void prepareForCreate(ObjectNode object) {
        IngressValidation.prepareForCreate(object);
    }

    @Override
    public void prepareForUpdate(ObjectNode object, ObjectNode old) {
        IngressValidation.prepareForUpdate(object, old);
    }

    @Override
    public List<Cause> validate(ObjectNode object) {
        return IngressValidation.validateIngress(object);
    }

    @Override
    public List<Cause> validateUpdate(ObjectNode object, ObjectNode old) {
        return IngressValidation.validateIngressUpdate(object, old);
    }

    @Override
    public StatusStrategy status() {
        return status;
    }

    @Override
    public KindTable table() {
        return NetworkingPrinters.INGRESS;
    }
}
