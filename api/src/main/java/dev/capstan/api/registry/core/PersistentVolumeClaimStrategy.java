package dev.capstan.api.registry.core;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.registry.ResourceType;
import dev.capstan.api.registry.StatusRules;
import dev.capstan.api.registry.StatusStrategy;
import dev.capstan.api.registry.Strategy;
import dev.capstan.api.table.KindTable;
import dev.capstan.api.table.StoragePrinters;
import dev.capstan.api.validation.Cause;
import dev.capstan.api.validation.PersistentVolumeClaimValidation;
import java.util.List;

/**
 * PersistentVolumeClaims (upstream pkg/registry/core/persistentvolumeclaim): the status is the binder's; data
 * sources are normalised on every write.
 */
public final class PersistentVolumeClaimStrategy implements Strategy {
    private final StatusStrategy status = new StatusRules(
            PersistentVolumeClaimValidation::prepareForStatusUpdate,
            PersistentVolumeClaimValidation::validatePersistentVolumeClaimStatusUpdate);

    public static ResourceType resource() {
        return ResourceType.define(
                        io.fabric8.kubernetes.api.model.PersistentVolumeClaim.class,
                        "",
                        "v1",
                        "PersistentVolumeClaim",
                        "persistentvolumeclaims")
                .shortNames("pvc")
                .subresources("status")
                .build(new PersistentVolumeClaimStrategy());
    }

    @Override
    public void applyDefaults(ObjectNode pvc) {
        PersistentVolumeClaimValidation.defaultPersistentVolumeClaim(pvc);
    }

    @Override
    public void prepareForCreate(ObjectNode pvc) {
        PersistentVolumeClaimValidation.prepareForCreate(pvc);
    }

    @Override
    public void prepareForUpdate(ObjectNode pvc, ObjectNode old) {
        PersistentVolumeClaimValidation.prepareForUpdate(pvc, old);
    }

    @Override
    public List<Cause> validate(ObjectNode pvc) {
        return PersistentVolumeClaimValidation.validatePersistentVolumeClaim(pvc);
    }

    @Override
    public List<Cause> validateUpdate(ObjectNode pvc, ObjectNode old) {
        return PersistentVolumeClaimValidation.validatePersistentVolumeClaimUpdate(pvc, old);
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
        return StoragePrinters.PERSISTENT_VOLUME_CLAIM;
    }
}
