package dev.capstan.api.registry.core;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.registry.ResourceType;
import dev.capstan.api.registry.Strategy;
import dev.capstan.api.table.CorePrinters;
import dev.capstan.api.table.KindTable;
import dev.capstan.api.validation.Cause;
import dev.capstan.api.validation.Validators;
import java.util.List;

/** ConfigMaps (upstream pkg/registry/core/configmap/strategy.go): no status, no generation. */
public final class ConfigMapStrategy implements Strategy {
    public static ResourceType resource() {
        return ResourceType.define(io.fabric8.kubernetes.api.model.ConfigMap.class, "", "v1", "ConfigMap", "configmaps")
                .shortNames("cm")
                .build(new ConfigMapStrategy());
    }

    @Override
    public void prepareForCreate(ObjectNode cm) {}

    @Override
    public void prepareForUpdate(ObjectNode cm, ObjectNode old) {}

    @Override
    public List<Cause> validate(ObjectNode cm) {
        return Validators.configMap(cm, null);
    }

    @Override
    public List<Cause> validateUpdate(ObjectNode cm, ObjectNode old) {
        return Validators.configMap(cm, old);
    }

    @Override
    public KindTable table() {
        return CorePrinters.CONFIG_MAP;
    }
}
