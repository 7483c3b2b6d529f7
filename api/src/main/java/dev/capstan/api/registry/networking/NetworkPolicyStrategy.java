package dev.capstan.api.registry.networking;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.registry.ObjectMetaRules;
import dev.capstan.api.registry.ResourceType;
import dev.capstan.api.registry.Strategy;
import dev.capstan.api.validation.Cause;
import dev.capstan.api.validation.Validators;
import java.util.List;

/** NetworkPolicies (upstream pkg/registry/networking/networkpolicy). */
public final class NetworkPolicyStrategy implements Strategy {
    public static ResourceType resource() {
        return ResourceType.define(io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy.class, "networking.k8s.io", "v1", "NetworkPolicy", "networkpolicies")
                .shortNames("netpol")
                .build(new NetworkPolicyStrategy());
    }

    @Override
    public void prepareForCreate(ObjectNode object) {
        ObjectMetaRules.initGeneration(object);
    }

    @Override
    public void prepareForUpdate(ObjectNode object, ObjectNode old) {
        ObjectMetaRules.bumpGenerationOnSpecChange(object, old);
    }

    @Override
    public List<Cause> validate(ObjectNode object) {
        return Validators.metadata(object, null, Validators.NameRule.SUBDOMAIN);
    }

    @Override
    public List<Cause> validateUpdate(ObjectNode object, ObjectNode old) {
        return Validators.metadata(object, old, Validators.NameRule.SUBDOMAIN);
    }
}
