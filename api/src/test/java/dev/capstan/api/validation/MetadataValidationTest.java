package dev.capstan.api.validation;

import static dev.capstan.api.validation.TestJson.LABEL_VALUE_MSG;
import static dev.capstan.api.validation.TestJson.NAME_PART_MSG;
import static dev.capstan.api.validation.TestJson.SUBDOMAIN_MSG;
import static dev.capstan.api.validation.TestJson.cause;
import static dev.capstan.api.validation.TestJson.obj;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class MetadataValidationTest {

    /** A ConfigMap with this metadata, placed in a namespace as the request path does before validating. */
    private static List<Cause> validate(String metadataJson) {
        var cm = obj("{\"metadata\":" + metadataJson + "}");
        cm.withObjectProperty("metadata").put("namespace", "default");
        return Kinds.validate("", "ConfigMap", cm, null);
    }

    static Stream<Arguments> metadata() {
        return Stream.of(
                Arguments.of("{\"name\":\"ok\",\"labels\":{\"app\":\"web\",\"example.com/tier\":\"\"}}", List.of()),
                Arguments.of(
                        "{}",
                        List.of(cause(
                                "FieldValueRequired",
                                "metadata.name",
                                "Required value: name or generateName is required"))),
                Arguments.of("{\"generateName\":\"web-\"}", List.of()),
                Arguments.of(
                        "{\"generateName\":\"Web-\"}",
                        List.of(cause(
                                "FieldValueInvalid",
                                "metadata.generateName",
                                "Invalid value: \"Web-\": " + SUBDOMAIN_MSG))),
                Arguments.of(
                        "{\"name\":\"Bad_Name\"}",
                        List.of(cause(
                                "FieldValueInvalid",
                                "metadata.name",
                                "Invalid value: \"Bad_Name\": " + SUBDOMAIN_MSG))),
                Arguments.of(
                        "{\"name\":\"ok\",\"labels\":{\"-app\":\"x\"}}",
                        List.of(cause(
                                "FieldValueInvalid", "metadata.labels", "Invalid value: \"-app\": " + NAME_PART_MSG))),
                Arguments.of(
                        "{\"name\":\"ok\",\"labels\":{\"app\":\"has space\"}}",
                        List.of(cause(
                                "FieldValueInvalid",
                                "metadata.labels",
                                "Invalid value: \"has space\": " + LABEL_VALUE_MSG))),
                Arguments.of(
                        "{\"name\":\"ok\",\"labels\":{\"app\":\"" + "v".repeat(64) + "\"}}",
                        List.of(cause(
                                "FieldValueInvalid",
                                "metadata.labels",
                                "Invalid value: \"" + "v".repeat(64) + "\": must be no more than 63 characters"))),
                // annotation keys are checked case-insensitively, so upper case is fine there
                Arguments.of("{\"name\":\"ok\",\"annotations\":{\"Example.COM/Note\":\"x\"}}", List.of()),
                Arguments.of(
                        "{\"name\":\"ok\",\"annotations\":{\"a b\":\"x\"}}",
                        List.of(cause(
                                "FieldValueInvalid",
                                "metadata.annotations",
                                "Invalid value: \"a b\": " + NAME_PART_MSG))),
                Arguments.of(
                        "{\"name\":\"ok\",\"generation\":-1}",
                        List.of(cause(
                                "FieldValueInvalid",
                                "metadata.generation",
                                "Invalid value: -1: must be greater than or equal to 0"))),
                Arguments.of(
                        "{\"name\":\"ok\",\"finalizers\":[\"custom\"]}",
                        List.of(cause(
                                "FieldValueInvalid",
                                "metadata.finalizers[0]",
                                "Invalid value: \"custom\": name is neither a standard finalizer "
                                        + "name nor is it fully qualified"))),
                Arguments.of(
                        "{\"name\":\"ok\",\"finalizers\":[\"orphan\",\"foregroundDeletion\"]}",
                        List.of(cause(
                                "FieldValueInvalid",
                                "metadata.finalizers",
                                "Invalid value: []string{\"orphan\", "
                                        + "\"foregroundDeletion\"}: finalizer orphan and "
                                        + "foregroundDeletion cannot be both "
                                        + "set"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("metadata")
    void createMetadata(String metadataJson, List<Cause> expected) {
        assertThat(validate(metadataJson)).containsExactlyElementsOf(expected);
    }

    @Test
    void annotationsOver256KiBAreTooLong() {
        String big = "x".repeat(256 * 1024);
        assertThat(validate("{\"name\":\"ok\",\"annotations\":{\"k\":\"" + big + "\"}}"))
                .containsExactly(cause(
                        "FieldValueTooLong", "metadata.annotations", "Too long: may not be more than 262144 bytes"));
        assertThat(validate("{\"name\":\"ok\",\"annotations\":{\"k\":\"" + big.substring(1) + "\"}}"))
                .isEmpty();
    }

    @Test
    void unknownKindsOnlyGetMetadataChecks() {
        var widget = obj("{\"metadata\":{\"name\":\"Nope\"},\"spec\":{\"anything\":-1}}");
        assertThat(Kinds.validate("example.com", "Widget", widget, null))
                .containsExactly(
                        cause("FieldValueInvalid", "metadata.name", "Invalid value: \"Nope\": " + SUBDOMAIN_MSG));
    }

    @Test
    void updatesDoNotRecheckTheNameButStillCheckLabels() {
        var now = obj("{\"metadata\":{\"name\":\"Legacy_Name\",\"labels\":{\"a\":\"-x\"}}}");
        var old = obj("{\"metadata\":{\"name\":\"Legacy_Name\"}}");
        assertThat(Kinds.validate("example.com", "Widget", now, old))
                .containsExactly(
                        cause("FieldValueInvalid", "metadata.labels", "Invalid value: \"-x\": " + LABEL_VALUE_MSG));
    }
}
