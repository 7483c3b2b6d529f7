package dev.capstan.api.registry.apps;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.util.Map;
import java.util.function.Function;

/** ReplicaSets (upstream pkg/registry/apps/replicaset): status through its subresource, generation counting spec changes. */
public final class ReplicaSetStrategy implements Strategy {
    private static final Map<String, Function<JsonNode, String>> FIELDS = Map.of(
            "status.replicas",
            rs -> Long.toString(rs.path("status").path("replicas").asLong(0)));

    private final StatusStrategy status = new StatusStrategy() {
        @Override
        public List<Cause> validateUpdate(ObjectNode object, ObjectNode old) {
            return AppsValidation.validateReplicaSetStatusUpdate(object, old);
        }
    };

    public static ResourceType resource() {
        return ResourceType.define(
                        io.fabric8.kubernetes.api.model.apps.ReplicaSet.class,
                        "apps",
                        "v1",
                        "ReplicaSet",
                        "replicasets")
                .shortNames("rs")
                .subresources("status", "scale")
                .categories("all")
                .build(new ReplicaSetStrategy());
    }

    @Override
    public void applyDefaults(ObjectNode object) {
        Defaulting.replicaSet(object);
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
        return Validators.replicaSet(object, null);
    }

    @Override
    public List<Cause> validateUpdate(ObjectNode object, ObjectNode old) {
        return Validators.replicaSet(object, old);
    }

    @Override
    public StatusStrategy status() {
        return status;
    }

    @Override
    public Map<String, Function<JsonNode, String>> fieldAttributes() {
        return FIELDS;
    }

    @Override
    public KindTable table() {
        return AppsPrinters.REPLICA_SET;
    }
}
