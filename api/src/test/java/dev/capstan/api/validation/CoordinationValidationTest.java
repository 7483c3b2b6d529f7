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

class CoordinationValidationTest {

    static ObjectNode lease(String spec) {
        return obj("{\"metadata\":{\"name\":\"kube-scheduler\",\"namespace\":\"kube-system\"},\"spec\":" + spec + "}");
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of(
                        "{\"holderIdentity\":\"node-1\",\"leaseDurationSeconds\":15,\"leaseTransitions\":0,"
                                + "\"strategy\":\"OldestEmulationVersion\",\"preferredHolder\":\"node-2\"}",
                        List.of()),
                Arguments.of("{\"strategy\":\"example.com/mine\"}", List.of()),
                Arguments.of(
                        "{\"leaseDurationSeconds\":0,\"leaseTransitions\":-1}",
                        List.of(
                                cause(
                                        "FieldValueInvalid",
                                        "spec.leaseDurationSeconds",
                                        "Invalid value: 0: must be greater than 0"),
                                cause(
                                        "FieldValueInvalid",
                                        "spec.leaseTransitions",
                                        "Invalid value: -1: must be greater than or equal to 0"))),
                Arguments.of(
                        "{\"strategy\":\"Newest\"}",
                        List.of(cause(
                                "FieldValueNotSupported",
                                "spec.strategy.strategy",
                                "Unsupported value: \"Newest\": supported values: \"OldestEmulationVersion\""))),
                Arguments.of(
                        "{\"strategy\":\"/x\"}",
                        List.of(cause(
                                "FieldValueInvalid",
                                "spec.strategy.strategy",
                                "Invalid value: \"/x\": prefix part must be non-empty"))),
                Arguments.of(
                        "{\"preferredHolder\":\"node-2\"}",
                        List.of(cause(
                                "FieldValueForbidden",
                                "spec.preferredHolder",
                                "Forbidden: may only be specified if `strategy` is defined"))));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("cases")
    void leaseSpec(String spec, List<Cause> expected) {
        assertThat(CoordinationValidation.validateLease(lease(spec))).containsExactlyElementsOf(expected);
        assertThat(CoordinationValidation.validateLeaseUpdate(lease(spec), lease("{}")))
                .containsExactlyElementsOf(expected);
    }

    @Test
    void leaseIsNamespaced() {
        assertThat(CoordinationValidation.validateLease(obj("{\"metadata\":{\"name\":\"l\"},\"spec\":{}}")))
                .containsExactly(cause("FieldValueRequired", "metadata.namespace", "Required value"));
    }

    @Test
    void coordinatedElectionFieldsAreDroppedWhileTheGateIsOff() {
        ObjectNode created = lease(
                "{\"holderIdentity\":\"a\",\"strategy\":\"OldestEmulationVersion\"," + "\"preferredHolder\":\"b\"}");
        CoordinationValidation.prepareForCreate(created);
        assertThat(created.get("spec")).isEqualTo(obj("{\"holderIdentity\":\"a\"}"));
        ObjectNode updated = lease("{\"strategy\":\"OldestEmulationVersion\",\"preferredHolder\":\"b\"}");
        CoordinationValidation.prepareForUpdate(updated, lease("{\"strategy\":\"OldestEmulationVersion\"}"));
        assertThat(updated.get("spec")).isEqualTo(obj("{\"strategy\":\"OldestEmulationVersion\"}"));
    }
}
