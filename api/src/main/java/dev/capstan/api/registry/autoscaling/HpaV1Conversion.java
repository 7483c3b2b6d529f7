package dev.capstan.api.registry.autoscaling;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.registry.Conversion;
import dev.capstan.api.validation.AutoscalingValidation;
import dev.capstan.api.validation.HpaConversion;

/**
 * autoscaling/v1 HorizontalPodAutoscalers as views of the stored autoscaling/v2 objects (upstream's
 * pkg/apis/autoscaling/v1/conversion.go): what v1 cannot express travels in its annotations, so objects round-trip.
 * A v1 body gets v1's defaults before it is converted, as upstream decodes it.
 */
final class HpaV1Conversion implements Conversion {
    @Override
    public ObjectNode toStorage(ObjectNode v1) {
        ObjectNode defaulted = v1.deepCopy();
        AutoscalingValidation.defaultHorizontalPodAutoscalerV1(defaulted);
        return HpaConversion.toV2(defaulted);
    }

    @Override
    public ObjectNode fromStorage(ObjectNode v2) {
        return HpaConversion.toV1(v2);
    }
}
