package dev.capstan.api.registry.core;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.registry.ObjectMetaRules;
import dev.capstan.api.registry.ResourceType;
import dev.capstan.api.registry.StatusStrategy;
import dev.capstan.api.registry.Strategy;
import dev.capstan.api.table.KindTable;
import dev.capstan.api.table.StoragePrinters;
import dev.capstan.api.validation.Cause;
import dev.capstan.api.validation.PersistentVolumeValidation;
import java.time.Clock;
import java.util.List;

/**
 * PersistentVolumes (upstream pkg/registry/core/persistentvolume): created Pending; a status write that changes the
 * phase stamps lastPhaseTransitionTime.
 */
public final class PersistentVolumeStrategy implements Strategy {
    private final Clock clock;
    private final StatusStrategy status = new StatusStrategy() {
        @Override
        public void prepareForUpdate(ObjectNode pv, ObjectNode old) {
            PersistentVolumeValidation.prepareForStatusUpdate(pv, old, now());
        }

        @Override
        public List<Cause> validateUpdate(ObjectNode pv, ObjectNode old) {
            return PersistentVolumeValidation.validatePersistentVolumeStatusUpdate(pv, old);
        }
    };

    PersistentVolumeStrategy(Clock clock) {
        this.clock = clock;
    }

    public static ResourceType resource(Clock clock) {
        return ResourceType.define(
                        io.fabric8.kubernetes.api.model.PersistentVolume.class,
                        "",
                        "v1",
                        "PersistentVolume",
                        "persistentvolumes")
                .shortNames("pv")
                .clusterScoped()
                .subresources("status")
                .build(new PersistentVolumeStrategy(clock));
    }

    private String now() {
        return ObjectMetaRules.timestamp(clock.instant());
    }

    @Override
    public void applyDefaults(ObjectNode pv) {
        PersistentVolumeValidation.defaultPersistentVolume(pv);
    }

    @Override
    public void prepareForCreate(ObjectNode pv) {
        PersistentVolumeValidation.prepareForCreate(pv, now());
    }

    @Override
    public void prepareForUpdate(ObjectNode pv, ObjectNode old) {
        PersistentVolumeValidation.prepareForUpdate(pv, old);
    }

    @Override
    public List<Cause> validate(ObjectNode pv) {
        return PersistentVolumeValidation.validatePersistentVolume(pv);
    }

    @Override
    public List<Cause> validateUpdate(ObjectNode pv, ObjectNode old) {
        return PersistentVolumeValidation.validatePersistentVolumeUpdate(pv, old);
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
        return StoragePrinters.PERSISTENT_VOLUME;
    }
}
