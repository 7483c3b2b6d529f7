package dev.capstan.api.validation;

import static dev.capstan.api.validation.TestJson.cause;
import static dev.capstan.api.validation.TestJson.obj;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ConfigValidationTest {

    private static final String KEY_MSG = "a valid config key must consist of alphanumeric characters, '-', '_' or "
            + "'.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')";

    static ObjectNode named(String kind, String body) {
        ObjectNode o = obj("{\"metadata\":{\"name\":\"cfg\",\"namespace\":\"default\"}" + body + "}");
        Kinds.defaults("", kind, o);
        return o;
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("ConfigMap", ",\"data\":{\"app.properties\":\"a=b\"}", List.of()),
                Arguments.of(
                        "ConfigMap",
                        ",\"data\":{\"bad key\":\"x\"}",
                        List.of(cause("FieldValueInvalid", "data[bad key]", "Invalid value: \"bad key\": " + KEY_MSG))),
                Arguments.of(
                        "ConfigMap",
                        ",\"data\":{\"k\":\"x\"},\"binaryData\":{\"k\":\"eA==\"}",
                        List.of(cause(
                                "FieldValueInvalid",
                                "data[k]",
                                "Invalid value: \"k\": duplicate of key present in " + "binaryData"))),
                Arguments.of(
                        "ConfigMap",
                        ",\"binaryData\":{\"..x\":\"eA==\"}",
                        List.of(cause(
                                "FieldValueInvalid",
                                "binaryData[..x]",
                                "Invalid value: \"..x\": must not start with '..'"))),
                Arguments.of("Secret", ",\"data\":{\"password\":\"c2VjcmV0\"}", List.of()),
                Arguments.of(
                        "Secret",
                        ",\"stringData\":{\"a/b\":\"x\"}",
                        List.of(cause("FieldValueInvalid", "data[a/b]", "Invalid value: \"a/b\": " + KEY_MSG))),
                Arguments.of(
                        "Secret",
                        ",\"type\":\"kubernetes.io/tls\",\"data\":{\"tls.crt\":\"eA==\"}",
                        List.of(cause("FieldValueRequired", "data[tls.key]", "Required value"))),
                Arguments.of(
                        "Secret",
                        ",\"type\":\"kubernetes.io/basic-auth\"",
                        List.of(
                                cause("FieldValueRequired", "data[username]", "Required value"),
                                cause("FieldValueRequired", "data[password]", "Required value"))),
                Arguments.of(
                        "Secret",
                        ",\"type\":\"kubernetes.io/service-account-token\"",
                        List.of(cause(
                                "FieldValueRequired",
                                "metadata.annotations[kubernetes.io/service-account.name]",
                                "Required value"))));
    }

    @ParameterizedTest(name = "[{index}] {0} {1}")
    @MethodSource("cases")
    void configCreate(String kind, String body, List<Cause> expected) {
        assertThat(Kinds.validate("", kind, named(kind, body), null)).containsExactlyElementsOf(expected);
    }

    @Test
    void configMapDataOverOneMebibyteIsTooLong() {
        String half = "x".repeat(512 * 1024);
        ObjectNode cm = named("ConfigMap", ",\"data\":{\"a\":\"" + half + "\",\"b\":\"" + half + "y\"}");
        assertThat(Kinds.validate("", "ConfigMap", cm, null))
                .containsExactly(cause("FieldValueTooLong", "", "Too long: may not be more than 1048576 bytes"));
    }

    @Test
    void secretSizeCountsDecodedBytes() {
        String encoded = Base64.getEncoder().encodeToString(new byte[1024 * 1024]);
        ObjectNode atLimit = named("Secret", ",\"data\":{\"blob\":\"" + encoded + "\"}");
        assertThat(Kinds.validate("", "Secret", atLimit, null)).isEmpty();
        ObjectNode over = named("Secret", ",\"data\":{\"blob\":\"" + encoded + "\",\"one\":\"eA==\"}");
        assertThat(Kinds.validate("", "Secret", over, null))
                .containsExactly(cause("FieldValueTooLong", "data", "Too long: may not be more than 1048576 bytes"));
    }

    @Test
    void secretTypeIsImmutable() {
        ObjectNode old = named("Secret", ",\"data\":{\"a\":\"eA==\"}");
        ObjectNode now = old.deepCopy();
        now.put("type", "kubernetes.io/ssh-auth");
        now.set("data", obj("{\"ssh-privatekey\":\"eA==\"}"));
        assertThat(Kinds.validate("", "Secret", now, old))
                .containsExactly(cause(
                        "FieldValueInvalid", "type", "Invalid value: \"kubernetes.io/ssh-auth\": field is immutable"));
    }

    @Test
    void immutableConfigMapsRefuseDataChanges() {
        ObjectNode old = named("ConfigMap", ",\"immutable\":true,\"data\":{\"a\":\"1\"}");
        ObjectNode now = old.deepCopy();
        now.set("data", obj("{\"a\":\"2\"}"));
        now.remove("immutable");
        assertThat(Kinds.validate("", "ConfigMap", now, old))
                .containsExactly(
                        cause(
                                "FieldValueForbidden",
                                "immutable",
                                "Forbidden: field is immutable when `immutable` is set"),
                        cause("FieldValueForbidden", "data", "Forbidden: field is immutable when `immutable` is set"));
    }

    @Test
    void namespaceNamesAreLabelsAndFinalizersAreChecked() {
        ObjectNode ns = obj("{\"metadata\":{\"name\":\"team.a\"},\"spec\":{\"finalizers\":[\"custom\"]}}");
        assertThat(Kinds.validate("", "Namespace", ns, null))
                .containsExactly(
                        cause("FieldValueInvalid", "metadata.name", "Invalid value: \"team.a\": must not contain dots"),
                        cause(
                                "FieldValueInvalid",
                                "spec.finalizers",
                                "Invalid value: \"custom\": name is neither a standard "
                                        + "finalizer name nor is it fully qualified"));
    }
}
