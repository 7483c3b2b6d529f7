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

/** DaemonSets (upstream pkg/registry/apps/daemonset): status through its subresource, generation counting spec changes. */
public final class DaemonSetStrategy implements Strategy {
    private final StatusStrategy status = new StatusStrategy() {
        @Override
        public List<Cause> validateUpdate(ObjectNode object, ObjectNode old) {
            return AppsValidation.validateDaemonSetStatusUpdate(object, old);
        }
    };

    public static ResourceType resource() {
        return ResourceType.define(
                        io.fabric8.kubernetes.api.model.apps.DaemonSet.class, "apps", "v1", "DaemonSet", "daemonsets")
                .shortNames("ds")
                .subresources("status")
                .categories("all")
                .build(new DaemonSetStrategy());
    }

    @Override
    public void applyDefaults(ObjectNode object) {
        Defaulting.daemonSet(object);
    }

    @Override
    public void prepareForCreate(ObjectNode object) {
        Strategies.resetStatus(object);
        Prepare.template(object, null, "spec", "template");
        ObjectMetaRules.initGeneration(object);
    }

    @Override
    public void prepareForUpdate(ObjectNode object, ObjectNode old) {
        Strategies.keepStatus(object, old);
        Prepare.template(object, old, "spec", "template");
        ObjectMetaRules.bumpGenerationOnSpecChange(object, old);
    }

    @Override
    public List<Cause> validate(ObjectNode object) {
        return Validators.daemonSet(object, null);
    }

    @Override
    public List<Cause> validateUpdate(ObjectNode object, ObjectNode old) {
        return Validators.daemonSet(object, old);
    }

    @Override
    public StatusStrategy status() {
        return status;
    }

    @Override
    public KindTable table() {
        return AppsPrinters.DAEMON_SET;
    }
}
