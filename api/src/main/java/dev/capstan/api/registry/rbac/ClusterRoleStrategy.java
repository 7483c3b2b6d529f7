package dev.capstan.api.registry.rbac;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.registry.ResourceType;
import dev.capstan.api.registry.Strategy;
import dev.capstan.api.table.ClusterPrinters;
import dev.capstan.api.table.KindTable;
import dev.capstan.api.validation.Cause;
import dev.capstan.api.validation.RbacValidation;
import java.util.List;

/** ClusterRoles (upstream pkg/registry/rbac/clusterrole). */
public final class ClusterRoleStrategy implements Strategy {
    public static ResourceType resource() {
        return ResourceType.define(
                        io.fabric8.kubernetes.api.model.rbac.ClusterRole.class,
                        "rbac.authorization.k8s.io",
                        "v1",
                        "ClusterRole",
                        "clusterroles")
                .clusterScoped()
                .build(new ClusterRoleStrategy());
    }

    @Override
    public void prepareForCreate(ObjectNode object) {}

    @Override
    public void prepareForUpdate(ObjectNode object, ObjectNode old) {}

    @Override
    public List<Cause> validate(ObjectNode object) {
        return RbacValidation.validateClusterRole(object);
    }

    @Override
    public List<Cause> validateUpdate(ObjectNode object, ObjectNode old) {
        return RbacValidation.validateClusterRoleUpdate(object, old);
    }

    @Override
    public boolean allowCreateOnUpdate() {
        return true;
    }

    @Override
    public KindTable table() {
        return ClusterPrinters.CLUSTER_ROLE;
    }
}
