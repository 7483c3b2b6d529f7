package dev.capstan.api.registry.apps;

import com.fasterxml.jackson.databind.JsonNode;
import dev.capstan.api.registry.ResourceType;
import dev.capstan.api.registry.StatusRules;
import dev.capstan.api.registry.WorkloadStrategy;
import dev.capstan.api.table.AppsPrinters;
import dev.capstan.api.validation.AppsValidation;
import dev.capstan.api.validation.Defaulting;
import dev.capstan.api.validation.Validators;
import java.util.Map;
import java.util.function.Function;

/** ReplicaSets (upstream pkg/registry/apps/replicaset); selectable by status.replicas. */
public final class ReplicaSetStrategy extends WorkloadStrategy {
    private static final Map<String, Function<JsonNode, String>> FIELDS = Map.of(
            "status.replicas",
            rs -> Long.toString(rs.path("status").path("replicas").asLong(0)));

    private ReplicaSetStrategy() {
        super(
                Defaulting::replicaSet,
                Validators::replicaSet,
                new StatusRules(AppsValidation::validateReplicaSetStatusUpdate),
                AppsPrinters.REPLICA_SET);
    }

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
    public Map<String, Function<JsonNode, String>> fieldAttributes() {
        return FIELDS;
    }
}
