package dev.capstan.api.registry.apps;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.registry.ObjectMetaRules;
import dev.capstan.api.registry.ResourceType;
import dev.capstan.api.registry.StatusStrategy;
import dev.capstan.api.registry.WorkloadStrategy;
import dev.capstan.api.table.AppsPrinters;
import dev.capstan.api.validation.AppsValidation;
import dev.capstan.api.validation.Cause;
import dev.capstan.api.validation.Defaulting;
import dev.capstan.api.validation.Validators;
import java.util.List;

/**
 * Deployments (upstream pkg/registry/apps/deployment): annotation changes count for generation too, and a status
 * write keeps the stored labels as well as the spec.
 */
public final class DeploymentStrategy extends WorkloadStrategy {
    private DeploymentStrategy() {
        super(Defaulting::deployment, Validators::deployment, new DeploymentStatus(), AppsPrinters.DEPLOYMENT);
    }

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

    /** Upstream counts annotation changes too for Deployments (rollback requests once came that way). */
    @Override
    protected boolean generationChanged(ObjectNode object, ObjectNode old) {
        return ObjectMetaRules.specChanged(old, object)
                || !object.path("metadata")
                        .path("annotations")
                        .equals(old.path("metadata").path("annotations"));
    }

    /** A status write keeps the stored labels as well as the spec. */
    private static final class DeploymentStatus implements StatusStrategy {
        @Override
        public void prepareForUpdate(ObjectNode object, ObjectNode old) {
            StatusStrategy.keepAllButMetadataAndStatus(object, old);
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
    }
}
