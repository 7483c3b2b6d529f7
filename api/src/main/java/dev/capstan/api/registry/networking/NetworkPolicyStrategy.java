package dev.capstan.api.registry.networking;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.registry.ResourceType;
import dev.capstan.api.registry.Strategy;
import dev.capstan.api.table.KindTable;
import dev.capstan.api.table.NetworkingPrinters;
import dev.capstan.api.validation.Cause;
import dev.capstan.api.validation.NetworkPolicyValidation;
import java.util.List;

/** NetworkPolicies (upstream pkg/registry/networking/networkpolicy). */
public final class NetworkPolicyStrategy implements Strategy {
    public static ResourceType resource() {
        return ResourceType.define(
                        io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy.class,
                        "networking.k8s.io",
                        "v1",
                        "NetworkPolicy",
                        "networkpolicies")
                .shortNames("netpol")
                .build(new NetworkPolicyStrategy());
    }

    @Override
    public void applyDefaults(ObjectNode object) {
        NetworkPolicyValidation.defaultNetworkPolicy(object);
    }

    @Override
    public void prepareForCreate(ObjectNode object) {
        NetworkPolicyValidation.prepareForCreate(object);
    }

    @Override
    public void prepareForUpdate(ObjectNode object, ObjectNode old) {
        NetworkPolicyValidation.prepareForUpdate(object, old);
    }

    @Override
    public List<Cause> validate(ObjectNode object) {
        return NetworkPolicyValidation.validateNetworkPolicy(object);
    }

    @Override
    public List<Cause> validateUpdate(ObjectNode object, ObjectNode old) {
        return NetworkPolicyValidation.validateNetworkPolicyUpdate(object, old);
    }

    @Override
    public KindTable table() {
        return NetworkingPrinters.NETWORK_POLICY;
    }
}
