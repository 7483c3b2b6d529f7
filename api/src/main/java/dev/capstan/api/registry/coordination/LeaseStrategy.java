package dev.capstan.api.registry.coordination;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.registry.ResourceType;
import dev.capstan.api.registry.Strategy;
import dev.capstan.api.table.ClusterPrinters;
import dev.capstan.api.table.KindTable;
import dev.capstan.api.validation.Cause;
import dev.capstan.api.validation.CoordinationValidation;
import java.util.List;

/** Leases: a PUT creates a missing one but must name the resourceVersion of an existing one, as leader election relies on (upstream pkg/registry/coordination/lease). */
public final class LeaseStrategy implements Strategy {
    public static ResourceType resource() {
        return ResourceType.define(
                        io.fabric8.kubernetes.api.model.coordination.v1.Lease.class,
                        "coordination.k8s.io",
                        "v1",
                        "Lease",
                        "leases")
                .build(new LeaseStrategy());
    }

    @Override
    public void prepareForCreate(ObjectNode object) {
        CoordinationValidation.prepareForCreate(object);
    }

    @Override
    public void prepareForUpdate(ObjectNode object, ObjectNode old) {
        CoordinationValidation.prepareForUpdate(object, old);
    }

    @Override
    public List<Cause> validate(ObjectNode object) {
        return CoordinationValidation.validateLease(object);
    }

    @Override
    public List<Cause> validateUpdate(ObjectNode object, ObjectNode old) {
        return CoordinationValidation.validateLeaseUpdate(object, old);
    }

    @Override
    public boolean allowCreateOnUpdate() {
        return true;
    }

    /** A PUT must name the resourceVersion it replaces. */
    @Override
    public boolean allowUnconditionalUpdate() {
        return false;
    }

    @Override
    public KindTable table() {
        return ClusterPrinters.LEASE;
    }
}
