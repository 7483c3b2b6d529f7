package dev.capstan.api.validation;

import static dev.capstan.api.validation.TestJson.obj;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class HpaConversionTest {

    /** A defaulted v2 autoscaler using every metric type, with the CPU utilization metric last. */
    private static final String V2 = "{\"apiVersion\":\"autoscaling/v2\",\"kind\":\"HorizontalPodAutoscaler\","
            + "\"metadata\":{\"name\":\"web\",\"namespace\":\"default\",\"annotations\":{\"team\":\"a\"}},"
            + "\"spec\":{\"scaleTargetRef\":{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"name\":\"web\"},"
            + "\"minReplicas\":2,\"maxReplicas\":10,\"metrics\":["
            + "{\"type\":\"Pods\",\"pods\":{\"metric\":{\"name\":\"rps\",\"selector\":{\"matchLabels\":{\"b\":\"2\","
            + "\"a\":\"1\"}}},\"target\":{\"type\":\"AverageValue\",\"averageValue\":\"100\"}}},"
            + "{\"type\":\"Object\",\"object\":{\"describedObject\":{\"apiVersion\":\"networking.k8s.io/v1\","
            + "\"kind\":\"Ingress\",\"name\":\"main\"},\"metric\":{\"name\":\"hits\"},\"target\":{\"type\":\"Value\","
            + "\"value\":\"2k\"}}},"
            + "{\"type\":\"External\",\"external\":{\"metric\":{\"name\":\"queue\",\"selector\":{\"matchExpressions\":"
            + "[{\"key\":\"q\",\"operator\":\"In\",\"values\":[\"x\"]}]}},\"target\":{\"type\":\"AverageValue\","
            + "\"averageValue\":\"30\"}}},"
            + "{\"type\":\"ContainerResource\",\"containerResource\":{\"name\":\"memory\",\"container\":\"app\","
            + "\"target\":{\"type\":\"AverageValue\",\"averageValue\":\"500Mi\"}}},"
            + "{\"type\":\"Resource\",\"resource\":{\"name\":\"cpu\",\"target\":{\"type\":\"Utilization\","
            + "\"averageUtilization\":60}}}],"
            + "\"behavior\":{\"scaleUp\":{\"stabilizationWindowSeconds\":0,\"selectPolicy\":\"Max\",\"policies\":["
            + "{\"type\":\"Pods\",\"value\":4,\"periodSeconds\":15},{\"type\":\"Percent\",\"value\":100,"
            + "\"periodSeconds\":15}]},\"scaleDown\":{\"selectPolicy\":\"Max\",\"policies\":[{\"type\":\"Percent\","
            + "\"value\":100,\"periodSeconds\":15}]}}},"
            + "\"status\":{\"observedGeneration\":3,\"lastScaleTime\":\"2024-01-01T00:00:00Z\",\"currentReplicas\":3,"
            + "\"desiredReplicas\":4,\"currentMetrics\":["
            + "{\"type\":\"Resource\",\"resource\":{\"name\":\"cpu\",\"current\":{\"averageValue\":\"250m\","
            + "\"averageUtilization\":50}}},"
            + "{\"type\":\"Pods\",\"pods\":{\"metric\":{\"name\":\"rps\"},\"current\":{\"averageValue\":\"90\"}}}],"
            + "\"conditions\":[{\"type\":\"AbleToScale\",\"status\":\"True\",\"lastTransitionTime\":"
            + "\"2024-01-01T00:00:00Z\",\"reason\":\"ReadyForNewScale\",\"message\":\"a < b\"}]}}";

    private static final String METRICS_ANN = "[{\"type\":\"Pods\",\"pods\":{\"metricName\":\"rps\","
            + "\"targetAverageValue\":\"100\",\"selector\":{\"matchLabels\":{\"a\":\"1\",\"b\":\"2\"}}}},"
            + "{\"type\":\"Object\",\"object\":{\"target\":{\"kind\":\"Ingress\",\"name\":\"main\",\"apiVersion\":"
            + "\"networking.k8s.io/v1\"},\"metricName\":\"hits\",\"targetValue\":\"2k\"}},"
            + "{\"type\":\"External\",\"external\":{\"metricName\":\"queue\",\"metricSelector\":{\"matchExpressions\":"
            + "[{\"key\":\"q\",\"operator\":\"In\",\"values\":[\"x\"]}]},\"targetAverageValue\":\"30\"}},"
            + "{\"type\":\"ContainerResource\",\"containerResource\":{\"name\":\"memory\",\"targetAverageValue\":"
            + "\"500Mi\",\"container\":\"app\"}}]";
    private static final String CURRENT_ANN = "[{\"type\":\"Resource\",\"resource\":{\"name\":\"cpu\","
            + "\"currentAverageUtilization\":50,\"currentAverageValue\":\"250m\"}},{\"type\":\"Pods\",\"pods\":"
            + "{\"metricName\":\"rps\",\"currentAverageValue\":\"90\"}}]";
    private static final String BEHAVIOR_ANN = "{\"ScaleUp\":{\"StabilizationWindowSeconds\":0,\"SelectPolicy\":"
            + "\"Max\",\"Policies\":[{\"Type\":\"Pods\",\"Value\":4,\"PeriodSeconds\":15},{\"Type\":\"Percent\","
            + "\"Value\":100,\"PeriodSeconds\":15}]},\"ScaleDown\":{\"StabilizationWindowSeconds\":null,"
            + "\"SelectPolicy\":\"Max\",\"Policies\":[{\"Type\":\"Percent\",\"Value\":100,\"PeriodSeconds\":15}]}}";
    private static final String CONDITIONS_ANN = "[{\"type\":\"AbleToScale\",\"status\":\"True\","
            + "\"lastTransitionTime\":\"2024-01-01T00:00:00Z\",\"reason\":\"ReadyForNewScale\",\"message\":"
            + "\"a \\u003c b\"}]";

    @Test
    void v2ToV1KeepsWhatV1CannotSayInUpstreamsAnnotations() {
        ObjectNode v1 = HpaConversion.toV1(obj(V2));
        assertThat(v1.at("/apiVersion").asText()).isEqualTo("autoscaling/v1");
        assertThat(v1.get("spec"))
                .isEqualTo(obj("{\"scaleTargetRef\":{\"kind\":\"Deployment\",\"name\":\"web\",\"apiVersion\":"
                        + "\"apps/v1\"},\"minReplicas\":2,\"maxReplicas\":10,\"targetCPUUtilizationPercentage\":60}"));
        assertThat(v1.get("status"))
                .isEqualTo(obj("{\"observedGeneration\":3,\"lastScaleTime\":\"2024-01-01T00:00:00Z\","
                        + "\"currentReplicas\":3,\"desiredReplicas\":4,\"currentCPUUtilizationPercentage\":50}"));
        ObjectNode annotations = (ObjectNode) v1.at("/metadata/annotations");
        assertThat(annotations.get("team").asText()).isEqualTo("a");
        assertThat(annotations.get(HpaConversion.METRICS).asText()).isEqualTo(METRICS_ANN);
        assertThat(annotations.get(HpaConversion.CURRENT_METRICS).asText()).isEqualTo(CURRENT_ANN);
        assertThat(annotations.get(HpaConversion.BEHAVIOR).asText()).isEqualTo(BEHAVIOR_ANN);
        assertThat(annotations.get(HpaConversion.CONDITIONS).asText()).isEqualTo(CONDITIONS_ANN);
    }

    @Test
    void v2RoundTripsThroughV1() {
        ObjectNode v2 = obj(V2);
        assertThat(HpaConversion.toV2(HpaConversion.toV1(v2))).isEqualTo(v2);
        assertThat(v2).isEqualTo(obj(V2));
    }

    @Test
    void v1RoundTripsThroughV2() {
        ObjectNode v1 = HpaConversion.toV1(obj(V2));
        ObjectNode copy = v1.deepCopy();
        assertThat(HpaConversion.toV1(HpaConversion.toV2(v1))).isEqualTo(copy);
        assertThat(v1).isEqualTo(copy);
    }

    @Test
    void plainV1GetsTheCpuTargetOrTheDefault() {
        ObjectNode v1 = obj("{\"apiVersion\":\"autoscaling/v1\",\"kind\":\"HorizontalPodAutoscaler\",\"metadata\":"
                + "{\"name\":\"web\"},\"spec\":{\"scaleTargetRef\":{\"kind\":\"Deployment\",\"name\":\"web\"},"
                + "\"maxReplicas\":3,\"targetCPUUtilizationPercentage\":70},\"status\":{\"currentReplicas\":1,"
                + "\"desiredReplicas\":1,\"currentCPUUtilizationPercentage\":20}}");
        assertThat(HpaConversion.toV2(v1))
                .isEqualTo(obj("{\"apiVersion\":\"autoscaling/v2\",\"kind\":\"HorizontalPodAutoscaler\","
                        + "\"metadata\":{\"name\":\"web\"},\"spec\":{\"scaleTargetRef\":{\"kind\":\"Deployment\","
                        + "\"name\":\"web\"},\"maxReplicas\":3,\"metrics\":[{\"type\":\"Resource\",\"resource\":"
                        + "{\"name\":\"cpu\",\"target\":{\"type\":\"Utilization\",\"averageUtilization\":70}}}]},"
                        + "\"status\":{\"currentReplicas\":1,\"desiredReplicas\":1,\"currentMetrics\":[{\"type\":"
                        + "\"Resource\",\"resource\":{\"name\":\"cpu\",\"current\":{\"averageUtilization\":20}}}]}}"));
        ((ObjectNode) v1.get("spec")).remove("targetCPUUtilizationPercentage");
        assertThat(HpaConversion.toV2(v1)
                        .at("/spec/metrics/0/resource/target/averageUtilization")
                        .asInt())
                .isEqualTo(80);
    }

    @Test
    void annotationsAreReadAsGoReadsThemAndBadOnesIgnored() {
        ObjectNode v1 = obj("{\"metadata\":{\"annotations\":{\"" + HpaConversion.BEHAVIOR + "\":\"{\\\"scaleUp\\\":"
                + "{\\\"stabilizationWindowSeconds\\\":30}}\",\"" + HpaConversion.METRICS + "\":\"not json\",\""
                + HpaConversion.CONDITIONS + "\":\"{}\"}},\"spec\":{\"maxReplicas\":1}}");
        ObjectNode v2 = HpaConversion.toV2(v1);
        assertThat(v2.at("/spec/behavior")).isEqualTo(obj("{\"scaleUp\":{\"stabilizationWindowSeconds\":30}}"));
        assertThat(v2.at("/spec/metrics").size()).isEqualTo(1);
        assertThat(v2.at("/status").has("conditions")).isFalse();
        assertThat(v2.at("/metadata").has("annotations")).isFalse();
    }

    @Test
    void staleAnnotationsOnV2AreReplacedWhenWritingV1() {
        ObjectNode v2 = obj("{\"metadata\":{\"annotations\":{\"" + HpaConversion.METRICS + "\":\"[]\"}},\"spec\":"
                + "{\"maxReplicas\":1,\"metrics\":[{\"type\":\"Resource\",\"resource\":{\"name\":\"cpu\",\"target\":"
                + "{\"type\":\"Utilization\",\"averageUtilization\":50}}}]}}");
        ObjectNode v1 = HpaConversion.toV1(v2);
        assertThat(v1.at("/metadata").has("annotations")).isFalse();
        assertThat(v1.at("/spec/targetCPUUtilizationPercentage").asInt()).isEqualTo(50);
    }

    @Test
    void emptyBehaviorAnnotationLeavesBehaviorUnset() {
        ObjectNode v1 = obj("{\"metadata\":{\"annotations\":{\"" + HpaConversion.BEHAVIOR + "\":"
                + "\"{\\\"ScaleUp\\\":null,\\\"ScaleDown\\\":null}\"}},\"spec\":{\"maxReplicas\":1}}");
        assertThat(HpaConversion.toV2(v1).at("/spec").has("behavior")).isFalse();
    }
}
