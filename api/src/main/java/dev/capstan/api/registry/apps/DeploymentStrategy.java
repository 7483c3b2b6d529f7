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

/** Deployments (upstream pkg/registry/apps/deployment): status through its subresource, generation counting spec changes. */
public final class DeploymentStrategy implements Strategy {
    private final StatusStrategy status = new StatusStrategy() {
        @Override
        public void prepareForUpdate(ObjectNode object, ObjectNode old) {
            StatusStrategy.keepAllButMetadataAndStatus(object, old);
            // Upstream's deployment status strategy keeps the labels too.
            ObjectNode meta = object.withObjectProperty("metadata");
            var labels = old.path("metadata").get("labels");
            if (labels == null) {
                meta.remove("labels");
            } else {
                meta.set("labels", labels.deepCopy());
            }
        }

        @Override
        public List<Cause> validateUpdate(ObjectNode object, ObjectNode old) {
            return AppsValidation.validateDeploymentStatusUpdate(object, old);
        }
    };

    public static ResourceType resource() {
        return ResourceType.define(
                        io.fabric8.kubernetes.api.model.apps.Deployment.class,
                        "apps",
                        "v1",
                        "Deployment",
                        "deployments")
                .shortNames("deploy")
                .subresources("status", "scale")
                .categories("all")
                .build(new DeploymentStrategy());
    }

    @Override
    public void applyDefaults(ObjectNode object) {
        Defaulting.deployment(object);
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
        // Upstream counts annotation changes too for Deployments (rollback requests once came that way).
        boolean annotationsChanged = !object.path("metadata")
                .path("annotations")
                .equals(old.path("metadata").path("annotations"));
        ObjectMetaRules.setGeneration(object, old, ObjectMetaRules.specChanged(old, object) || annotationsChanged);
    }

    @Override
    public List<Cause> validate(ObjectNode object) {
        return Validators.deployment(object, null);
    }

    @Override
    public List<Cause> validateUpdate(ObjectNode object, ObjectNode old) {
        return Validators.deployment(object, old);
    }

    @Override
    public StatusStrategy status() {
        return status;
    }

    @Override
    public KindTable table() {
        return AppsPrinters.DEPLOYMENT;
    }
}
