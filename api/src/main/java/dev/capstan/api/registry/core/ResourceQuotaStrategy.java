package dev.capstan.api.registry.core;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.registry.ResourceType;
import dev.capstan.api.registry.StatusRules;
import dev.capstan.api.registry.StatusStrategy;
import dev.capstan.api.registry.Strategies;
import dev.capstan.api.registry.Strategy;
import dev.capstan.api.validation.Cause;
import dev.capstan.api.validation.Validators;
import java.util.List;

/** ResourceQuotas (upstream pkg/registry/core/resourcequota). */
public final class ResourceQuotaStrategy implements Strategy {
    private final StatusStrategy status = new StatusRules((object, old) -> Validators.metadata(object, old, Validators.NameRule.SUBDOMAIN));

    public static ResourceType resource() {
        return ResourceType.define(io.fabric8.kubernetes.api.model.ResourceQuota.class, "", "v1", "ResourceQuota", "resourcequotas")
                .shortNames("quota")
                .subresources("status")
                .build(new ResourceQuotaStrategy());
    }

    @Override
    public void prepareForCreate(ObjectNode object) {
        Strategies.resetStatus(object);
    }

    @Override
    public void prepareForUpdate(ObjectNode object, ObjectNode old) {
        Strategies.keepStatus(object, old);
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
    public StatusStrategy status() {
        return status;
    }
}
