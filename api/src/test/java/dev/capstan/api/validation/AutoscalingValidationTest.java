package dev.capstan.api.validation;

import static dev.capstan.api.validation.TestJson.cause;
import static dev.capstan.api.validation.TestJson.obj;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AutoscalingValidationTest {

    private static final String REF =
            "\"scaleTargetRef\":{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\"," + "\"name\":\"web\"}";

    static ObjectNode hpa(String specRest) {
        ObjectNode o = obj("{\"metadata\":{\"name\":\"web\",\"namespace\":\"default\"},\"spec\":{" + REF
                + ",\"maxReplicas\":5" + specRest + "}}");
        AutoscalingValidation.defaultHorizontalPodAutoscaler(o);
        return o;
    }

    static String metric(String json) {
        return ",\"metrics\":[" + json + "]";
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("", List.of()),
                Arguments.of(
                        metric("{\"type\":\"Object\",\"object\":{\"describedObject\":{\"kind\":\"Service\",\"name\":"
                                + "\"web\"},\"metric\":{\"name\":\"rps\"},\"target\":{\"type\":\"Value\",\"value\":"
                                + "\"10\"}}},{\"type\":\"External\",\"external\":{\"metric\":{\"name\":\"queue\"},"
                                + "\"target\":{\"type\":\"AverageValue\",\"averageValue\":\"30\"}}},{\"type\":"
                                + "\"ContainerResource\",\"containerResource\":{\"name\":\"memory\",\"container\":"
                                + "\"app\",\"target\":{\"type\":\"AverageValue\",\"averageValue\":\"100Mi\"}}}"),
                        List.of()),
                Arguments.of(
                        ",\"minReplicas\":0,\"maxReplicas\":0",
                        List.of(
                                cause(
                                        "FieldValueInvalid",
                                        "spec.minReplicas",
                                        "Invalid value: 0: must be greater than or equal to 1"),
                                cause(
                                        "FieldValueInvalid",
                                        "spec.maxReplicas",
                                        "Invalid value: 0: must be greater than 0"),
                                cause(
                                        "FieldValueForbidden",
                                        "spec.metrics",
                                        "Forbidden: must specify at least one Object or External metric to support"
                                                + " scaling to zero replicas"))),
                Arguments.of(
                        ",\"minReplicas\":7",
                        List.of(cause(
                                "FieldValueInvalid",
                                "spec.maxReplicas",
                                "Invalid value: 5: must be greater than or equal to `minReplicas`"))),
                Arguments.of(
                        metric("{\"type\":\"Pods\",\"pods\":{\"metric\":{\"name\":\"a/b\"},\"target\":{\"type\":"
                                + "\"Ratio\",\"value\":\"-1\"}}}"),
                        List.of(
                                cause(
                                        "FieldValueInvalid",
                                        "spec.metrics[0].pods.metric.name",
                                        "Invalid value: \"a/b\": may not contain '/'"),
                                cause(
                                        "FieldValueInvalid",
                                        "spec.metrics[0].pods.target.type",
                                        "Invalid value: \"Ratio\": must be either Utilization, Value, or"
                                                + " AverageValue"),
                                cause(
                                        "FieldValueInvalid",
                                        "spec.metrics[0].pods.target.value",
                                        "Invalid value: -1: must be positive"),
                                cause(
                                        "FieldValueRequired",
                                        "spec.metrics[0].pods.target.averageValue",
                                        "Required value: must specify a positive target averageValue"))),
                // a single source of the wrong type is only reported missing for the type named
                Arguments.of(
                        metric("{\"type\":\"Resource\",\"pods\":{\"metric\":{\"name\":\"rps\"},\"target\":{\"type\":"
                                + "\"AverageValue\",\"averageValue\":\"1\"}}}"),
                        List.of(cause(
                                "FieldValueRequired",
                                "spec.metrics[0].resource",
                                "Required value: must populate information for the given metric source"))),
                // of two sources only the first (object, external, pods, resource, containerResource) is validated
                Arguments.of(
                        metric("{\"type\":\"Resource\",\"pods\":{\"metric\":{\"name\":\"rps\"},\"target\":{\"type\":"
                                + "\"AverageValue\",\"averageValue\":\"1\"}},\"resource\":{\"target\":{}}}"),
                        List.of(cause(
                                "FieldValueForbidden",
                                "spec.metrics[0].pods",
                                "Forbidden: must populate the given metric source only"))),
                Arguments.of(
                        metric("{\"type\":\"Custom\"}"),
                        List.of(
                                cause(
                                        "FieldValueNotSupported",
                                        "spec.metrics[0].type",
                                        "Unsupported value: \"Custom\": supported values: \"ContainerResource\","
                                                + " \"External\", \"Object\", \"Pods\", \"Resource\""),
                                cause(
                                        "FieldValueNotSupported",
                                        "spec.metrics[0].type",
                                        "Unsupported value: \"Custom\": supported values: \"ContainerResource\","
                                                + " \"External\", \"Object\", \"Pods\", \"Resource\""))),
                Arguments.of(
                        metric("{\"type\":\"Resource\",\"resource\":{\"name\":\"cpu\",\"target\":{\"type\":"
                                + "\"Utilization\",\"averageUtilization\":0,\"averageValue\":\"1\"}}}"),
                        List.of(
                                cause(
                                        "FieldValueInvalid",
                                        "spec.metrics[0].resource.target.averageUtilization",
                                        "Invalid value: 0: must be greater than 0"),
                                cause(
                                        "FieldValueForbidden",
                                        "spec.metrics[0].resource.target.averageValue",
                                        "Forbidden: may not set both a target raw value and a target utilization"))),
                Arguments.of(
                        metric("{\"type\":\"ContainerResource\",\"containerResource\":{\"name\":\"pods\","
                                + "\"target\":{\"type\":\"Utilization\"}}}"),
                        List.of(
                                cause(
                                        "FieldValueInvalid",
                                        "spec.metrics[0].containerResource.name",
                                        "Invalid value: \"pods\": must be a standard resource for containers"),
                                cause(
                                        "FieldValueRequired",
                                        "spec.metrics[0].containerResource.container",
                                        "Required value: must specify a container"),
                                cause(
                                        "FieldValueRequired",
                                        "spec.metrics[0].containerResource.target.averageUtilization",
                                        "Required value: must set either a target raw value or a target"
                                                + " utilization"))),
                Arguments.of(
                        metric("{\"type\":\"External\",\"external\":{\"metric\":{},\"target\":{\"type\":\"Value\","
                                + "\"value\":\"1\",\"averageValue\":\"0\"}}}"),
                        List.of(
                                cause(
                                        "FieldValueRequired",
                                        "spec.metrics[0].external.metric.name",
                                        "Required value: must specify a metric name"),
                                cause(
                                        "FieldValueInvalid",
                                        "spec.metrics[0].external.target.averageValue",
                                        "Invalid value: 0: must be positive"),
                                cause(
                                        "FieldValueForbidden",
                                        "spec.metrics[0].external.target.value",
                                        "Forbidden: may not set both a target value for metric and a per-pod"
                                                + " target"))),
                Arguments.of(
                        metric("{\"type\":\"Object\",\"object\":{\"metric\":{\"name\":\"rps\"},\"target\":{\"type\":"
                                + "\"Value\"}}}"),
                        List.of(
                                cause(
                                        "FieldValueRequired",
                                        "spec.metrics[0].object.describedObject.kind",
                                        "Required value"),
                                cause(
                                        "FieldValueRequired",
                                        "spec.metrics[0].object.describedObject.name",
                                        "Required value"),
                                cause(
                                        "FieldValueRequired",
                                        "spec.metrics[0].object.target.averageValue",
                                        "Required value: must set either a target value or averageValue"))),
                Arguments.of(
                        ",\"behavior\":{\"scaleUp\":{\"stabilizationWindowSeconds\":3601,\"selectPolicy\":\"Any\","
                                + "\"policies\":[{\"type\":\"Nodes\",\"value\":0,\"periodSeconds\":1801}]},"
                                + "\"scaleDown\":{\"stabilizationWindowSeconds\":-1,\"policies\":[]}}",
                        List.of(
                                cause(
                                        "FieldValueInvalid",
                                        "spec.behavior.scaleUp.stabilizationWindowSeconds",
                                        "Invalid value: 3601: must be less than or equal to 3600"),
                                cause(
                                        "FieldValueNotSupported",
                                        "spec.behavior.scaleUp.selectPolicy",
                                        "Unsupported value: \"Any\": supported values: \"Disabled\", \"Max\","
                                                + " \"Min\""),
                                cause(
                                        "FieldValueNotSupported",
                                        "spec.behavior.scaleUp.policies[0].type",
                                        "Unsupported value: \"Nodes\": supported values: \"Percent\", \"Pods\""),
                                cause(
                                        "FieldValueInvalid",
                                        "spec.behavior.scaleUp.policies[0].value",
                                        "Invalid value: 0: must be greater than zero"),
                                cause(
                                        "FieldValueInvalid",
                                        "spec.behavior.scaleUp.policies[0].periodSeconds",
                                        "Invalid value: 1801: must be less than or equal to 1800"),
                                cause(
                                        "FieldValueInvalid",
                                        "spec.behavior.scaleDown.stabilizationWindowSeconds",
                                        "Invalid value: -1: must be greater than or equal to zero"),
                                cause(
                                        "FieldValueRequired",
                                        "spec.behavior.scaleDown.policies",
                                        "Required value: must specify at least one Policy"))));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("cases")
    void create(String specRest, List<Cause> expected) {
        assertThat(AutoscalingValidation.validateHorizontalPodAutoscaler(hpa(specRest)))
                .containsExactlyElementsOf(expected);
    }

    @Test
    void scaleTargetRefNeedsKindAndName() {
        ObjectNode o = obj("{\"metadata\":{\"name\":\"web\",\"namespace\":\"default\"},\"spec\":{\"scaleTargetRef\":"
                + "{\"kind\":\"..\"},\"maxReplicas\":1}}");
        AutoscalingValidation.defaultHorizontalPodAutoscaler(o);
        assertThat(AutoscalingValidation.validateHorizontalPodAutoscaler(o))
                .containsExactly(
                        cause(
                                "FieldValueInvalid",
                                "spec.scaleTargetRef.kind",
                                "Invalid value: \"..\": may not be '..'"),
                        cause("FieldValueRequired", "spec.scaleTargetRef.name", "Required value"));
    }

    @Test
    void minReplicasZeroMayStayWhenAlreadyStored() {
        String objectMetric = metric("{\"type\":\"Object\",\"object\":{\"describedObject\":{\"kind\":\"Service\","
                + "\"name\":\"web\"},\"metric\":{\"name\":\"rps\"},\"target\":{\"type\":\"Value\",\"value\":\"1\"}}}");
        ObjectNode old = hpa(",\"minReplicas\":0" + objectMetric);
        assertThat(AutoscalingValidation.validateHorizontalPodAutoscalerUpdate(old.deepCopy(), old))
                .isEmpty();
        ObjectNode fresh = hpa(",\"minReplicas\":1" + objectMetric);
        assertThat(AutoscalingValidation.validateHorizontalPodAutoscalerUpdate(old.deepCopy(), fresh))
                .containsExactly(cause(
                        "FieldValueInvalid",
                        "spec.minReplicas",
                        "Invalid value: 0: must be greater than or equal to 1"));
    }

    @Test
    void statusCountsAreNonNegative() {
        ObjectNode old = hpa("");
        ObjectNode now = old.deepCopy();
        now.putObject("status").put("currentReplicas", -1).put("desiredReplicas", -2);
        assertThat(AutoscalingValidation.validateHorizontalPodAutoscalerStatusUpdate(now, old))
                .containsExactly(
                        cause(
                                "FieldValueInvalid",
                                "status.currentReplicas",
                                "Invalid value: -1: must be greater than or equal to 0"),
                        cause(
                                "FieldValueInvalid",
                                "status.desiredReplicas",
                                "Invalid value: -2: must be greater than or equal to 0"));
    }

    @Test
    void v2DefaultsMinReplicasTheCpuMetricAndBehavior() {
        ObjectNode o = obj("{\"spec\":{\"behavior\":{\"scaleDown\":{\"stabilizationWindowSeconds\":60}}}}");
        AutoscalingValidation.defaultHorizontalPodAutoscaler(o);
        assertThat(o)
                .isEqualTo(obj("{\"spec\":{\"minReplicas\":1,\"metrics\":[{\"type\":\"Resource\",\"resource\":"
                        + "{\"name\":\"cpu\",\"target\":{\"type\":\"Utilization\",\"averageUtilization\":80}}}],"
                        + "\"behavior\":{\"scaleUp\":{\"stabilizationWindowSeconds\":0,\"selectPolicy\":\"Max\","
                        + "\"policies\":[{\"type\":\"Pods\",\"value\":4,\"periodSeconds\":15},{\"type\":\"Percent\","
                        + "\"value\":100,\"periodSeconds\":15}]},\"scaleDown\":{\"selectPolicy\":\"Max\",\"policies\":"
                        + "[{\"type\":\"Percent\",\"value\":100,\"periodSeconds\":15}],"
                        + "\"stabilizationWindowSeconds\":60}}}}"));
    }

    @Test
    void v2DefaultsLeaveSetFieldsAndNoBehaviorAlone() {
        ObjectNode o = obj("{\"spec\":{\"minReplicas\":3,\"metrics\":[{\"type\":\"Pods\"}]}}");
        ObjectNode before = o.deepCopy();
        AutoscalingValidation.defaultHorizontalPodAutoscaler(o);
        assertThat(o).isEqualTo(before);
    }

    @Test
    void v1DefaultsOnlyMinReplicas() {
        ObjectNode o = obj("{\"spec\":{\"maxReplicas\":3}}");
        AutoscalingValidation.defaultHorizontalPodAutoscalerV1(o);
        assertThat(o).isEqualTo(obj("{\"spec\":{\"maxReplicas\":3,\"minReplicas\":1}}"));
    }

    @Test
    void strategySteps() {
        ObjectNode old = obj("{\"spec\":{\"maxReplicas\":1},\"status\":{\"desiredReplicas\":2}}");
        ObjectNode now = obj("{\"spec\":{\"maxReplicas\":3},\"status\":{\"desiredReplicas\":9}}");
        AutoscalingValidation.prepareForUpdate(now, old);
        assertThat(now).isEqualTo(obj("{\"spec\":{\"maxReplicas\":3},\"status\":{\"desiredReplicas\":2}}"));
        AutoscalingValidation.prepareForStatusUpdate(now, obj("{\"spec\":{\"maxReplicas\":1}}"));
        assertThat(now).isEqualTo(obj("{\"spec\":{\"maxReplicas\":1},\"status\":{\"desiredReplicas\":2}}"));
        AutoscalingValidation.prepareForCreate(now);
        assertThat(now.has("status")).isFalse();
    }
}
