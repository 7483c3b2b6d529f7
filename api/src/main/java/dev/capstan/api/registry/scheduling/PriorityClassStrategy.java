package dev.capstan.api.registry.scheduling;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.registry.ResourceType;
import dev.capstan.api.registry.Strategy;
import dev.capstan.api.validation.Cause;
import dev.capstan.api.validation.Validators;
import java.util.List;

/** PriorityClasses (upstream pkg/registry/scheduling/priorityclass). */
public final class PriorityClassStrategy implements Strategy {
    public static ResourceType resource() {
        return ResourceType.define(io.fabric8.kubernetes.api.model.scheduling.v1.PriorityClass.class, "scheduling.k8s.io", "v1", "PriorityClass", "priorityclasses")
                .shortNames("pc")
                .clusterScoped()
                .build(new PriorityClassStrategy());
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
}
