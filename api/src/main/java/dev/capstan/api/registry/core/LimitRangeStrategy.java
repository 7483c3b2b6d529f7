package dev.capstan.api.registry.core;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.Json;
import dev.capstan.api.registry.ResourceType;
import dev.capstan.api.registry.Strategy;
import dev.capstan.api.table.CorePrinters;
import dev.capstan.api.table.KindTable;
import dev.capstan.api.validation.Cause;
import dev.capstan.api.validation.LimitRangeValidation;
import java.util.List;
import java.util.UUID;

/** LimitRanges (upstream pkg/registry/core/limitrange): one created without a name gets a random one. */
public final class LimitRangeStrategy implements Strategy {
    public static ResourceType resource() {
        return ResourceType.define(
                        io.fabric8.kubernetes.api.model.LimitRange.class, "", "v1", "LimitRange", "limitranges")
                .shortNames("limits")
                .build(new LimitRangeStrategy());
    }

    @Override
    public void applyDefaults(ObjectNode limitRange) {
        LimitRangeValidation.defaultLimitRange(limitRange);
    }

    @Override
    public void prepareForCreate(ObjectNode limitRange) {
        ObjectNode meta = Json.metadata(limitRange);
        if (meta.path("name").asText("").isEmpty()) {
            meta.put("name", UUID.randomUUID().toString());
        }
    }

    @Override
    public void prepareForUpdate(ObjectNode limitRange, ObjectNode old) {}

    @Override
    public List<Cause> validate(ObjectNode limitRange) {
        return LimitRangeValidation.validateLimitRange(limitRange);
    }

    @Override
    public List<Cause> validateUpdate(ObjectNode limitRange, ObjectNode old) {
        return LimitRangeValidation.validateLimitRangeUpdate(limitRange, old);
    }

    @Override
    public boolean allowCreateOnUpdate() {
        return true;
    }

    @Override
    public KindTable table() {
        return CorePrinters.LIMIT_RANGE;
    }
}
