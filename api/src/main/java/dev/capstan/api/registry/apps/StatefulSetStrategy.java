package dev.capstan.api.registry.apps;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.registry.ResourceType;
import dev.capstan.api.registry.StatusRules;
import dev.capstan.api.registry.WorkloadStrategy;
import dev.capstan.api.table.AppsPrinters;
import dev.capstan.api.validation.AppsValidation;
import dev.capstan.api.validation.Defaulting;
import dev.capstan.api.validation.Prepare;
import dev.capstan.api.validation.Validators;

/** StatefulSets (upstream pkg/registry/apps/statefulset). */
public final class StatefulSetStrategy extends WorkloadStrategy {
    private StatefulSetStrategy() {
        super(
                Defaulting::statefulSet,
                Validators::statefulSet,
                new StatusRules(AppsValidation::validateStatefulSetStatusUpdate),
                AppsPrinters.STATEFUL_SET);
    }

    public static ResourceType resource() {
        return ResourceType.define(
                        io.fabric8.kubernetes.api.model.apps.StatefulSet.class,
                        "apps",
                        "v1",
                        "StatefulSet",
                        "statefulsets")
                .shortNames("sts")
                .subresources("status", "scale")
                .categories("all")
                .build(new StatefulSetStrategy());
    }

    /** Besides the template, the rolling update's maxUnavailable (its feature is alpha in 1.32). */
    @Override
    protected void prepareTemplate(ObjectNode object, ObjectNode old) {
        Prepare.statefulSet(object, old);
    }
}
