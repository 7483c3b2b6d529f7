package dev.capstan.api.registry.coordination;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.registry.ResourceType;
import dev.capstan.api.registry.Strategy;
import dev.capstan.api.validation.Cause;
import dev.capstan.api.validation.Validators;
import java.util.List;

/** Leases (upstream pkg/registry/coordination/lease). */
public final class LeaseStrategy implements Strategy {
    public static ResourceType resource() {
        return ResourceType.define(io.fabric8.kubernetes.api.model.coordination.v1.Lease.class, "coordination.k8s.io", "v1", "Lease", "leases")
                .build(new LeaseStrategy());
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
}
