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

class QuotaValidationTest {

    private static final String NIL_DEC = "d:resource.infDecAmount{Dec:(*inf.Dec)(nil)}";

    static ObjectNode limitRange(String limits) {
        ObjectNode lr =
                obj("{\"metadata\":{\"name\":\"lr\",\"namespace\":\"default\"},\"spec\":{\"limits\":" + limits + "}}");
        LimitRangeValidation.defaultLimitRange(lr);
        return lr;
    }

    static String q(long value, int scale, String s) {
        return "resource.Quantity{i:resource.int64Amount{value:" + value + ", scale:" + scale + "}, " + NIL_DEC
                + ", s:\"" + s + "\", Format:\"DecimalSI\"}";
    }

    static Stream<Arguments> limitRanges() {
        return Stream.of(
                Arguments.of(
                        "[{\"type\":\"Container\",\"max\":{\"cpu\":\"2\"},\"min\":{\"cpu\":\"100m\"}}]", List.of()),
                Arguments.of("[{\"type\":\"PersistentVolumeClaim\",\"max\":{\"storage\":\"10Gi\"}}]", List.of()),
                Arguments.of(
                        "[{\"type\":\"Node\"}]",
                        List.of(cause(
                                "FieldValueInvalid",
                                "spec.limits[0].type",
                                "Invalid value: \"Node\": must be a standard limit type or fully qualified"))),
                Arguments.of(
                        "[{\"type\":\"Pod\"},{\"type\":\"Pod\"}]",
                        List.of(cause("FieldValueDuplicate", "spec.limits[1].type", "Duplicate value: \"Pod\""))),
                Arguments.of(
                        "[{\"type\":\"Pod\",\"default\":{\"cpu\":\"1\"}}]",
                        List.of(cause(
                                "FieldValueForbidden",
                                "spec.limits[0].default",
                                "Forbidden: may not be specified when `type` is 'Pod'"))),
                Arguments.of(
                        "[{\"type\":\"Container\",\"max\":{\"storage\":\"1Gi\"}}]",
                        List.of(
                                cause(
                                        "FieldValueInvalid",
                                        "spec.limits[0].max[storage]",
                                        "Invalid value: \"storage\": must be a standard resource for containers"),
                                cause(
                                        "FieldValueInvalid",
                                        "spec.limits[0].default[storage]",
                                        "Invalid value: \"storage\": must be a standard resource for containers"),
                                cause(
                                        "FieldValueInvalid",
                                        "spec.limits[0].defaultRequest[storage]",
                                        "Invalid value: \"storage\": must be a standard resource for containers"))),
                Arguments.of(
                        "[{\"type\":\"PersistentVolumeClaim\"}]",
                        List.of(cause(
                                "FieldValueRequired",
                                "spec.limits[0].limits",
                                "Required value: either minimum or maximum storage value is required, but neither was "
                                        + "provided"))),
                Arguments.of(
                        "[{\"type\":\"Pod\",\"max\":{\"cpu\":\"1\"},\"min\":{\"cpu\":\"2\"}}]",
                        List.of(cause(
                                "FieldValueInvalid",
                                "spec.limits[0].min[cpu]",
                                "Invalid value: " + q(2, 0, "2") + ": min value 2 is greater than max value 1"))),
                // the defaulted request (from min) is above the default limit (from max)
                Arguments.of(
                        "[{\"type\":\"Container\",\"default\":{\"memory\":\"1Gi\"},\"defaultRequest\":{\"memory\":\"2Gi\"}}]",
                        List.of(cause(
                                "FieldValueInvalid",
                                "spec.limits[0].defaultRequest[memory]",
                                "Invalid value: resource.Quantity{i:resource.int64Amount{value:2147483648, scale:0}, "
                                        + NIL_DEC + ", s:\"2Gi\", Format:\"BinarySI\"}: default request value 2Gi is "
                                        + "greater than default limit value 1Gi"))),
                Arguments.of(
                        "[{\"type\":\"Pod\",\"maxLimitRequestRatio\":{\"cpu\":\"500m\"}}]",
                        List.of(cause(
                                "FieldValueInvalid",
                                "spec.limits[0].maxLimitRequestRatio[cpu]",
                                "Invalid value: " + q(500, -3, "500m") + ": ratio 500m is less than 1"))),
                Arguments.of(
                        "[{\"type\":\"Pod\",\"max\":{\"cpu\":\"2\"},\"min\":{\"cpu\":\"1\"},\"maxLimitRequestRatio\":{\"cpu\":\"3\"}}]",
                        List.of(cause(
                                "FieldValueInvalid",
                                "spec.limits[0].maxLimitRequestRatio[cpu]",
                                "Invalid value: " + q(3, 0, "3") + ": ratio 3 is greater than max/min = 2.000000"))),
                Arguments.of(
                        "[{\"type\":\"Container\",\"default\":{\"example.com/gpu\":\"2\"},"
                                + "\"defaultRequest\":{\"example.com/gpu\":\"1\"}}]",
                        List.of(cause(
                                "FieldValueInvalid",
                                "spec.limits[0].defaultRequest[example.com/gpu]",
                                "Invalid value: " + q(1, 0, "1") + ": default value 2 must equal to defaultRequest "
                                        + "value 1 in example.com/gpu"))));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("limitRanges")
    void limitRange(String limits, List<Cause> expected) {
        assertThat(LimitRangeValidation.validateLimitRange(limitRange(limits))).containsExactlyElementsOf(expected);
    }

    /** min's 1n is copied into defaultRequest before every list is rounded up to milli precision. */
    @Test
    void containerLimitRangeDefaults() {
        ObjectNode lr = limitRange("[{\"type\":\"Container\",\"max\":{\"cpu\":\"2\",\"memory\":\"1Gi\"},"
                + "\"min\":{\"cpu\":\"100m\",\"ephemeral-storage\":\"1n\"},\"default\":{\"memory\":\"512Mi\"}},"
                + "{\"type\":\"Pod\",\"max\":{\"cpu\":\"4\"}}]");
        assertThat(lr.at("/spec/limits/0"))
                .isEqualTo(obj("{\"type\":\"Container\",\"max\":{\"cpu\":\"2\",\"memory\":\"1Gi\"},"
                        + "\"min\":{\"cpu\":\"100m\",\"ephemeral-storage\":\"1m\"},"
                        + "\"default\":{\"memory\":\"512Mi\",\"cpu\":\"2\"},"
                        + "\"defaultRequest\":{\"memory\":\"512Mi\",\"cpu\":\"2\",\"ephemeral-storage\":\"1m\"}}"));
        assertThat(lr.at("/spec/limits/1")).isEqualTo(obj("{\"type\":\"Pod\",\"max\":{\"cpu\":\"4\"}}"));
    }

    static ObjectNode quota(String spec) {
        ObjectNode rq = obj("{\"metadata\":{\"name\":\"q\",\"namespace\":\"default\"},\"spec\":" + spec + "}");
        ResourceQuotaValidation.defaultResourceQuota(rq);
        return rq;
    }

    static Stream<Arguments> quotas() {
        return Stream.of(
                Arguments.of(
                        "{\"hard\":{\"pods\":\"10\",\"requests.cpu\":\"4\",\"count/deployments.apps\":\"5\"}}",
                        List.of()),
                Arguments.of("{\"hard\":{\"pods\":\"10\"},\"scopes\":[\"BestEffort\"]}", List.of()),
                Arguments.of(
                        "{\"hard\":{\"nodes\":\"1\"}}",
                        List.of(
                                cause(
                                        "FieldValueInvalid",
                                        "spec.hard[nodes]",
                                        "Invalid value: \"nodes\": must be a standard resource type or fully qualified"),
                                cause(
                                        "FieldValueInvalid",
                                        "spec.hard[nodes]",
                                        "Invalid value: \"nodes\": must be a standard resource for quota"))),
                Arguments.of(
                        "{\"hard\":{\"services\":\"1500m\"}}",
                        List.of(cause(
                                "FieldValueInvalid",
                                "spec.hard[services]",
                                "Invalid value: " + q(1500, -3, "1500m") + ": must be an integer"))),
                Arguments.of(
                        "{\"hard\":{\"cpu\":\"-1\"}}",
                        List.of(cause(
                                "FieldValueInvalid",
                                "spec.hard[cpu]",
                                "Invalid value: \"-1\": must be greater than or equal to 0"))),
                Arguments.of(
                        "{\"hard\":{\"cpu\":\"1\"},\"scopes\":[\"BestEffort\",\"NotBestEffort\"]}",
                        List.of(
                                cause(
                                        "FieldValueInvalid",
                                        "spec.scopes",
                                        "Invalid value: []core.ResourceQuotaScope{\"BestEffort\", \"NotBestEffort\"}: "
                                                + "unsupported scope applied to resource"),
                                cause(
                                        "FieldValueInvalid",
                                        "spec.scopes",
                                        "Invalid value: []core.ResourceQuotaScope{\"BestEffort\", \"NotBestEffort\"}: "
                                                + "conflicting scopes"))),
                Arguments.of(
                        "{\"scopes\":[\"Forever\"]}",
                        List.of(cause(
                                "FieldValueInvalid",
                                "spec.scopes",
                                "Invalid value: []core.ResourceQuotaScope{\"Forever\"}: unsupported scope"))),
                Arguments.of(
                        "{\"scopeSelector\":{\"matchExpressions\":[{\"scopeName\":\"Terminating\",\"operator\":\"In\"}]}}",
                        List.of(
                                cause(
                                        "FieldValueInvalid",
                                        "spec.scopeSelector.matchExpressions.operator",
                                        "Invalid value: \"In\": must be 'Exists' when scope is any of "
                                                + "ResourceQuotaScopeTerminating, ResourceQuotaScopeNotTerminating, "
                                                + "ResourceQuotaScopeBestEffort, ResourceQuotaScopeNotBestEffort or "
                                                + "ResourceQuotaScopeCrossNamespacePodAffinity"),
                                cause(
                                        "FieldValueRequired",
                                        "spec.scopeSelector.matchExpressions.values",
                                        "Required value: must be at least one value when `operator` is 'In' or "
                                                + "'NotIn' for scope selector"))),
                Arguments.of(
                        "{\"hard\":{\"services\":\"1\"},\"scopeSelector\":{\"matchExpressions\":[{\"scopeName\":"
                                + "\"PriorityClass\",\"operator\":\"Exists\",\"values\":[\"high\"]}]}}",
                        List.of(
                                cause(
                                        "FieldValueInvalid",
                                        "spec.scopeSelector.matchExpressions",
                                        "Invalid value: core.ScopeSelector{MatchExpressions:[]core."
                                                + "ScopedResourceSelectorRequirement{core.ScopedResourceSelectorRequirement"
                                                + "{ScopeName:\"PriorityClass\", Operator:\"Exists\", Values:[]string"
                                                + "{\"high\"}}}}: unsupported scope applied to resource"),
                                cause(
                                        "FieldValueInvalid",
                                        "spec.scopeSelector.matchExpressions.values",
                                        "Invalid value: []string{\"high\"}: must be no value when `operator` is "
                                                + "'Exist' or 'DoesNotExist' for scope selector"))));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("quotas")
    void resourceQuota(String spec, List<Cause> expected) {
        assertThat(ResourceQuotaValidation.validateResourceQuota(quota(spec))).containsExactlyElementsOf(expected);
    }

    @Test
    void quotaScopesAreImmutableAndStatusIsChecked() {
        ObjectNode old = quota("{\"hard\":{\"pods\":\"1\"},\"scopes\":[\"Terminating\"]}");
        ObjectNode now = quota("{\"hard\":{\"pods\":\"1\"},\"scopes\":[\"NotTerminating\"]}");
        assertThat(ResourceQuotaValidation.validateResourceQuotaUpdate(now, old))
                .containsExactly(cause(
                        "FieldValueInvalid",
                        "spec.scopes",
                        "Invalid value: []core.ResourceQuotaScope{\"NotTerminating\"}: field is immutable"));
        ObjectNode status = quota("{\"hard\":{\"pods\":\"1\"}}");
        status.set("status", obj("{\"hard\":{\"pods\":\"1\"},\"used\":{\"pods\":\"-1\"}}"));
        assertThat(ResourceQuotaValidation.validateResourceQuotaStatusUpdate(status, status))
                .containsExactly(cause(
                        "FieldValueInvalid",
                        "status.used[pods]",
                        "Invalid value: \"-1\": must be greater than or equal to 0"));
        ResourceQuotaValidation.prepareForCreate(status);
        assertThat(status.has("status")).isFalse();
    }
}
