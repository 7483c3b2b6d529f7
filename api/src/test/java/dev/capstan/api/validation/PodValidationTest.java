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

class PodValidationTest {

    /** A pod whose spec is the given JSON fragment, defaulted as the server would before validating. */
    static ObjectNode pod(String spec) {
        ObjectNode pod = obj("{\"metadata\":{\"name\":\"web\",\"namespace\":\"default\"},\"spec\":" + spec + "}");
        Kinds.defaults("", "Pod", pod);
        return pod;
    }

    static List<Cause> create(String spec) {
        return Kinds.validate("", "Pod", pod(spec), null);
    }

    static Stream<Arguments> createCases() {
        return Stream.of(
                Arguments.of("{\"containers\":[{\"name\":\"app\",\"image\":\"nginx\"}]}", List.of()),
                Arguments.of(
                        "{\"containers\":[]}",
                        List.of(cause("FieldValueRequired", "spec.containers", "Required value"))),
                Arguments.of(
                        "{\"containers\":[{\"name\":\"App\",\"image\":\"nginx\"}]}",
                        List.of(cause(
                                "FieldValueInvalid",
                                "spec.containers[0].name",
                                "Invalid value: \"App\": " + LABEL_MSG))),
                Arguments.of(
                        "{\"containers\":[{\"image\":\"nginx\"}]}",
                        List.of(cause("FieldValueRequired", "spec.containers[0].name", "Required value"))),
                Arguments.of(
                        "{\"containers\":[{\"name\":\"app\"}]}",
                        List.of(cause("FieldValueRequired", "spec.containers[0].image", "Required value"))),
                Arguments.of(
                        "{\"containers\":[{\"name\":\"a\",\"image\":\"x\"},{\"name\":\"a\",\"image\":\"y\"}]}",
                        List.of(cause("FieldValueDuplicate", "spec.containers[1].name", "Duplicate value: \"a\""))),
                Arguments.of(
                        "{\"initContainers\":[{\"name\":\"a\",\"image\":\"x\"}],"
                                + "\"containers\":[{\"name\":\"a\",\"image\":\"y\"}]}",
                        List.of(cause("FieldValueDuplicate", "spec.initContainers[0].name", "Duplicate value: \"a\""))),
                Arguments.of(
                        "{\"containers\":[{\"name\":\"a\",\"image\":\"x\",\"ports\":[{\"containerPort\":70000}]}]}",
                        List.of(cause(
                                "FieldValueInvalid",
                                "spec.containers[0].ports[0].containerPort",
                                "Invalid value: 70000: must be between 1 and 65535, inclusive"))),
                Arguments.of(
                        "{\"containers\":[{\"name\":\"a\",\"image\":\"x\",\"ports\":[{}]}]}",
                        List.of(cause(
                                "FieldValueRequired", "spec.containers[0].ports[0].containerPort", "Required value"))),
                Arguments.of(
                        "{\"containers\":[{\"name\":\"a\",\"image\":\"x\",\"ports\":[{\"containerPort\":80,"
                                + "\"protocol\":\"HTTP\"}]}]}",
                        List.of(cause(
                                "FieldValueNotSupported",
                                "spec.containers[0].ports[0].protocol",
                                "Unsupported value: \"HTTP\": supported values: \"SCTP\", \"TCP\", \"UDP\""))),
                Arguments.of(
                        "{\"restartPolicy\":\"Sometimes\",\"containers\":[{\"name\":\"a\",\"image\":\"x\"}]}",
                        List.of(cause(
                                "FieldValueNotSupported",
                                "spec.restartPolicy",
                                "Unsupported value: "
                                        + "\"Sometimes\": supported values: \"Always\", \"OnFailure\", \"Never\""))),
                Arguments.of(
                        "{\"dnsPolicy\":\"Google\",\"containers\":[{\"name\":\"a\",\"image\":\"x\"}]}",
                        List.of(cause(
                                "FieldValueNotSupported",
                                "spec.dnsPolicy",
                                "Unsupported value: \"Google\": "
                                        + "supported values: \"ClusterFirstWithHostNet\", "
                                        + "\"ClusterFirst\", \"Default\", "
                                        + "\"None\""))),
                Arguments.of(
                        "{\"containers\":[{\"name\":\"a\",\"image\":\"x\",\"resources\":{\"limits\":"
                                + "{\"cpu\":\"500m\"},\"requests\":{\"cpu\":\"1\"}}}]}",
                        List.of(cause(
                                "FieldValueInvalid",
                                "spec.containers[0].resources.requests",
                                "Invalid value: \"1\": must be less than or equal to cpu limit of 500m"))),
                Arguments.of(
                        "{\"containers\":[{\"name\":\"a\",\"image\":\"x\",\"resources\":{\"requests\":"
                                + "{\"memory\":\"-1Gi\"}}}]}",
                        List.of(cause(
                                "FieldValueInvalid",
                                "spec.containers[0].resources.requests[memory]",
                                "Invalid value: \"-1Gi\": must be greater than or equal to 0"))),
                Arguments.of(
                        "{\"containers\":[{\"name\":\"a\",\"image\":\"x\",\"resources\":{\"limits\":"
                                + "{\"gpu\":\"1\"}}}]}",
                        List.of(
                                cause(
                                        "FieldValueInvalid",
                                        "spec.containers[0].resources.limits[gpu]",
                                        "Invalid value: \"gpu\": must be a standard resource type or fully qualified"),
                                cause(
                                        "FieldValueInvalid",
                                        "spec.containers[0].resources.limits[gpu]",
                                        "Invalid value: \"gpu\": must be a standard resource for containers"),
                                cause(
                                        "FieldValueInvalid",
                                        "spec.containers[0].resources.requests[gpu]",
                                        "Invalid value: \"gpu\": must be a standard resource type or fully "
                                                + "qualified"),
                                cause(
                                        "FieldValueInvalid",
                                        "spec.containers[0].resources.requests[gpu]",
                                        "Invalid value: \"gpu\": must be a standard resource for containers"))),
                Arguments.of(
                        // RelaxedEnvironmentVariableValidation is beta and on in 1.32: "1X" is fine, '=' is not
                        "{\"containers\":[{\"name\":\"a\",\"image\":\"x\",\"env\":[{\"name\":\"1X\"},{\"name\":\"A=B\"}]}]}",
                        List.of(cause(
                                "FieldValueInvalid",
                                "spec.containers[0].env[1].name",
                                "Invalid value: \"A=B\": a valid environment variable name must consist only of "
                                        + "printable ASCII characters other than '='"))),
                Arguments.of(
                        "{\"containers\":[{\"name\":\"a\",\"image\":\" x\"}]}",
                        List.of(cause(
                                "FieldValueInvalid",
                                "spec.containers[0].image",
                                "Invalid value: \" x\": must not have leading or trailing whitespace"))),
                Arguments.of(
                        "{\"containers\":[{\"name\":\"a\",\"image\":\"x\",\"volumeMounts\":[{\"name\":\"data\","
                                + "\"mountPath\":\"/d\"}]}]}",
                        List.of(cause(
                                "FieldValueNotFound",
                                "spec.containers[0].volumeMounts[0].name",
                                "Not found: \"data\""))),
                Arguments.of(
                        "{\"activeDeadlineSeconds\":0,\"containers\":[{\"name\":\"a\",\"image\":\"x\"}]}",
                        List.of(cause(
                                "FieldValueInvalid",
                                "spec.activeDeadlineSeconds",
                                "Invalid value: 0: must be between 1 and 2147483647, inclusive"))),
                Arguments.of(
                        "{\"tolerations\":[{\"operator\":\"Equal\",\"value\":\"x\"}],"
                                + "\"containers\":[{\"name\":\"a\",\"image\":\"x\"}]}",
                        List.of(cause(
                                "FieldValueInvalid",
                                "spec.tolerations[0].operator",
                                "Invalid value: \"Equal\": operator must be Exists when `key` is empty, which means "
                                        + "\"match all values and all keys\""))),
                Arguments.of(
                        "{\"containers\":[{\"name\":\"a\",\"image\":\"x\",\"livenessProbe\":{"
                                + "\"successThreshold\":2,\"tcpSocket\":{\"port\":8080}}}]}",
                        List.of(cause(
                                "FieldValueInvalid",
                                "spec.containers[0].livenessProbe.successThreshold",
                                "Invalid value: 2: must be 1"))),
                Arguments.of(
                        "{\"containers\":[{\"name\":\"a\",\"image\":\"x\"}],\"ephemeralContainers\":[{"
                                + "\"name\":\"debug\",\"image\":\"busybox\"}]}",
                        List.of(cause(
                                "FieldValueForbidden",
                                "spec.ephemeralContainers",
                                "Forbidden: cannot be set on create"))));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("createCases")
    void podCreate(String spec, List<Cause> expected) {
        assertThat(create(spec)).containsExactlyElementsOf(expected);
    }

    @Test
    void podWithoutDefaultsIsMissingTheDefaultedRequiredFields() {
        ObjectNode raw = obj(
                "{\"metadata\":{\"name\":\"web\",\"namespace\":\"default\"},\"spec\":{\"containers\":[{\"name\":\"a\","
                        + "\"image\":\"x\"}]}}");
        assertThat(Kinds.validate("", "Pod", raw, null))
                .extracting(Cause::field)
                .containsExactly(
                        "spec.terminationGracePeriodSeconds",
                        "spec.containers[0].terminationMessagePolicy",
                        "spec.containers[0].imagePullPolicy",
                        "spec.restartPolicy",
                        "spec.dnsPolicy");
    }

    @Test
    void updatingTheImageIsAllowed() {
        ObjectNode old = pod("{\"containers\":[{\"name\":\"a\",\"image\":\"nginx:1.26\"}]}");
        ObjectNode now = old.deepCopy();
        ((ObjectNode) now.at("/spec/containers/0")).put("image", "nginx:1.27");
        assertThat(Kinds.validate("", "Pod", now, old)).isEmpty();
    }

    @Test
    void addingTolerationsAndLoweringTheDeadlineIsAllowed() {
        ObjectNode old = pod("{\"activeDeadlineSeconds\":100,\"containers\":[{\"name\":\"a\",\"image\":\"x\"}]}");
        ObjectNode now = old.deepCopy();
        ((ObjectNode) now.get("spec")).put("activeDeadlineSeconds", 50);
        ((ObjectNode) now.get("spec"))
                .putArray("tolerations")
                .addObject()
                .put("key", "k")
                .put("operator", "Exists");
        assertThat(Kinds.validate("", "Pod", now, old)).isEmpty();
    }

    @Test
    void raisingTheDeadlineIsRefused() {
        ObjectNode old = pod("{\"activeDeadlineSeconds\":100,\"containers\":[{\"name\":\"a\",\"image\":\"x\"}]}");
        ObjectNode now = old.deepCopy();
        ((ObjectNode) now.get("spec")).put("activeDeadlineSeconds", 200);
        assertThat(Kinds.validate("", "Pod", now, old))
                .containsExactly(cause(
                        "FieldValueInvalid",
                        "spec.activeDeadlineSeconds",
                        "Invalid value: 200: must be less than or equal to previous value"));
    }

    @Test
    void changingOtherSpecFieldsIsForbidden() {
        ObjectNode old = pod("{\"containers\":[{\"name\":\"a\",\"image\":\"x\"}]}");
        ObjectNode now = old.deepCopy();
        ((ObjectNode) now.get("spec")).put("restartPolicy", "Never");
        List<Cause> causes = Kinds.validate("", "Pod", now, old);
        assertThat(causes).hasSize(1);
        assertThat(causes.get(0).reason()).isEqualTo("FieldValueForbidden");
        assertThat(causes.get(0).field()).isEqualTo("spec");
        assertThat(causes.get(0).message())
                .startsWith("Forbidden: pod updates may not change fields other than "
                        + "`spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,"
                        + "`spec.tolerations` (only additions to existing "
                        + "tolerations),`spec.terminationGracePeriodSeconds` "
                        + "(allow it to be set to 1 if it was previously negative)\n");
        assertThat(causes.get(0).message()).contains("- restartPolicy: \"Always\"", "+ restartPolicy: \"Never\"");
    }

    @Test
    void addingAContainerStopsTheUpdateChecks() {
        ObjectNode old = pod("{\"containers\":[{\"name\":\"a\",\"image\":\"x\"}]}");
        ObjectNode now = pod("{\"containers\":[{\"name\":\"a\",\"image\":\"x\"},{\"name\":\"b\",\"image\":\"y\"}]}");
        assertThat(Kinds.validate("", "Pod", now, old))
                .containsExactly(cause(
                        "FieldValueForbidden",
                        "spec.containers",
                        "Forbidden: pod updates may not add or remove containers"));
    }

    @Test
    void removingATolerationIsForbidden() {
        ObjectNode old = pod("{\"tolerations\":[{\"key\":\"k\",\"operator\":\"Exists\"}],"
                + "\"containers\":[{\"name\":\"a\",\"image\":\"x\"}]}");
        ObjectNode now = old.deepCopy();
        ((ObjectNode) now.get("spec")).remove("tolerations");
        assertThat(Kinds.validate("", "Pod", now, old))
                .containsExactly(cause(
                        "FieldValueForbidden",
                        "spec.tolerations",
                        "Forbidden: existing toleration can not be modified except its " + "tolerationSeconds"));
    }
}
