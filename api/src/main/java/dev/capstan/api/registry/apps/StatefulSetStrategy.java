package dev.capstan.api.registry.apps;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.registry.ObjectMetaRules;
import dev.capstan.api.registry.ResourceType;
import dev.capstan.api.registry.StatusStrategy;
import dev.capstan.api.registry.Strategies;
import dev.capstan.api.registry.Strategy;
import dev.capstan.api.table.AppsPrinters;
import dev.capstan.api.table.KindTable;
import dev.capstan.api.validation.AppsValidation;
import dev.capstan.api.validation.Cause;
import dev.capstan.api.validation.Defaulting;
import dev.capstan.api.validation.Prepare;
import dev.capstan.api.validation.Validators;
import java.util.List;

/** StatefulSets (upstream pkg/registry/apps/statefulset): status through its subresource, generation counting spec changes. */
public final class StatefulSetStrategy implements Strategy {
    private final StatusStrategy status = new StatusStrategy() {
        @Override
        public List<Cause> validateUpdate(ObjectNode object, ObjectNode old) {
            return AppsValidation.validateStatefulSetStatusUpdate(object, old);
        }
    };

    public static ResourceType resource() {
        return ResourceType.define(
                        io.fabric8.kubernetes.api.model.apps.StatefulSet.class,
                        "apps",
                        "v1",
                        "StatefulSet",
                        "statefulsets")
                .shortNames("sts")
                .subresources("status", "scale")
                .categories("all")
                .build(new StatefulSetStrategy());
    }

    @Override
    public void applyDefaults(ObjectNode object) {
        Defaulting.statefulSet(object);
    }

    @Override
    public void prepareForCreate(ObjectNode object) {
        Strategies.resetStatus(object);
        Prepare.statefulSet(object, null);
        ObjectMetaRules.initGeneration(object);
    }

    @Override
    public void prepareForUpdate(ObjectNode object, ObjectNode old) {
        Strategies.keepStatus(object, old);
        Prepare.statefulSet(object, old);
        ObjectMetaRules.bumpGenerationOnSpecChange(object, old);
    }

    @Override
    public List<Cause> validate(ObjectNode object) {
        return Validators.statefulSet(object, null);
    }

    @Override
    public List<Cause> validateUpdate(ObjectNode object, ObjectNode old) {
        return Validators.statefulSet(object, old);
    }

    @Override
    public StatusStrategy status() {
        return status;
    }

    @Override
    public KindTable table() {
        return AppsPrinters.STATEFUL_SET;
    }
}
