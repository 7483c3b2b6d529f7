package dev.capstan.api.validation;

import static dev.capstan.api.validation.TestJson.LABEL_MSG;
import static dev.capstan.api.validation.TestJson.SUBDOMAIN_MSG;
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

class EndpointsValidationTest {

    static ObjectNode endpoints(String subsets) {
        ObjectNode e = obj("{\"metadata\":{\"name\":\"web\",\"namespace\":\"default\"},\"subsets\":" + subsets + "}");
        EndpointsValidation.defaultEndpoints(e);
        return e;
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of(
                        "[{\"addresses\":[{\"ip\":\"10.1.2.3\",\"nodeName\":\"n1\"}],\"ports\":[{\"port\":80}]}]",
                        List.of()),
                Arguments.of("[{\"notReadyAddresses\":[{\"ip\":\"2001:db8::1\",\"hostname\":\"pod-0\"}]}]", List.of()),
                Arguments.of(
                        "[{\"ports\":[{\"port\":80}]}]",
                        List.of(cause(
                                "FieldValueRequired",
                                "subsets[0]",
                                "Required value: must specify `addresses` or `notReadyAddresses`"))),
                // an invalid IP fails IsValidIP and then ValidateNonSpecialIP, with two messages
                Arguments.of(
                        "[{\"addresses\":[{\"ip\":\"10.1.2\"}]}]",
                        List.of(
                                cause(
                                        "FieldValueInvalid",
                                        "subsets[0].addresses[0].ip",
                                        "Invalid value: \"10.1.2\": must be a valid IP address, (e.g. 10.9.8.7 or "
                                                + "2001:db8::ffff)"),
                                cause(
                                        "FieldValueInvalid",
                                        "subsets[0].addresses[0].ip",
                                        "Invalid value: \"10.1.2\": must be a valid IP address"))),
                Arguments.of(
                        "[{\"addresses\":[{\"ip\":\"127.0.0.1\"}]}]",
                        List.of(
                                cause(
                                        "FieldValueInvalid",
                                        "subsets[0].addresses[0].ip",
                                        "Invalid value: \"127.0.0.1\": may not be in the loopback range (127.0.0.0/8, ::1/128)"))),
                Arguments.of(
                        "[{\"addresses\":[{\"ip\":\"169.254.169.254\"}]}]",
                        List.of(cause(
                                "FieldValueInvalid",
                                "subsets[0].addresses[0].ip",
                                "Invalid value: \"169.254.169.254\": may not be in the link-local range "
                                        + "(169.254.0.0/16, fe80::/10)"))),
                Arguments.of(
                        "[{\"addresses\":[{\"ip\":\"10.1.2.3\",\"hostname\":\"Pod\",\"nodeName\":\"\"}]}]",
                        List.of(
                                cause(
                                        "FieldValueInvalid",
                                        "subsets[0].addresses[0].hostname",
                                        "Invalid value: \"Pod\": " + LABEL_MSG),
                                cause(
                                        "FieldValueInvalid",
                                        "subsets[0].addresses[0].nodeName",
                                        "Invalid value: \"\": " + SUBDOMAIN_MSG))),
                Arguments.of(
                        "[{\"addresses\":[{\"ip\":\"10.1.2.3\"}],\"ports\":[{\"port\":80},{\"name\":\"b\",\"port\":0,"
                                + "\"protocol\":\"ICMP\"}]}]",
                        List.of(
                                cause("FieldValueRequired", "subsets[0].ports[0].name", "Required value"),
                                cause(
                                        "FieldValueInvalid",
                                        "subsets[0].ports[1].port",
                                        "Invalid value: 0: must be between 1 and 65535, inclusive"),
                                cause(
                                        "FieldValueNotSupported",
                                        "subsets[0].ports[1].protocol",
                                        "Unsupported value: \"ICMP\": supported values: \"SCTP\", \"TCP\", \"UDP\""))));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("cases")
    void create(String subsets, List<Cause> expected) {
        assertThat(EndpointsValidation.validateEndpoints(endpoints(subsets))).containsExactlyElementsOf(expected);
    }

    @Test
    void portsDefaultToTcpAndUpdatesRevalidate() {
        ObjectNode e = endpoints("[{\"addresses\":[{\"ip\":\"10.1.2.3\"}],\"ports\":[{\"port\":80}]}]");
        assertThat(e.at("/subsets/0/ports/0/protocol").asText()).isEqualTo("TCP");
        ObjectNode bad = endpoints("[{\"addresses\":[{\"ip\":\"0.0.0.0\"}]}]");
        assertThat(EndpointsValidation.validateEndpointsUpdate(bad, e))
                .containsExactly(cause(
                        "FieldValueInvalid",
                        "subsets[0].addresses[0].ip",
                        "Invalid value: \"0.0.0.0\": may not be unspecified (0.0.0.0)"));
    }

    @Test
    void endpointsAreNamespaced() {
        ObjectNode e = obj("{\"metadata\":{\"name\":\"web\"}}");
        assertThat(EndpointsValidation.validateEndpoints(e))
                .containsExactly(cause("FieldValueRequired", "metadata.namespace", "Required value"));
    }

    @Test
    void serviceAccountsCheckMetadataOnlyAndKeepSecretNames() {
        ObjectNode sa = obj("{\"metadata\":{\"name\":\"Builder\",\"namespace\":\"default\"},"
                + "\"secrets\":[{\"name\":\"tok\",\"namespace\":\"other\",\"uid\":\"u\"}],"
                + "\"imagePullSecrets\":[{\"name\":\"Not A Name\"}]}");
        assertThat(ServiceAccountValidation.validateServiceAccount(sa))
                .containsExactly(
                        cause("FieldValueInvalid", "metadata.name", "Invalid value: \"Builder\": " + SUBDOMAIN_MSG));
        ServiceAccountValidation.prepareForCreate(sa);
        assertThat(sa.get("secrets"))
                .isEqualTo(obj("{\"a\":[{\"name\":\"tok\"}]}").get("a"));
        ObjectNode ok = obj("{\"metadata\":{\"name\":\"builder\",\"namespace\":\"default\"}}");
        assertThat(ServiceAccountValidation.validateServiceAccountUpdate(ok, ok))
                .isEmpty();
    }
}
