package dev.capstan.api.registry.core;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.registry.ResourceType;
import dev.capstan.api.registry.StatusRules;
import dev.capstan.api.registry.StatusStrategy;
import dev.capstan.api.registry.Strategy;
import dev.capstan.api.table.CorePrinters;
import dev.capstan.api.table.KindTable;
import dev.capstan.api.validation.Cause;
import dev.capstan.api.validation.ResourceQuotaValidation;
import java.util.List;

/** ResourceQuotas (upstream pkg/registry/core/resourcequota): status is the quota controller's, via /status. */
public final class ResourceQuotaStrategy implements Strategy {
    private final StatusStrategy status = new StatusRules(
            ResourceQuotaValidation::prepareForStatusUpdate,
            ResourceQuotaValidation::validateResourceQuotaStatusUpdate);

    public static ResourceType resource() {
        return ResourceType.define(
                        io.fabric8.kubernetes.api.model.ResourceQuota.class,
                        "",
                        "v1",
                        "ResourceQuota",
                        "resourcequotas")
                .shortNames("quota")
                .subresources("status")
                .build(new ResourceQuotaStrategy());
    }

    @Override
    public void applyDefaults(ObjectNode quota) {
        ResourceQuotaValidation.defaultResourceQuota(quota);
    }

    @Override
    public void prepareForCreate(ObjectNode quota) {
        ResourceQuotaValidation.prepareForCreate(quota);
        quota.putObject("status");
    }

    @Override
    public void prepareForUpdate(ObjectNode quota, ObjectNode old) {
        ResourceQuotaValidation.prepareForUpdate(quota, old);
    }

    @Override
    public List<Cause> validate(ObjectNode quota) {
        return ResourceQuotaValidation.validateResourceQuota(quota);
    }

    @Override
    public List<Cause> validateUpdate(ObjectNode quota, ObjectNode old) {
        return ResourceQuotaValidation.validateResourceQuotaUpdate(quota, old);
    }

    @Override
    public StatusStrategy status() {
        return status;
    }

    @Override
    public boolean returnsDeletedObject() {
        return true;
    }

    @Override
    public KindTable table() {
        return CorePrinters.RESOURCE_QUOTA;
    }
}
