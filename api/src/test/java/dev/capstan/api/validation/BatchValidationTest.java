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

class BatchValidationTest {

    private static final String POD =
            "{\"spec\":{\"restartPolicy\":\"Never\",\"containers\":[{\"name\":\"c\"," + "\"image\":\"busybox\"}]}}";

    static ObjectNode batch(String kind, String name, String spec) {
        ObjectNode o =
                obj("{\"metadata\":{\"name\":\"" + name + "\",\"namespace\":\"default\"},\"spec\":" + spec + "}");
        Kinds.defaults("batch", kind, o);
        Kinds.prepareForCreate("batch", kind, o);
        return o;
    }

    static Stream<Arguments> jobs() {
        return Stream.of(
                Arguments.of("{\"template\":" + POD + "}", List.of()),
                Arguments.of(
                        "{\"backoffLimit\":-1,\"template\":" + POD + "}",
                        List.of(cause(
                                "FieldValueInvalid",
                                "spec.backoffLimit",
                                "Invalid value: -1: must be greater than or equal to 0"))),
                Arguments.of(
                        "{\"completions\":-2,\"parallelism\":-3,\"template\":" + POD + "}",
                        List.of(
                                cause(
                                        "FieldValueInvalid",
                                        "spec.parallelism",
                                        "Invalid value: -3: must be greater than or equal to 0"),
                                cause(
                                        "FieldValueInvalid",
                                        "spec.completions",
                                        "Invalid value: -2: must be greater than or equal to 0"))),
                Arguments.of(
                        "{\"template\":{\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"busybox\"}]}}}",
                        List.of(cause(
                                "FieldValueRequired",
                                "spec.template.spec.restartPolicy",
                                "Required value: valid values: \"OnFailure\", \"Never\""))),
                Arguments.of(
                        "{\"manualSelector\":true,\"template\":" + POD + "}",
                        // a nil selector converts to one that selects nothing, so the template never matches
                        List.of(
                                cause("FieldValueRequired", "spec.selector", "Required value"),
                                cause(
                                        "FieldValueInvalid",
                                        "spec.template.metadata.labels",
                                        "Invalid value: map[string]string(nil): `selector` does not match template "
                                                + "`labels`"))),
                Arguments.of(
                        "{\"completionMode\":\"Sometimes\",\"template\":" + POD + "}",
                        List.of(cause(
                                "FieldValueNotSupported",
                                "spec.completionMode",
                                "Unsupported value: \"Sometimes\": "
                                        + "supported values: \"NonIndexed\", \"Indexed\""))));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("jobs")
    void jobCreate(String spec, List<Cause> expected) {
        assertThat(Kinds.validate("batch", "Job", batch("Job", "pi", spec), null))
                .containsExactlyElementsOf(expected);
    }

    static Stream<Arguments> cronJobs() {
        String tmpl = ",\"jobTemplate\":{\"spec\":{\"template\":" + POD + "}}";
        return Stream.of(
                Arguments.of("{\"schedule\":\"*/5 * * * *\"" + tmpl + "}", List.of()),
                Arguments.of("{\"schedule\":\"@hourly\"" + tmpl + "}", List.of()),
                Arguments.of("{\"schedule\":\"0 0 * JAN-MAR mon\"" + tmpl + "}", List.of()),
                Arguments.of("{\"schedule\":\"@every 90m\"" + tmpl + "}", List.of()),
                Arguments.of(
                        "{\"jobTemplate\":{\"spec\":{\"template\":" + POD + "}}}",
                        List.of(cause("FieldValueRequired", "spec.schedule", "Required value"))),
                Arguments.of(
                        "{\"schedule\":\"* * * *\"" + tmpl + "}",
                        List.of(cause(
                                "FieldValueInvalid",
                                "spec.schedule",
                                "Invalid value: \"* * * *\": expected exactly 5 fields, found 4: " + "[* * * *]"))),
                Arguments.of(
                        "{\"schedule\":\"61 * * * *\"" + tmpl + "}",
                        List.of(cause(
                                "FieldValueInvalid",
                                "spec.schedule",
                                "Invalid value: \"61 * * * *\": end of range (61) above maximum (59): 61"))),
                Arguments.of(
                        "{\"schedule\":\"* * 0 * *\"" + tmpl + "}",
                        List.of(cause(
                                "FieldValueInvalid",
                                "spec.schedule",
                                "Invalid value: \"* * 0 * *\": beginning of range (0) below minimum (1): 0"))),
                Arguments.of(
                        "{\"schedule\":\"x * * * *\"" + tmpl + "}",
                        List.of(cause(
                                "FieldValueInvalid",
                                "spec.schedule",
                                "Invalid value: \"x * * * *\": failed to parse int from x: strconv.Atoi: "
                                        + "parsing \"x\": invalid syntax"))),
                Arguments.of(
                        "{\"schedule\":\"@fortnightly\"" + tmpl + "}",
                        List.of(cause(
                                "FieldValueInvalid",
                                "spec.schedule",
                                "Invalid value: \"@fortnightly\": unrecognized descriptor: @fortnightly"))),
                Arguments.of(
                        "{\"schedule\":\"@every 5x\"" + tmpl + "}",
                        List.of(cause(
                                "FieldValueInvalid",
                                "spec.schedule",
                                "Invalid value: \"@every 5x\": failed to parse duration @every 5x: time: "
                                        + "unknown unit \"x\" in duration \"5x\""))),
                Arguments.of(
                        "{\"schedule\":\"TZ=UTC 0 * * * *\"" + tmpl + "}",
                        List.of(cause(
                                "FieldValueInvalid",
                                "spec.schedule",
                                "Invalid value: \"TZ=UTC 0 * * * *\": cannot use TZ or CRON_TZ in schedule, "
                                        + "use timeZone field instead"))),
                Arguments.of(
                        "{\"schedule\":\"0 * * * *\",\"timeZone\":\"Mars/Olympus\"" + tmpl + "}",
                        List.of(cause(
                                "FieldValueInvalid",
                                "spec.timeZone",
                                "Invalid value: \"Mars/Olympus\": unknown time zone " + "Mars/Olympus"))),
                Arguments.of(
                        "{\"schedule\":\"0 * * * *\",\"concurrencyPolicy\":\"Sometimes\"" + tmpl + "}",
                        List.of(cause(
                                "FieldValueNotSupported",
                                "spec.concurrencyPolicy",
                                "Unsupported value: \"Sometimes\": "
                                        + "supported values: \"Allow\", \"Forbid\", \"Replace\""))),
                Arguments.of(
                        "{\"schedule\":\"0 * * * *\",\"jobTemplate\":{\"spec\":{\"template\":{\"spec\":{"
                                + "\"containers\":[{\"name\":\"c\",\"image\":\"busybox\"}]}}}}}",
                        List.of(cause(
                                "FieldValueRequired",
                                "spec.jobTemplate.spec.template.spec.restartPolicy",
                                "Required value: valid values: \"OnFailure\", \"Never\""))));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("cronJobs")
    void cronJobCreate(String spec, List<Cause> expected) {
        assertThat(Kinds.validate("batch", "CronJob", batch("CronJob", "nightly", spec), null))
                .containsExactlyElementsOf(expected);
    }

    @Test
    void cronJobNamesAreLimitedTo52Characters() {
        String name = "c".repeat(53);
        ObjectNode cj = batch(
                "CronJob", name, "{\"schedule\":\"@daily\",\"jobTemplate\":{\"spec\":{\"template\":" + POD + "}}}");
        assertThat(Kinds.validate("batch", "CronJob", cj, null))
                .containsExactly(cause(
                        "FieldValueInvalid",
                        "metadata.name",
                        "Invalid value: \"" + name + "\": must be no more than 52 " + "characters"));
    }

    @Test
    void indexedJobPodHostnamesMustBeLabels() {
        String name = "j".repeat(62);
        ObjectNode job =
                batch("Job", name, "{\"completionMode\":\"Indexed\",\"completions\":10,\"template\":" + POD + "}");
        assertThat(Kinds.validate("batch", "Job", job, null))
                .containsExactly(cause(
                        "FieldValueInvalid",
                        "metadata.name",
                        "Invalid value: \"" + name + "\": will not able to create pod with invalid DNS label: " + name
                                + "-9"));
    }

    @Test
    void jobTemplateIsImmutable() {
        ObjectNode old = batch("Job", "pi", "{\"template\":" + POD + "}");
        ObjectNode now = old.deepCopy();
        ((ObjectNode) now.at("/spec/template/spec/containers/0")).put("image", "busybox:2");
        List<Cause> causes = Kinds.validate("batch", "Job", now, old);
        assertThat(causes)
                .extracting(Cause::field, Cause::reason)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("spec.template", "FieldValueInvalid"));
        assertThat(causes.get(0).message()).endsWith(": field is immutable");
    }
}
