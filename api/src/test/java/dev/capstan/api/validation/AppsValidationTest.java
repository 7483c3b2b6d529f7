package dev.capstan.api.validation;

import static dev.capstan.api.validation.TestJson.cause;
import static dev.capstan.api.validation.TestJson.obj;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.TestRegistry;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AppsValidationTest {

    private static final String NS_META = "\"metadata\":{\"name\":\"web\",\"namespace\":\"default\"}";

    static ObjectNode revision(String body) {
        return obj("{" + NS_META + body + "}");
    }

    static Stream<Arguments> revisions() {
        return Stream.of(
                Arguments.of(",\"data\":{\"spec\":{}},\"revision\":1", List.of()),
                Arguments.of(
                        ",\"revision\":-1",
                        List.of(
                                cause("FieldValueRequired", "data", "Required value: data is mandatory"),
                                cause(
                                        "FieldValueInvalid",
                                        "revision",
                                        "Invalid value: -1: must be greater than or equal to 0"))));
    }

    @ParameterizedTest
    @MethodSource("revisions")
    void controllerRevisionCreate(String body, List<Cause> expected) {
        assertThat(AppsValidation.validateControllerRevision(revision(body))).containsExactlyElementsOf(expected);
    }

    @Test
    void controllerRevisionNeedsANamespace() {
        ObjectNode r = obj("{\"metadata\":{\"name\":\"web\"},\"data\":{},\"revision\":1}");
        assertThat(AppsValidation.validateControllerRevision(r))
                .containsExactly(cause("FieldValueRequired", "metadata.namespace", "Required value"));
    }

    @Test
    void controllerRevisionDataIsImmutable() {
        ObjectNode old = revision(",\"data\":{},\"revision\":1");
        ObjectNode now = revision(",\"data\":{\"a\":1},\"revision\":1");
        assertThat(AppsValidation.validateControllerRevisionUpdate(now, old))
                .containsExactly(cause(
                        "FieldValueInvalid",
                        "data",
                        "Invalid value: runtime.RawExtension{Raw:[]byte{0x7b, 0x22, 0x61, 0x22, 0x3a, 0x31, 0x7d},"
                                + " Object:runtime.Object(nil)}: field is immutable"));
        assertThat(AppsValidation.validateControllerRevisionUpdate(old.deepCopy(), old))
                .isEmpty();
    }

    static ObjectNode withStatus(String status) {
        return obj("{" + NS_META + ",\"status\":" + status + "}");
    }

    private static final String OVER = "cannot be greater than status.replicas";

    static Stream<Arguments> statuses() {
        return Stream.of(
                Arguments.of(
                        "Deployment",
                        "{\"replicas\":3,\"readyReplicas\":3,\"availableReplicas\":2,\"collisionCount\":1}",
                        List.of()),
                Arguments.of(
                        "Deployment",
                        "{\"observedGeneration\":-1,\"replicas\":1,\"updatedReplicas\":2,\"readyReplicas\":1,"
                                + "\"availableReplicas\":2,\"unavailableReplicas\":-2,\"collisionCount\":-1}",
                        List.of(
                                cause(
                                        "FieldValueInvalid",
                                        "status.observedGeneration",
                                        "Invalid value: -1: must be greater than or equal to 0"),
                                cause(
                                        "FieldValueInvalid",
                                        "status.unavailableReplicas",
                                        "Invalid value: -2: must be greater than or equal to 0"),
                                cause(
                                        "FieldValueInvalid",
                                        "status.collisionCount",
                                        "Invalid value: -1: must be greater than or equal to 0"),
                                cause("FieldValueInvalid", "status.updatedReplicas", "Invalid value: 2: " + OVER),
                                cause("FieldValueInvalid", "status.availableReplicas", "Invalid value: 2: " + OVER),
                                cause(
                                        "FieldValueInvalid",
                                        "status.availableReplicas",
                                        "Invalid value: 2: cannot be greater than readyReplicas"),
                                cause(
                                        "FieldValueInvalid",
                                        "status.collisionCount",
                                        "Invalid value: -1: cannot be decremented"))),
                Arguments.of(
                        "ReplicaSet",
                        "{\"replicas\":1,\"fullyLabeledReplicas\":2,\"readyReplicas\":-1}",
                        List.of(
                                cause(
                                        "FieldValueInvalid",
                                        "status.readyReplicas",
                                        "Invalid value: -1: must be greater than or equal to 0"),
                                cause("FieldValueInvalid", "status.fullyLabeledReplicas", "Invalid value: 2: " + OVER),
                                // 0 available is more than -1 ready
                                cause(
                                        "FieldValueInvalid",
                                        "status.availableReplicas",
                                        "Invalid value: 0: cannot be greater than readyReplicas"))),
                Arguments.of(
                        "StatefulSet",
                        "{\"replicas\":1,\"currentReplicas\":2,\"readyReplicas\":1,\"availableReplicas\":1,"
                                + "\"observedGeneration\":-3}",
                        List.of(
                                cause(
                                        "FieldValueInvalid",
                                        "status.observedGeneration",
                                        "Invalid value: -3: must be greater than or equal to 0"),
                                cause("FieldValueInvalid", "status.currentReplicas", "Invalid value: 2: " + OVER),
                                cause(
                                        "FieldValueInvalid",
                                        "status.collisionCount",
                                        "Invalid value: 0: cannot be decremented"))),
                Arguments.of(
                        "StatefulSet",
                        "{\"replicas\":2,\"readyReplicas\":1,\"availableReplicas\":2,\"collisionCount\":1}",
                        List.of(cause(
                                "FieldValueInvalid",
                                "status.availableReplicas",
                                "Invalid value: 2: cannot be greater than status.readyReplicas"))),
                Arguments.of(
                        "DaemonSet",
                        "{\"numberMisscheduled\":-1,\"numberUnavailable\":-2,\"collisionCount\":1}",
                        List.of(
                                cause(
                                        "FieldValueInvalid",
                                        "status.numberMisscheduled",
                                        "Invalid value: -1: must be greater than or equal to 0"),
                                cause(
                                        "FieldValueInvalid",
                                        "status.numberUnavailable",
                                        "Invalid value: -2: must be greater than or equal to 0"))));
    }

    /** The stored object had collisionCount 1; each case is a status write on top of it. */
    @ParameterizedTest(name = "[{index}] {0} {1}")
    @MethodSource("statuses")
    void statusUpdate(String kind, String status, List<Cause> expected) {
        ObjectNode old = withStatus("{\"collisionCount\":1}");
        ObjectNode now = withStatus(status);
        List<Cause> causes = switch (kind) {
            case "Deployment" -> AppsValidation.validateDeploymentStatusUpdate(now, old);
            case "ReplicaSet" -> AppsValidation.validateReplicaSetStatusUpdate(now, old);
            case "StatefulSet" -> AppsValidation.validateStatefulSetStatusUpdate(now, old);
            default -> AppsValidation.validateDaemonSetStatusUpdate(now, old);
        };
        assertThat(causes).containsExactlyElementsOf(expected);
    }

    @Test
    void statusStrategiesKeepTheStoredSpecAndDeploymentLabels() {
        ObjectNode old = obj("{\"metadata\":{\"labels\":{\"a\":\"1\"}},\"spec\":{\"replicas\":1}}");
        ObjectNode now = obj("{\"metadata\":{\"labels\":{\"a\":\"2\"}},\"spec\":{\"replicas\":5},\"status\":{}}");
        TestRegistry.type("apps", "v1", "deployments").strategy().status().prepareForUpdate(now, old);
        assertThat(now.toString())
                .isEqualTo("{\"metadata\":{\"labels\":{\"a\":\"1\"}},\"spec\":{\"replicas\":1}," + "\"status\":{}}");
        ObjectNode rs = obj("{\"metadata\":{\"labels\":{\"a\":\"2\"}},\"spec\":{\"replicas\":5}}");
        TestRegistry.type("apps", "v1", "replicasets").strategy().status().prepareForUpdate(rs, old);
        assertThat(rs.toString()).isEqualTo("{\"metadata\":{\"labels\":{\"a\":\"2\"}},\"spec\":{\"replicas\":1}}");
    }
}
