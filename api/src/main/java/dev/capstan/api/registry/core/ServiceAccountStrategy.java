package dev.capstan.api.registry.core;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.registry.ResourceType;
import dev.capstan.api.registry.Strategy;
import dev.capstan.api.table.CorePrinters;
import dev.capstan.api.table.KindTable;
import dev.capstan.api.validation.Cause;
import dev.capstan.api.validation.ServiceAccountValidation;
import java.util.List;

/** ServiceAccounts (upstream pkg/registry/core/serviceaccount): secret references are kept by name only. */
public final class ServiceAccountStrategy implements Strategy {
    public static ResourceType resource() {
        return ResourceType.define(
                        io.fabric8.kubernetes.api.model.ServiceAccount.class,
                        "",
                        "v1",
                        "ServiceAccount",
                        "serviceaccounts")
                .shortNames("sa")
                .build(new ServiceAccountStrategy());
    }

    @Override
    public void prepareForCreate(ObjectNode sa) {
        ServiceAccountValidation.prepareForCreate(sa);
    }

    @Override
    public void prepareForUpdate(ObjectNode sa, ObjectNode old) {
        ServiceAccountValidation.prepareForUpdate(sa, old);
    }

    @Override
    public List<Cause> validate(ObjectNode sa) {
        return ServiceAccountValidation.validateServiceAccount(sa);
    }

    @Override
    public List<Cause> validateUpdate(ObjectNode sa, ObjectNode old) {
        return ServiceAccountValidation.validateServiceAccountUpdate(sa, old);
    }

    @Override
    public boolean returnsDeletedObject() {
        return true;
    }

    @Override
    public KindTable table() {
        return CorePrinters.SERVICE_ACCOUNT;
    }
}
