package dev.capstan.api.registry.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.registry.ResourceType;
import dev.capstan.api.registry.StatusRules;
import dev.capstan.api.registry.StatusStrategy;
import dev.capstan.api.registry.Strategy;
import dev.capstan.api.table.CorePrinters;
import dev.capstan.api.table.KindTable;
import dev.capstan.api.validation.Cause;
import dev.capstan.api.validation.NodeValidation;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Nodes (upstream pkg/registry/core/node/strategy.go): unlike most kinds a node may be created with its status, as
 * a node agent registers itself; later writes of the main resource keep the stored status.
 */
public final class NodeStrategy implements Strategy {
    private static final Map<String, Function<JsonNode, String>> FIELDS = Map.of(
            "spec.unschedulable",
            node -> Boolean.toString(node.path("spec").path("unschedulable").asBoolean(false)));

    private final StatusStrategy status =
            new StatusRules(NodeValidation::prepareForStatusUpdate, NodeValidation::validateNodeStatusUpdate);

    public static ResourceType resource() {
        return ResourceType.define(io.fabric8.kubernetes.api.model.Node.class, "", "v1", "Node", "nodes")
                .shortNames("no")
                .clusterScoped()
                .subresources("status")
                .build(new NodeStrategy());
    }

    /** The status given at create is kept; only the deprecated dynamic config source is dropped. */
    @Override
    public void applyDefaults(ObjectNode node) {
        NodeValidation.defaultNode(node);
    }

    @Override
    public void prepareForCreate(ObjectNode node) {
        NodeValidation.prepareForCreate(node);
    }

    @Override
    public void prepareForUpdate(ObjectNode node, ObjectNode old) {
        NodeValidation.prepareForUpdate(node, old);
    }

    @Override
    public List<Cause> validate(ObjectNode node) {
        return NodeValidation.validateNode(node);
    }

    @Override
    public List<Cause> validateUpdate(ObjectNode node, ObjectNode old) {
        return NodeValidation.validateNodeUpdate(node, old);
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
        return CorePrinters.NODE;
    }
}
