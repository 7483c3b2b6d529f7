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

class SchedulingValidationTest {

    static ObjectNode pc(String name, String rest) {
        ObjectNode o = obj("{\"metadata\":{\"name\":\"" + name + "\"}" + rest + "}");
        SchedulingValidation.defaultPriorityClass(o);
        return o;
    }

    private static final String RESERVED =
            "Forbidden: priority class names with 'system-' prefix are reserved for" + " system use only. error: ";

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("high", ",\"value\":1000,\"globalDefault\":true", List.of()),
                Arguments.of("system-node-critical", ",\"value\":2000001000", List.of()),
                Arguments.of(
                        "high",
                        ",\"value\":1000000001",
                        List.of(cause(
                                "FieldValueForbidden",
                                "value",
                                "Forbidden: maximum allowed value of a user defined priority is 1000000000"))),
                Arguments.of(
                        "system-foo",
                        ",\"value\":1",
                        List.of(cause(
                                "FieldValueForbidden",
                                "metadata.name",
                                RESERVED + "system-foo is not a known system priority class"))),
                Arguments.of(
                        "system-node-critical",
                        ",\"value\":5",
                        List.of(cause(
                                "FieldValueForbidden",
                                "metadata.name",
                                RESERVED + "value of system-node-critical PriorityClass must be 2000001000"))),
                Arguments.of(
                        "system-cluster-critical",
                        ",\"value\":2000000000,\"globalDefault\":true",
                        List.of(cause(
                                "FieldValueForbidden",
                                "metadata.name",
                                RESERVED + "globalDefault of system-cluster-critical PriorityClass must be false"))),
                Arguments.of(
                        "high",
                        ",\"value\":1,\"preemptionPolicy\":\"Sometimes\"",
                        List.of(cause(
                                "FieldValueNotSupported",
                                "preemptionPolicy",
                                "Unsupported value: \"Sometimes\": supported values: \"PreemptLowerPriority\","
                                        + " \"Never\""))),
                Arguments.of(
                        "high",
                        ",\"value\":1,\"preemptionPolicy\":\"\"",
                        List.of(cause("FieldValueRequired", "preemptionPolicy", "Required value"))));
    }

    @ParameterizedTest(name = "[{index}] {0} {1}")
    @MethodSource("cases")
    void create(String name, String rest, List<Cause> expected) {
        assertThat(SchedulingValidation.validatePriorityClass(pc(name, rest))).containsExactlyElementsOf(expected);
    }

    @Test
    void clusterScoped() {
        ObjectNode o = obj("{\"metadata\":{\"name\":\"high\",\"namespace\":\"default\"},\"value\":1}");
        assertThat(SchedulingValidation.validatePriorityClass(o))
                .containsExactly(
                        cause("FieldValueForbidden", "metadata.namespace", "Forbidden: not allowed on this type"));
    }

    @Test
    void valueAndPreemptionPolicyAreFixed() {
        ObjectNode old = pc("high", ",\"value\":1");
        ObjectNode now = pc("high", ",\"value\":2,\"preemptionPolicy\":\"Never\"");
        assertThat(SchedulingValidation.validatePriorityClassUpdate(now, old))
                .containsExactly(
                        cause("FieldValueForbidden", "value", "Forbidden: may not be changed in an update."),
                        cause("FieldValueInvalid", "preemptionPolicy", "Invalid value: \"Never\": field is immutable"));
        assertThat(SchedulingValidation.validatePriorityClassUpdate(old.deepCopy(), old))
                .isEmpty();
    }

    @Test
    void updateDoesNotRepeatTheCreateRules() {
        ObjectNode reserved = pc("system-foo", ",\"value\":1");
        assertThat(SchedulingValidation.validatePriorityClass(reserved)).hasSize(1);
        assertThat(SchedulingValidation.validatePriorityClassUpdate(reserved.deepCopy(), reserved))
                .isEmpty();
    }

    @Test
    void preemptionPolicyDefaultsToPreemptLowerPriority() {
        assertThat(pc("high", "").get("preemptionPolicy").asText()).isEqualTo("PreemptLowerPriority");
        assertThat(pc("high", ",\"preemptionPolicy\":\"Never\"")
                        .get("preemptionPolicy")
                        .asText())
                .isEqualTo("Never");
    }
}
