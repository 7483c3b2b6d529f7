package dev.capstan.api.registry.apps;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.registry.ResourceType;
import dev.capstan.api.registry.Strategy;
import dev.capstan.api.table.AppsPrinters;
import dev.capstan.api.table.KindTable;
import dev.capstan.api.validation.AppsValidation;
import dev.capstan.api.validation.Cause;
import java.util.List;

/** ControllerRevisions: immutable snapshots of a workload template (upstream pkg/registry/apps/controllerrevision). */
public final class ControllerRevisionStrategy implements Strategy {
    public static ResourceType resource() {
        return ResourceType.define(
                        io.fabric8.kubernetes.api.model.apps.ControllerRevision.class,
                        "apps",
                        "v1",
                        "ControllerRevision",
                        "controllerrevisions")
                .build(new ControllerRevisionStrategy());
    }

    @Override
    public void prepareForCreate(ObjectNode object) {}

    @Override
    public void prepareForUpdate(ObjectNode object, ObjectNode old) {}

    @Override
    public List<Cause> validate(ObjectNode object) {
        return AppsValidation.validateControllerRevision(object);
    }

    @Override
    public List<Cause> validateUpdate(ObjectNode object, ObjectNode old) {
        return AppsValidation.validateControllerRevisionUpdate(object, old);
    }

    @Override
    public KindTable table() {
        return AppsPrinters.CONTROLLER_REVISION;
    }
}
