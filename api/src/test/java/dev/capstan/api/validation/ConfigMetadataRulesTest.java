package dev.capstan.api.validation;

import static dev.capstan.api.validation.TestJson.cause;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Docker config secrets, managed fields and banned owners. */
class ConfigMetadataRulesTest {

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static Arguments docker(String type, String key, String content, String error) {
        List<Cause> expected = error == null
                ? List.of()
                : List.of(cause(
                        "FieldValueInvalid",
                        "data[" + key + "]",
                        "Invalid value: \"<secret contents redacted>\": " + error));
        return Arguments.of(
                "Secret", ",\"type\":\"" + type + "\",\"data\":{\"" + key + "\":\"" + b64(content) + "\"}", expected);
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                docker("kubernetes.io/dockercfg", ".dockercfg", "{\"registry\":{}}", null),
                docker("kubernetes.io/dockercfg", ".dockercfg", "{", "unexpected end of JSON input"),
                docker(
                        "kubernetes.io/dockerconfigjson",
                        ".dockerconfigjson",
                        "[]",
                        "json: cannot unmarshal array into Go value of type map[string]interface {}"),
                docker(
                        "kubernetes.io/dockerconfigjson",
                        ".dockerconfigjson",
                        "x",
                        "invalid character 'x' looking for beginning of value"),
                docker(
                        "kubernetes.io/dockerconfigjson",
                        ".dockerconfigjson",
                        "{\"auths\":{} x",
                        "invalid character 'x' after object key:value pair"),
                Arguments.of(
                        "ConfigMap",
                        ",\"metadata\":{\"name\":\"cfg\",\"namespace\":\"default\",\"managedFields\":[{\"manager\":\"a\\u0007\","
                                + "\"operation\":\"Patch\",\"fieldsType\":\"FieldsV2\"}]}",
                        List.of(
                                cause(
                                        "FieldValueInvalid",
                                        "metadata.managedFields[0].operation",
                                        "Invalid value: \"Patch\": must be `Apply` or `Update`"),
                                cause(
                                        "FieldValueInvalid",
                                        "metadata.managedFields[0].fieldsType",
                                        "Invalid value: \"FieldsV2\": must be `FieldsV1`"),
                                cause(
                                        "FieldValueInvalid",
                                        "metadata.managedFields[0].manager",
                                        "Invalid value: \"a\\a\": invalid character U+0007 (at position 1)"))),
                Arguments.of(
                        "ConfigMap",
                        ",\"metadata\":{\"name\":\"cfg\",\"namespace\":\"default\",\"ownerReferences\":[{\"apiVersion\":\"v1\","
                                + "\"kind\":\"Event\",\"name\":\"e\",\"uid\":\"u\"}]}",
                        List.of(cause(
                                "FieldValueInvalid",
                                "metadata.ownerReferences",
                                "Invalid value: v1.OwnerReference{APIVersion:\"v1\", Kind:\"Event\", Name:\"e\", UID:\"u\", "
                                        + "Controller:(*bool)(nil), BlockOwnerDeletion:(*bool)(nil)}: /v1, Kind=Event is "
                                        + "disallowed from being an owner"))));
    }

    @ParameterizedTest(name = "[{index}] {0} {1}")
    @MethodSource("cases")
    void rules(String kind, String body, List<Cause> expected) {
        assertThat(Kinds.validate("", kind, ConfigValidationTest.named(kind, body), null))
                .containsExactlyElementsOf(expected);
    }
}
