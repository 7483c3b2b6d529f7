package dev.capstan.api.validation;

import static dev.capstan.api.validation.TestJson.NAME_PART_MSG;
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

class StorageValidationTest {

    static ObjectNode sc(String rest) {
        ObjectNode o = obj("{\"metadata\":{\"name\":\"fast\"}" + rest + "}");
        StorageValidation.defaultStorageClass(o);
        return o;
    }

    private static final String PROVISIONER = ",\"provisioner\":\"kubernetes.io/gce-pd\"";

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of(
                        PROVISIONER + ",\"parameters\":{\"type\":\"pd-ssd\"},\"allowedTopologies\":[{"
                                + "\"matchLabelExpressions\":[{\"key\":\"topology.kubernetes.io/zone\",\"values\":"
                                + "[\"a\"]}]}]",
                        List.of()),
                Arguments.of("", List.of(cause("FieldValueRequired", "provisioner", "Required value"))),
                Arguments.of(
                        ",\"provisioner\":\"Bad Provisioner\"",
                        List.of(cause(
                                "FieldValueInvalid",
                                "provisioner",
                                "Invalid value: \"Bad Provisioner\": " + NAME_PART_MSG))),
                Arguments.of(
                        PROVISIONER + ",\"parameters\":{\"\":\"x\"},\"reclaimPolicy\":\"Recycle\","
                                + "\"volumeBindingMode\":\"Later\"",
                        List.of(
                                cause(
                                        "FieldValueInvalid",
                                        "parameters",
                                        "Invalid value: \"\": field can not be empty."),
                                cause(
                                        "FieldValueNotSupported",
                                        "reclaimPolicy",
                                        "Unsupported value: \"Recycle\": supported values: \"Delete\", \"Retain\""),
                                cause(
                                        "FieldValueNotSupported",
                                        "volumeBindingMode",
                                        "Unsupported value: \"Later\": supported values: \"Immediate\","
                                                + " \"WaitForFirstConsumer\""))),
                // the last term has no expressions, which upstream's comparison always reports as a duplicate
                Arguments.of(
                        PROVISIONER + ",\"allowedTopologies\":[{\"matchLabelExpressions\":[{\"key\":\"zone\","
                                + "\"values\":[\"a\",\"a\"]},{\"key\":\"zone\",\"values\":[]}]},"
                                + "{\"matchLabelExpressions\":[{\"key\":\"zone\",\"values\":[\"b\"]}]},{}]",
                        List.of(
                                cause(
                                        "FieldValueDuplicate",
                                        "allowedTopologies[0].matchLabelExpressions[0].values[1]",
                                        "Duplicate value: \"a\""),
                                cause(
                                        "FieldValueRequired",
                                        "allowedTopologies[0].matchLabelExpressions[1].values",
                                        "Required value"),
                                cause(
                                        "FieldValueDuplicate",
                                        "allowedTopologies[0].matchLabelExpressions[1].key",
                                        "Duplicate value: \"zone\""),
                                cause(
                                        "FieldValueDuplicate",
                                        "allowedTopologies[2].matchLabelExpressions",
                                        "Duplicate value: \"\""))));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("cases")
    void create(String rest, List<Cause> expected) {
        assertThat(StorageValidation.validateStorageClass(sc(rest))).containsExactlyElementsOf(expected);
    }

    @Test
    void atMost512Parameters() {
        ObjectNode o = sc(PROVISIONER);
        ObjectNode params = o.putObject("parameters");
        for (int i = 0; i < 513; i++) {
            params.put("k" + i, "v");
        }
        assertThat(StorageValidation.validateStorageClass(o))
                .containsExactly(cause("FieldValueTooLong", "parameters", "Too long: may not be more than 512 bytes"));
    }

    @Test
    void onlyMetadataMayChange() {
        ObjectNode old = sc(PROVISIONER + ",\"parameters\":{\"type\":\"pd-ssd\"}");
        ObjectNode now = sc(",\"provisioner\":\"example.com/csi\",\"parameters\":{\"type\":\"pd-standard\"},"
                + "\"reclaimPolicy\":\"Retain\",\"volumeBindingMode\":\"WaitForFirstConsumer\"");
        assertThat(StorageValidation.validateStorageClassUpdate(now, old))
                .containsExactly(
                        cause("FieldValueForbidden", "parameters", "Forbidden: updates to parameters are forbidden."),
                        cause("FieldValueForbidden", "provisioner", "Forbidden: updates to provisioner are forbidden."),
                        cause(
                                "FieldValueForbidden",
                                "reclaimPolicy",
                                "Forbidden: updates to reclaimPolicy are forbidden."),
                        cause(
                                "FieldValueInvalid",
                                "volumeBindingMode",
                                "Invalid value: \"WaitForFirstConsumer\": field is immutable"));
        ObjectNode relabelled = old.deepCopy();
        ((ObjectNode) relabelled.get("metadata")).putObject("labels").put("tier", "gold");
        assertThat(StorageValidation.validateStorageClassUpdate(relabelled, old))
                .isEmpty();
    }

    @Test
    void defaultsReclaimDeleteAndImmediateBinding() {
        ObjectNode o = sc(PROVISIONER);
        assertThat(o.get("reclaimPolicy").asText()).isEqualTo("Delete");
        assertThat(o.get("volumeBindingMode").asText()).isEqualTo("Immediate");
    }
}
