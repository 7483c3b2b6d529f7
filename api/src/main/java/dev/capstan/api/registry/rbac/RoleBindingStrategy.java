package dev.capstan.api.registry.rbac;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.registry.ResourceType;
import dev.capstan.api.registry.Strategy;
import dev.capstan.api.table.ClusterPrinters;
import dev.capstan.api.table.KindTable;
import dev.capstan.api.validation.Cause;
import dev.capstan.api.validation.RbacValidation;
import java.util.List;

/** RoleBindings (upstream pkg/registry/rbac/rolebinding). */
public final class RoleBindingStrategy implements Strategy {
    public static ResourceType resource() {
        return ResourceType.define(
                        io.fabric8.kubernetes.api.model.rbac.RoleBinding.class,
                        "rbac.authorization.k8s.io",
                        "v1",
                        "RoleBinding",
                        "rolebindings")
                .build(new RoleBindingStrategy());
    }

    @Override
    public void applyDefaults(ObjectNode object) {
        RbacValidation.defaultRoleBinding(object);
    }

    @Override
    public void prepareForCreate(ObjectNode object) {}

    @Override
    public void prepareForUpdate(ObjectNode object, ObjectNode old) {}

    @Override
    public List<Cause> validate(ObjectNode object) {
        return RbacValidation.validateRoleBinding(object);
    }

    @Override
    public List<Cause> validateUpdate(ObjectNode object, ObjectNode old) {
        return RbacValidation.validateRoleBindingUpdate(object, old);
    }

    @Override
    public boolean allowCreateOnUpdate() {
        return true;
    }

    @Override
    public KindTable table() {
        return ClusterPrinters.ROLE_BINDING;
    }
}
