package dev.capstan.api.validation;

import static dev.capstan.api.validation.TestJson.LABEL_MSG;
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

class WorkloadValidationTest {

    private static final String TEMPLATE = "\"template\":{\"metadata\":{\"labels\":{\"app\":\"web\"}},"
            + "\"spec\":{\"containers\":[{\"name\":\"app\",\"image\":\"nginx\"}]}}";
    private static final String SELECTOR = "\"selector\":{\"matchLabels\":{\"app\":\"web\"}}";

    static ObjectNode workload(String kind, String spec) {
        ObjectNode obj = obj("{\"metadata\":{\"name\":\"web\",\"namespace\":\"default\"},\"spec\":" + spec + "}");
        Kinds.defaults("apps", kind, obj);
        return obj;
    }

    static List<Cause> create(String kind, String spec) {
        return Kinds.validate("apps", kind, workload(kind, spec), null);
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("Deployment", "{" + SELECTOR + "," + TEMPLATE + "}", List.of()),
                Arguments.of("ReplicaSet", "{" + SELECTOR + "," + TEMPLATE + "}", List.of()),
                Arguments.of("StatefulSet", "{" + SELECTOR + "," + TEMPLATE + "}", List.of()),
                Arguments.of("DaemonSet", "{" + SELECTOR + "," + TEMPLATE + "}", List.of()),
                // a missing selector never matches, so upstream reports the mismatch as well
                Arguments.of(
                        "Deployment",
                        "{" + TEMPLATE + "}",
                        List.of(
                                cause("FieldValueRequired", "spec.selector", "Required value"),
                                cause(
                                        "FieldValueInvalid",
                                        "spec.template.metadata.labels",
                                        "Invalid value: "
                                                + "map[string]string{\"app\":\"web\"}: `selector` does "
                                                + "not match template `labels`"))),
                Arguments.of(
                        "Deployment",
                        "{\"selector\":{\"matchLabels\":{\"app\":\"api\"}}," + TEMPLATE + "}",
                        List.of(cause(
                                "FieldValueInvalid",
                                "spec.template.metadata.labels",
                                "Invalid value: "
                                        + "map[string]string{\"app\":\"web\"}: `selector` does not match template "
                                        + "`labels`"))),
                Arguments.of(
                        "Deployment",
                        "{\"selector\":{}," + TEMPLATE + "}",
                        List.of(cause(
                                "FieldValueInvalid",
                                "spec.selector",
                                "Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), "
                                        + "MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty "
                                        + "selector is invalid "
                                        + "for deployment"))),
                Arguments.of(
                        "ReplicaSet",
                        "{\"replicas\":-1," + SELECTOR + "," + TEMPLATE + "}",
                        List.of(cause(
                                "FieldValueInvalid",
                                "spec.replicas",
                                "Invalid value: -1: must be greater than or equal to " + "0"))),
                Arguments.of(
                        "Deployment",
                        "{\"strategy\":{\"type\":\"BlueGreen\"}," + SELECTOR + "," + TEMPLATE + "}",
                        List.of(cause(
                                "FieldValueNotSupported",
                                "spec.strategy",
                                "Unsupported value: "
                                        + "apps.DeploymentStrategy{Type:\"BlueGreen\", "
                                        + "RollingUpdate:(*apps.RollingUpdateDeployment)(nil)}: supported values: "
                                        + "\"Recreate\", \"RollingUpdate\""))),
                Arguments.of(
                        "Deployment",
                        "{\"strategy\":{\"rollingUpdate\":{\"maxUnavailable\":0,\"maxSurge\":0}}," + SELECTOR + ","
                                + TEMPLATE + "}",
                        List.of(cause(
                                "FieldValueInvalid",
                                "spec.strategy.rollingUpdate.maxUnavailable",
                                "Invalid value: intstr.IntOrString{Type:0, IntVal:0, StrVal:\"\"}: may not be 0 when "
                                        + "`maxSurge` is 0"))),
                Arguments.of(
                        "Deployment",
                        "{\"strategy\":{\"rollingUpdate\":{\"maxUnavailable\":\"150%\"}}," + SELECTOR + "," + TEMPLATE
                                + "}",
                        List.of(cause(
                                "FieldValueInvalid",
                                "spec.strategy.rollingUpdate.maxUnavailable",
                                "Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:\"150%\"}: must not be "
                                        + "greater than 100%"))),
                Arguments.of(
                        "Deployment",
                        "{" + SELECTOR + ",\"template\":{\"metadata\":{\"labels\":{\"app\":"
                                + "\"web\"}},\"spec\":{\"restartPolicy\":\"Never\",\"containers\":[{\"name\":\"App\","
                                + "\"image\":\"nginx\"}]}}}",
                        List.of(
                                cause(
                                        "FieldValueInvalid",
                                        "spec.template.spec.containers[0].name",
                                        "Invalid value: \"App\": " + LABEL_MSG),
                                cause(
                                        "FieldValueNotSupported",
                                        "spec.template.spec.restartPolicy",
                                        "Unsupported value: \"Never\": supported values: \"Always\""))),
                // upstream leaves a StatefulSet's pod spec unvalidated; only the workload rules apply
                Arguments.of(
                        "StatefulSet",
                        "{" + SELECTOR + ",\"template\":{\"metadata\":{\"labels\":{\"app\":"
                                + "\"web\"}},\"spec\":{\"restartPolicy\":\"OnFailure\",\"containers\":[{\"name\":"
                                + "\"App\",\"image\":\"nginx\"}]}}}",
                        List.of(cause(
                                "FieldValueNotSupported",
                                "spec.template.spec.restartPolicy",
                                "Unsupported value: \"OnFailure\": supported values: \"Always\""))),
                Arguments.of(
                        "StatefulSet",
                        "{\"podManagementPolicy\":\"Random\"," + SELECTOR + "," + TEMPLATE + "}",
                        List.of(cause(
                                "FieldValueInvalid",
                                "spec.podManagementPolicy",
                                "Invalid value: \"Random\": " + "must be 'OrderedReady' or 'Parallel'"))),
                Arguments.of(
                        "DaemonSet",
                        "{\"updateStrategy\":{\"rollingUpdate\":{\"maxUnavailable\":1," + "\"maxSurge\":1}}," + SELECTOR
                                + "," + TEMPLATE + "}",
                        List.of(cause(
                                "FieldValueInvalid",
                                "spec.updateStrategy.rollingUpdate.maxSurge",
                                "Invalid value: intstr.IntOrString{Type:0, IntVal:1, StrVal:\"\"}: may not be set "
                                        + "when maxUnavailable is non-zero"))),
                Arguments.of(
                        "DaemonSet",
                        "{" + TEMPLATE + "}",
                        List.of(cause(
                                "FieldValueInvalid",
                                "spec.template.metadata.labels",
                                "Invalid value: map[string]string{\"app\":\"web\"}: "
                                        + "`selector` does not match template `labels`"))),
                Arguments.of(
                        "Deployment",
                        "{\"selector\":{\"matchExpressions\":[{\"key\":\"app\",\"operator\":" + "\"In\"}]}," + TEMPLATE
                                + "}",
                        List.of(
                                cause(
                                        "FieldValueRequired",
                                        "spec.selector.matchExpressions[0].values",
                                        "Required value: must be specified when `operator` is 'In' or 'NotIn'"),
                                cause(
                                        "FieldValueInvalid",
                                        "spec.selector",
                                        "Invalid value: v1.LabelSelector{"
                                                + "MatchLabels:map[string]string(nil), MatchExpressions:[]v1."
                                                + "LabelSelectorRequirement{v1.LabelSelectorRequirement{Key:\"app\", "
                                                + "Operator:\"In\", Values:[]string(nil)}}}: invalid "
                                                + "label selector"))));
    }

    @ParameterizedTest(name = "[{index}] {0} {1}")
    @MethodSource("cases")
    void workloadCreate(String kind, String spec, List<Cause> expected) {
        assertThat(create(kind, spec)).containsExactlyElementsOf(expected);
    }

    @Test
    void selectorIsImmutableOnUpdate() {
        ObjectNode old = workload("Deployment", "{" + SELECTOR + "," + TEMPLATE + "}");
        ObjectNode now = old.deepCopy();
        ((ObjectNode) now.at("/spec/selector/matchLabels")).put("tier", "front");
        ((ObjectNode) now.at("/spec/template/metadata/labels")).put("tier", "front");
        assertThat(Kinds.validate("apps", "Deployment", now, old))
                .containsExactly(cause(
                        "FieldValueInvalid",
                        "spec.selector",
                        "Invalid value: v1.LabelSelector{MatchLabels:map[string]string"
                                + "{\"app\":\"web\", \"tier\":\"front\"}, "
                                + "MatchExpressions:[]v1.LabelSelectorRequirement(nil)"
                                + "}: field is immutable"));
    }

    @Test
    void scalingIsAnAllowedUpdate() {
        ObjectNode old = workload("StatefulSet", "{" + SELECTOR + "," + TEMPLATE + "}");
        ObjectNode now = old.deepCopy();
        ((ObjectNode) now.get("spec")).put("replicas", 5);
        assertThat(Kinds.validate("apps", "StatefulSet", now, old)).isEmpty();
    }

    @Test
    void statefulSetServiceNameIsNotUpdatable() {
        ObjectNode old = workload("StatefulSet", "{\"serviceName\":\"web\"," + SELECTOR + "," + TEMPLATE + "}");
        ObjectNode now = old.deepCopy();
        ((ObjectNode) now.get("spec")).put("serviceName", "web2");
        assertThat(Kinds.validate("apps", "StatefulSet", now, old))
                .containsExactly(cause(
                        "FieldValueForbidden",
                        "spec",
                        "Forbidden: updates to statefulset spec for fields other than "
                                + "'replicas', 'ordinals', 'template', 'updateStrategy', "
                                + "'persistentVolumeClaimRetentionPolicy'"
                                + " and 'minReadySeconds' are forbidden"));
    }
}
