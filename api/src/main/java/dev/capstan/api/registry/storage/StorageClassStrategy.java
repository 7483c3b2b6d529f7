package dev.capstan.api.registry.storage;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.registry.ResourceType;
import dev.capstan.api.registry.Strategy;
import dev.capstan.api.table.KindTable;
import dev.capstan.api.table.StoragePrinters;
import dev.capstan.api.validation.Cause;
import dev.capstan.api.validation.StorageValidation;
import java.util.List;

/** StorageClasses (upstream pkg/registry/storage/storageclass). */
public final class StorageClassStrategy implements Strategy {
    public static ResourceType resource() {
        return ResourceType.define(
                        io.fabric8.kubernetes.api.model.storage.StorageClass.class,
                        "storage.k8s.io",
                        "v1",
                        "StorageClass",
                        "storageclasses")
                .shortNames("sc")
                .clusterScoped()
                .build(new StorageClassStrategy());
    }

    @Override
    public void applyDefaults(ObjectNode object) {
        StorageValidation.defaultStorageClass(object);
    }

    @Override
    public void prepareForCreate(ObjectNode object) {}

    @Override
    public void prepareForUpdate(ObjectNode object, ObjectNode old) {}

    @Override
    public List<Cause> validate(ObjectNode object) {
        return StorageValidation.validateStorageClass(object);
    }

    @Override
    public List<Cause> validateUpdate(ObjectNode object, ObjectNode old) {
        return StorageValidation.validateStorageClassUpdate(object, old);
    }

    @Override
    public boolean returnsDeletedObject() {
        return true;
    }

    @Override
    public KindTable table() {
        return StoragePrinters.STORAGE_CLASS;
    }
}
