package dev.capstan.api.registry.scheduling;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.ApiException;
import dev.capstan.api.registry.ObjectMetaRules;
import dev.capstan.api.registry.ResourceType;
import dev.capstan.api.registry.Strategy;
import dev.capstan.api.table.ClusterPrinters;
import dev.capstan.api.table.KindTable;
import dev.capstan.api.validation.Cause;
import dev.capstan.api.validation.SchedulingValidation;
import java.util.List;
import java.util.Set;

/**
 * PriorityClasses (upstream pkg/registry/scheduling/priorityclass): generation 1 for good, and the two system
 * priority classes can never be deleted.
 */
public final class PriorityClassStrategy implements Strategy {
    private static final Set<String> SYSTEM = Set.of("system-cluster-critical", "system-node-critical");

    private ResourceType self;

    public static ResourceType resource() {
        var strategy = new PriorityClassStrategy();
        strategy.self = ResourceType.define(
                        io.fabric8.kubernetes.api.model.scheduling.v1.PriorityClass.class,
                        "scheduling.k8s.io",
                        "v1",
                        "PriorityClass",
                        "priorityclasses")
                .shortNames("pc")
                .clusterScoped()
                .build(strategy);
        return strategy.self;
    }

    @Override
    public void applyDefaults(ObjectNode pc) {
        SchedulingValidation.defaultPriorityClass(pc);
    }

    @Override
    public void prepareForCreate(ObjectNode pc) {
        ObjectMetaRules.initGeneration(pc);
    }

    @Override
    public void prepareForUpdate(ObjectNode pc, ObjectNode old) {}

    @Override
    public List<Cause> validate(ObjectNode pc) {
        return SchedulingValidation.validatePriorityClass(pc);
    }

    @Override
    public List<Cause> validateUpdate(ObjectNode pc, ObjectNode old) {
        return SchedulingValidation.validatePriorityClassUpdate(pc, old);
    }

    @Override
    public void checkDelete(ObjectNode pc) {
        String name = ObjectMetaRules.name(pc);
        if (SYSTEM.contains(name)) {
            throw ApiException.forbidden(self, name, "this is a system priority class and cannot be deleted");
        }
    }

    @Override
    public KindTable table() {
        return ClusterPrinters.PRIORITY_CLASS;
    }
}
