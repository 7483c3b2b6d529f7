package dev.capstan.api.registry.autoscaling;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.registry.ResourceType;
import dev.capstan.api.registry.StatusRules;
import dev.capstan.api.registry.StatusStrategy;
import dev.capstan.api.registry.Strategy;
import dev.capstan.api.table.HpaPrinter;
import dev.capstan.api.table.KindTable;
import dev.capstan.api.validation.AutoscalingValidation;
import dev.capstan.api.validation.Cause;
import java.util.List;

/**
 * HorizontalPodAutoscalers (upstream pkg/registry/autoscaling/horizontalpodautoscaler), stored as autoscaling/v2
 * and served also as autoscaling/v1 (what {@code kubectl autoscale} posts), converted on the way in and out.
 */
public final class HorizontalPodAutoscalerStrategy implements Strategy {
    private final StatusStrategy status = new StatusRules(
            AutoscalingValidation::prepareForStatusUpdate,
            AutoscalingValidation::validateHorizontalPodAutoscalerStatusUpdate);

    /** The stored version, autoscaling/v2, and autoscaling/v1 converted from it. */
    public static List<ResourceType> resources() {
        var strategy = new HorizontalPodAutoscalerStrategy();
        return List.of(
                ResourceType.define(
                                io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler.class,
                                "autoscaling",
                                "v2",
                                "HorizontalPodAutoscaler",
                                "horizontalpodautoscalers")
                        .shortNames("hpa")
                        .subresources("status")
                        .categories("all")
                        .build(strategy),
                ResourceType.define(
                                io.fabric8.kubernetes.api.model.autoscaling.v1.HorizontalPodAutoscaler.class,
                                "autoscaling",
                                "v1",
                                "HorizontalPodAutoscaler",
                                "horizontalpodautoscalers")
                        .shortNames("hpa")
                        .subresources("status")
                        .categories("all")
                        .convertedFrom(new HpaV1Conversion())
                        .build(strategy));
    }

    @Override
    public void applyDefaults(ObjectNode hpa) {
        AutoscalingValidation.defaultHorizontalPodAutoscaler(hpa);
    }

    @Override
    public void prepareForCreate(ObjectNode hpa) {
        AutoscalingValidation.prepareForCreate(hpa);
    }

    @Override
    public void prepareForUpdate(ObjectNode hpa, ObjectNode old) {
        AutoscalingValidation.prepareForUpdate(hpa, old);
    }

    @Override
    public List<Cause> validate(ObjectNode hpa) {
        return AutoscalingValidation.validateHorizontalPodAutoscaler(hpa);
    }

    @Override
    public List<Cause> validateUpdate(ObjectNode hpa, ObjectNode old) {
        return AutoscalingValidation.validateHorizontalPodAutoscalerUpdate(hpa, old);
    }

    @Override
    public StatusStrategy status() {
        return status;
    }

    @Override
    public KindTable table() {
        return HpaPrinter.HORIZONTAL_POD_AUTOSCALER;
    }
}
