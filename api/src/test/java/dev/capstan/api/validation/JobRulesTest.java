package dev.capstan.api.validation;

import static dev.capstan.api.validation.TestJson.SUBDOMAIN_MSG;
import static dev.capstan.api.validation.TestJson.cause;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Job rules beyond counts: pod failure and success policies, managedBy, generated selectors, updates. */
class JobRulesTest {

    private static final String POD =
            "{\"spec\":{\"restartPolicy\":\"Never\",\"containers\":[{\"name\":\"c\",\"image\":\"busybox\"}]}}";
    private static final String UID = "0bd3c4e6-0d41-4a9e-9a53-6a8e0f3e4d21";
    private static final String R = "spec.podFailurePolicy.rules[0]";

    private static Arguments job(String fields, Cause... expected) {
        return Arguments.of("{" + fields + "\"template\":" + POD + "}", List.of(expected));
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                job(
                        "\"podFailurePolicy\":{\"rules\":[{\"action\":\"Ignore\",\"onPodConditions\":[{\"type\":\"DisruptionTarget\"}]}]},"),
                job(
                        "\"podFailurePolicy\":{\"rules\":[{\"action\":\"\",\"onExitCodes\":{\"operator\":\"In\",\"values\":[0,2,1,2]}}]},",
                        cause(
                                "FieldValueRequired",
                                R + ".action",
                                "Required value: valid values: [\"Count\" \"FailIndex\" \"FailJob\" \"Ignore\"]"),
                        cause(
                                "FieldValueInvalid",
                                R + ".onExitCodes.values[0]",
                                "Invalid value: 0: must not be 0 for the In operator"),
                        cause("FieldValueDuplicate", R + ".onExitCodes.values[3]", "Duplicate value: 2"),
                        cause(
                                "FieldValueInvalid",
                                R + ".onExitCodes.values",
                                "Invalid value: []int32{0, 2, 1, 2}: must be ordered")),
                job(
                        "\"podFailurePolicy\":{\"rules\":[{\"action\":\"FailIndex\",\"onExitCodes\":{\"operator\":\"Is\","
                                + "\"containerName\":\"nope\",\"values\":[1]},\"onPodConditions\":[{\"type\":\"DisruptionTarget\","
                                + "\"status\":\"Maybe\"}]}]},",
                        cause(
                                "FieldValueInvalid",
                                R + ".action",
                                "Invalid value: \"FailIndex\": requires the backoffLimitPerIndex to be set"),
                        cause(
                                "FieldValueNotSupported",
                                R + ".onExitCodes.operator",
                                "Unsupported value: \"Is\": supported values: \"In\", \"NotIn\""),
                        cause(
                                "FieldValueInvalid",
                                R + ".onExitCodes.containerName",
                                "Invalid value: \"nope\": must be one of the container or initContainer names in the pod template"),
                        cause(
                                "FieldValueNotSupported",
                                R + ".onPodConditions[0].status",
                                "Unsupported value: \"Maybe\": supported values: \"False\", \"True\", \"Unknown\""),
                        cause(
                                "FieldValueInvalid",
                                R,
                                "Invalid value: specifying both OnExitCodes and OnPodConditions is not supported")),
                job(
                        "\"podFailurePolicy\":{\"rules\":[{\"action\":\"Ignore\"}]},",
                        cause(
                                "FieldValueInvalid",
                                R,
                                "Invalid value: specifying one of OnExitCodes and OnPodConditions is required")),
                job(
                        "\"podFailurePolicy\":{\"rules\":[{\"action\":\"Ignore\",\"onPodConditions\":[{\"type\":\"T\"}]}]},"
                                + "\"podReplacementPolicy\":\"TerminatingOrFailed\",",
                        cause(
                                "FieldValueNotSupported",
                                "spec.podReplacementPolicy",
                                "Unsupported value: \"TerminatingOrFailed\": supported values: \"Failed\"")),
                job(
                        "\"successPolicy\":{\"rules\":[{\"succeededCount\":1}]},",
                        cause(
                                "FieldValueInvalid",
                                "spec.successPolicy",
                                "Invalid value: batch.SuccessPolicy{Rules:[]batch.SuccessPolicyRule{batch.SuccessPolicyRule{"
                                        + "SucceededIndexes:(*string)(nil), SucceededCount:(*int32)(0xc000000000)}}}: "
                                        + "requires indexed completion mode")),
                job(
                        "\"completionMode\":\"Indexed\",\"completions\":3,\"successPolicy\":{\"rules\":[{\"succeededIndexes\":"
                                + "\"0-5\",\"succeededCount\":5}]},",
                        cause(
                                "FieldValueInvalid",
                                "spec.successPolicy.rules[0].succeededIndexes",
                                "Invalid value: \"0-5\": error parsing succeededIndexes: too large index: \"5\""),
                        cause(
                                "FieldValueInvalid",
                                "spec.successPolicy.rules[0].succeededCount",
                                "Invalid value: 5: must be less than or equal to 3 (the number of specified completions)"),
                        cause(
                                "FieldValueInvalid",
                                "spec.successPolicy.rules[0].succeededCount",
                                "Invalid value: 5: must be less than or equal to 0 (the number of indexes in the specified "
                                        + "succeededIndexes field)")),
                job(
                        "\"completionMode\":\"Indexed\",\"completions\":3,\"successPolicy\":{\"rules\":[]},",
                        cause(
                                "FieldValueRequired",
                                "spec.successPolicy.rules",
                                "Required value: at least one rules must be specified when the successPolicy is specified")),
                job(
                        "\"completionMode\":\"Indexed\",\"completions\":2,\"backoffLimitPerIndex\":1,\"maxFailedIndexes\":3,",
                        cause(
                                "FieldValueInvalid",
                                "spec.maxFailedIndexes",
                                "Invalid value: 3: must be less than or equal to completions")),
                job(
                        "\"managedBy\":\"bad\",",
                        cause(
                                "FieldValueInvalid",
                                "spec.managedBy",
                                "Invalid value: \"bad\": must be a domain-prefixed path (such as \"acme.io/foo\")")),
                job(
                        "\"managedBy\":\"Example.com/" + "x".repeat(60) + "\",",
                        cause(
                                "FieldValueInvalid",
                                "spec.managedBy",
                                "Invalid value: \"Example.com\": " + SUBDOMAIN_MSG),
                        cause("FieldValueTooLong", "spec.managedBy", "Too long: may not be more than 63 bytes")),
                Arguments.of(
                        "{\"template\":{\"metadata\":{\"labels\":{\"controller-uid\":\"other\"}},\"spec\":{\"restartPolicy\":"
                                + "\"Never\",\"containers\":[{\"name\":\"c\",\"image\":\"busybox\"}]}}}",
                        List.of(cause(
                                "FieldValueInvalid",
                                "spec.template.metadata.labels[controller-uid]",
                                "Invalid value: map[string]string{\"batch.kubernetes.io/controller-uid\":\"" + UID
                                        + "\", \"batch.kubernetes.io/job-name\":\"pi\", \"controller-uid\":\"other\", "
                                        + "\"job-name\":\"pi\"}: must be '" + UID + "'"))),
                job(
                        "\"selector\":{\"matchLabels\":{\"batch.kubernetes.io/controller-uid\":\"x\"}},",
                        cause(
                                "FieldValueInvalid",
                                "spec.selector",
                                "Invalid value: v1.LabelSelector{MatchLabels:map[string]string{\"batch.kubernetes.io/"
                                        + "controller-uid\":\"x\"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: "
                                        + "`selector` not auto-generated"),
                        cause(
                                "FieldValueInvalid",
                                "spec.template.metadata.labels",
                                "Invalid value: map[string]string{\"batch.kubernetes.io/controller-uid\":\"" + UID
                                        + "\", \"batch.kubernetes.io/job-name\":\"pi\", \"controller-uid\":\"" + UID
                                        + "\", \"job-name\":\"pi\"}: `selector` does not match template `labels`")));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("cases")
    void jobs(String spec, List<Cause> expected) {
        assertThat(Kinds.validate("batch", "Job", BatchValidationTest.batch("Job", "pi", spec), null))
                .containsExactlyElementsOf(expected);
    }

    @Test
    void anIndexedJobChangesCompletionsOnlyWithParallelism() {
        ObjectNode old = BatchValidationTest.batch(
                "Job",
                "pi",
                "{\"completionMode\":\"Indexed\",\"completions\":3,\"parallelism\":3,\"template\":" + POD + "}");
        ObjectNode alone = old.deepCopy();
        alone.withObjectProperty("spec").put("completions", 4);
        assertThat(Kinds.validate("batch", "Job", alone, old))
                .containsExactly(cause(
                        "FieldValueInvalid",
                        "spec.completions",
                        "Invalid value: 4: can only be modified in tandem with spec.parallelism"));
        ObjectNode both = alone.deepCopy();
        both.withObjectProperty("spec").put("parallelism", 4);
        assertThat(Kinds.validate("batch", "Job", both, old)).isEmpty();
    }

    /** Upstream's update runs ValidateJob and then ValidateJobUpdate, so a spec error is reported twice. */
    @Test
    void updatesReportSpecErrorsTwiceAsUpstreamDoes() {
        ObjectNode old = BatchValidationTest.batch("Job", "pi", "{\"template\":" + POD + "}");
        ObjectNode now = old.deepCopy();
        now.withObjectProperty("spec").put("backoffLimit", -1);
        Cause backoff = cause(
                "FieldValueInvalid", "spec.backoffLimit", "Invalid value: -1: must be greater than or equal to 0");
        assertThat(Kinds.validate("batch", "Job", now, old)).containsExactly(backoff, backoff);
    }

    @Test
    void aSuspendedJobThatNeverStartedMayMoveItsPods() {
        ObjectNode old = BatchValidationTest.batch("Job", "pi", "{\"suspend\":true,\"template\":" + POD + "}");
        ObjectNode now = old.deepCopy();
        ((ObjectNode) now.at("/spec/template/spec"))
                .putObject("affinity")
                .putObject("nodeAffinity")
                .putObject("requiredDuringSchedulingIgnoredDuringExecution")
                .putArray("nodeSelectorTerms")
                .addObject()
                .putArray("matchExpressions")
                .addObject()
                .put("key", "zone")
                .put("operator", "Exists");
        assertThat(Kinds.validate("batch", "Job", now, old)).isEmpty();
    }
}
