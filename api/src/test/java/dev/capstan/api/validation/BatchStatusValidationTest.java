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

class BatchStatusValidationTest {

    private static final String INDEXED =
            "{\"completionMode\":\"Indexed\",\"completions\":5,\"parallelism\":2," + "\"backoffLimitPerIndex\":1}";
    private static final String PLAIN = "{\"completions\":5,\"parallelism\":2}";
    private static final String RUNNING =
            "{\"active\":2,\"succeeded\":1,\"failed\":1," + "\"startTime\":\"2024-01-01T00:00:00Z\"}";
    private static final String COMPLETE = "{\"type\":\"Complete\",\"status\":\"True\"}";
    private static final String FAILED = "{\"type\":\"Failed\",\"status\":\"True\"}";
    private static final String FAILURE_TARGET = "{\"type\":\"FailureTarget\",\"status\":\"True\"}";
    private static final String SUCCESS_MET = "{\"type\":\"SuccessCriteriaMet\",\"status\":\"True\"}";

    static ObjectNode job(String spec, String status) {
        return obj("{\"metadata\":{\"name\":\"pi\",\"namespace\":\"default\"},\"spec\":" + spec + ",\"status\":"
                + status + "}");
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of(
                        PLAIN,
                        RUNNING,
                        "{\"active\":1,\"succeeded\":2,\"failed\":1,\"ready\":1,"
                                + "\"startTime\":\"2024-01-01T00:00:00Z\"}",
                        List.of()),
                Arguments.of(
                        PLAIN,
                        RUNNING,
                        "{\"active\":-1,\"succeeded\":0,\"failed\":0,\"ready\":-1,"
                                + "\"startTime\":\"2024-01-01T00:00:00Z\"}",
                        List.of(
                                cause(
                                        "FieldValueInvalid",
                                        "status.active",
                                        "Invalid value: -1: must be greater than or equal to 0"),
                                cause(
                                        "FieldValueInvalid",
                                        "status.ready",
                                        "Invalid value: -1: must be greater than or equal to 0"),
                                cause(
                                        "FieldValueInvalid",
                                        "status.failed",
                                        "Invalid value: 0: cannot decrease the failed counter"),
                                cause(
                                        "FieldValueInvalid",
                                        "status.succeeded",
                                        "Invalid value: 0: cannot decrease the succeeded counter"))),
                // an Indexed Job with completions == parallelism may lose succeeded pods when scaled down
                Arguments.of(
                        "{\"completionMode\":\"Indexed\",\"completions\":2,\"parallelism\":2}",
                        RUNNING,
                        "{\"active\":2,\"succeeded\":0,\"failed\":1,\"startTime\":\"2024-01-01T00:00:00Z\"}",
                        List.of()),
                Arguments.of(
                        PLAIN,
                        RUNNING,
                        "{\"active\":1,\"succeeded\":1,\"failed\":1,\"startTime\":\"2024-01-01T00:00:00Z\","
                                + "\"conditions\":[" + COMPLETE + "],\"uncountedTerminatedPods\":{\"succeeded\":"
                                + "[\"a\",\"a\",\"\"]}}",
                        List.of(
                                cause(
                                        "FieldValueDuplicate",
                                        "status.uncountedTerminatedPods.succeeded[1]",
                                        "Duplicate value: \"a\""),
                                cause(
                                        "FieldValueInvalid",
                                        "status.uncountedTerminatedPods.succeeded[2]",
                                        "Invalid value: \"\": must not be empty"),
                                cause(
                                        "FieldValueRequired",
                                        "status.completionTime",
                                        "Required value: completionTime is required for Complete jobs"),
                                cause(
                                        "FieldValueInvalid",
                                        "status.active",
                                        "Invalid value: 1: active>0 is invalid for finished job"),
                                cause(
                                        "FieldValueInvalid",
                                        "status.uncountedTerminatedPods",
                                        "Invalid value: &batch.UncountedTerminatedPods{Succeeded:[]types.UID{\"a\","
                                                + " \"a\", \"\"}, Failed:[]types.UID(nil)}: uncountedTerminatedPods"
                                                + " needs to be empty for finished job"))),
                Arguments.of(
                        PLAIN,
                        RUNNING,
                        "{\"succeeded\":1,\"failed\":1,\"conditions\":[" + COMPLETE + "," + FAILED + ","
                                + FAILURE_TARGET + "],\"completionTime\":\"2023-12-31T23:59:59Z\","
                                + "\"startTime\":\"2024-01-01T00:00:00Z\"}",
                        List.of(
                                cause(
                                        "FieldValueInvalid",
                                        "status.conditions",
                                        "Invalid value: cannot set Complete=True and Failed=true conditions"),
                                cause(
                                        "FieldValueInvalid",
                                        "status.conditions",
                                        "Invalid value: cannot set Complete=True and FailureTarget=true conditions"),
                                cause(
                                        "FieldValueInvalid",
                                        "status.completionTime",
                                        "Invalid value: 2023-12-31 23:59:59 +0000 UTC: completionTime cannot be set"
                                                + " before startTime"))),
                Arguments.of(
                        PLAIN,
                        RUNNING,
                        "{\"succeeded\":1,\"failed\":1,\"startTime\":\"2024-01-01T00:00:00Z\","
                                + "\"completionTime\":\"2024-01-01T00:01:00Z\"}",
                        List.of(cause(
                                "FieldValueInvalid",
                                "status.completionTime",
                                "Invalid value: 2024-01-01 00:01:00 +0000 UTC: cannot set completionTime when there"
                                        + " is no Complete=True condition"))),
                Arguments.of(
                        PLAIN,
                        RUNNING,
                        "{\"succeeded\":1,\"failed\":1,\"completedIndexes\":\"1\",\"failedIndexes\":\"2\","
                                + "\"startTime\":\"2024-01-01T00:00:00Z\"}",
                        List.of(
                                cause(
                                        "FieldValueInvalid",
                                        "status.completedIndexes",
                                        "Invalid value: \"1\": cannot set non-empty completedIndexes when"
                                                + " non-indexed completion mode"),
                                cause(
                                        "FieldValueInvalid",
                                        "status.failedIndexes",
                                        "Invalid value: \"2\": cannot set non-null failedIndexes when"
                                                + " backoffLimitPerIndex is null"))),
                Arguments.of(
                        INDEXED,
                        RUNNING,
                        "{\"succeeded\":1,\"failed\":1,\"completedIndexes\":\"3,1\",\"failedIndexes\":\"0-7\","
                                + "\"startTime\":\"2024-01-01T00:00:00Z\"}",
                        List.of(
                                cause(
                                        "FieldValueInvalid",
                                        "status.completedIndexes",
                                        "Invalid value: \"3,1\": error parsing completedIndexes: non-increasing"
                                                + " order, previous: 3, current: 1"),
                                cause(
                                        "FieldValueInvalid",
                                        "status.failedIndexes",
                                        "Invalid value: \"0-7\": error parsing failedIndexes: too large index:"
                                                + " \"7\""))),
                Arguments.of(
                        INDEXED,
                        RUNNING,
                        "{\"succeeded\":1,\"failed\":1,\"completedIndexes\":\"1,3-4\",\"failedIndexes\":\"0,2-3\","
                                + "\"startTime\":\"2024-01-01T00:00:00Z\"}",
                        List.of(cause(
                                "FieldValueInvalid",
                                "status.failedIndexes",
                                "Invalid value: \"0,2-3\": failedIndexes and completedIndexes overlap at index:"
                                        + " 3"))),
                Arguments.of(
                        PLAIN,
                        "{\"succeeded\":1,\"failed\":1,\"startTime\":\"2024-01-01T00:00:00Z\",\"conditions\":["
                                + FAILURE_TARGET + "," + SUCCESS_MET + "]}",
                        "{\"succeeded\":1,\"failed\":1,\"conditions\":[" + SUCCESS_MET + "]}",
                        List.of(
                                cause(
                                        "FieldValueInvalid",
                                        "status.conditions",
                                        "Invalid value: cannot disable the terminal FailureTarget=True condition"),
                                cause(
                                        "FieldValueRequired",
                                        "status.startTime",
                                        "Required value: startTime cannot be removed for unsuspended job"))),
                Arguments.of(
                        "{\"completions\":5,\"successPolicy\":{\"rules\":[{\"succeededCount\":1}]}}",
                        "{\"succeeded\":1,\"startTime\":\"2024-01-01T00:00:00Z\",\"conditions\":[" + SUCCESS_MET + "]}",
                        "{\"succeeded\":1,\"startTime\":\"2024-01-01T00:00:00Z\","
                                + "\"completionTime\":\"2024-01-01T00:01:00Z\",\"conditions\":[" + COMPLETE + ","
                                + FAILED + "]}",
                        List.of(
                                cause(
                                        "FieldValueInvalid",
                                        "status.conditions",
                                        "Invalid value: cannot set Complete=True and Failed=true conditions"),
                                cause(
                                        "FieldValueInvalid",
                                        "status.conditions",
                                        "Invalid value: cannot set Complete=True for Job with SuccessPolicy unless"
                                                + " SuccessCriteriaMet=True"),
                                cause(
                                        "FieldValueInvalid",
                                        "status.conditions",
                                        "Invalid value: cannot disable the SuccessCriteriaMet=True condition"))),
                Arguments.of(
                        PLAIN,
                        "{\"succeeded\":1,\"startTime\":\"2024-01-01T00:00:00Z\","
                                + "\"completionTime\":\"2024-01-01T00:01:00Z\",\"conditions\":[" + COMPLETE + "]}",
                        "{\"succeeded\":1,\"startTime\":\"2024-01-01T00:00:00Z\","
                                + "\"completionTime\":\"2024-01-01T00:02:00.5+01:00\",\"conditions\":[" + COMPLETE
                                + "," + SUCCESS_MET + "," + FAILED + "]}",
                        List.of(
                                cause(
                                        "FieldValueInvalid",
                                        "status.conditions",
                                        "Invalid value: cannot set Complete=True and Failed=true conditions"),
                                cause(
                                        "FieldValueInvalid",
                                        "status.completionTime",
                                        "Invalid value: 2024-01-01 00:02:00.5 +0100 +0100: completionTime cannot be"
                                                + " set before startTime"),
                                cause(
                                        "FieldValueInvalid",
                                        "status.conditions",
                                        "Invalid value: cannot set SuccessCriteriaMet=True and Failed=true"
                                                + " conditions"),
                                cause(
                                        "FieldValueInvalid",
                                        "status.completionTime",
                                        "Invalid value: 2024-01-01 00:02:00.5 +0100 +0100: completionTime cannot be"
                                                + " mutated"),
                                cause(
                                        "FieldValueInvalid",
                                        "status.conditions",
                                        "Invalid value: cannot set SuccessCriteriaMet=True for Job already has"
                                                + " Complete=true conditions"))));
    }

    @ParameterizedTest(name = "[{index}] {2}")
    @MethodSource("cases")
    void jobStatusUpdate(String spec, String oldStatus, String status, List<Cause> expected) {
        assertThat(BatchStatusValidation.validateJobStatusUpdate(job(spec, status), job(spec, oldStatus)))
                .containsExactlyElementsOf(expected);
    }

    /** Rules about unchanged fields do not fire: a job whose stored status is already bad can still be written. */
    @Test
    void rulesOnlyCheckWhatChanged() {
        String bad = "{\"active\":3,\"succeeded\":1,\"completedIndexes\":\"9\",\"conditions\":[" + COMPLETE + "]}";
        assertThat(BatchStatusValidation.validateJobStatusUpdate(job(PLAIN, bad), job(PLAIN, bad)))
                .isEmpty();
    }

    @Test
    void cronJobStatusIsNotValidated() {
        ObjectNode cj = obj("{\"metadata\":{\"name\":\"c\",\"namespace\":\"d\"},\"status\":{\"active\":[{}]}}");
        assertThat(BatchStatusValidation.validateCronJobStatusUpdate(cj, cj.deepCopy()))
                .isEmpty();
        ObjectNode old = obj("{\"spec\":{\"schedule\":\"* * * * *\"}}");
        ObjectNode now = obj("{\"spec\":{\"schedule\":\"@hourly\"},\"status\":{}}");
        TestRegistry.type("batch", "v1", "cronjobs").strategy().status().prepareForUpdate(now, old);
        assertThat(now.toString()).isEqualTo("{\"spec\":{\"schedule\":\"* * * * *\"},\"status\":{}}");
    }
}
