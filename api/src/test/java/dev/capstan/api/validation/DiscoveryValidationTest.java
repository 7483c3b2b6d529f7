package dev.capstan.api.validation;

import static dev.capstan.api.validation.TestJson.LABEL_MSG;
import static dev.capstan.api.validation.TestJson.NAME_PART_MSG;
import static dev.capstan.api.validation.TestJson.SUBDOMAIN_MSG;
import static dev.capstan.api.validation.TestJson.cause;
import static dev.capstan.api.validation.TestJson.obj;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DiscoveryValidationTest {

    static ObjectNode slice(String type, String endpoints, String ports) {
        ObjectNode o = obj("{\"metadata\":{\"name\":\"web-abc\",\"namespace\":\"default\"},\"addressType\":\"" + type
                + "\",\"endpoints\":" + endpoints + ",\"ports\":" + ports + "}");
        DiscoveryValidation.defaultEndpointSlice(o);
        return o;
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of(
                        "IPv4",
                        "[{\"addresses\":[\"10.0.0.1\"],\"conditions\":{\"ready\":true},\"nodeName\":\"node-1\","
                                + "\"zone\":\"a\",\"hostname\":\"web-0\",\"hints\":{\"forZones\":[{\"name\":\"a\"}]}}]",
                        "[{\"name\":\"http\",\"port\":80,\"appProtocol\":\"kubernetes.io/h2c\"},{\"port\":81}]",
                        List.of()),
                Arguments.of("", "[]", "[]", List.of(cause("FieldValueRequired", "addressType", "Required value"))),
                Arguments.of(
                        "IP",
                        "[{\"addresses\":[\"anything\"]}]",
                        "[]",
                        List.of(cause(
                                "FieldValueNotSupported",
                                "addressType",
                                "Unsupported value: \"IP\": supported values: \"FQDN\", \"IPv4\", \"IPv6\""))),
                Arguments.of(
                        "IPv4",
                        "[{\"addresses\":[]},{\"addresses\":[\"fe80::1\",\"127.0.0.1\",\"999.1.1.1\"]}]",
                        "[]",
                        List.of(
                                cause(
                                        "FieldValueRequired",
                                        "endpoints[0].addresses",
                                        "Required value: must contain at least 1 address"),
                                cause(
                                        "FieldValueInvalid",
                                        "endpoints[1].addresses[0]",
                                        "Invalid value: \"fe80::1\": must be a valid IPv4 address"),
                                cause(
                                        "FieldValueInvalid",
                                        "endpoints[1].addresses[0]",
                                        "Invalid value: \"fe80::1\": may not be in the link-local range"
                                                + " (169.254.0.0/16, fe80::/10)"),
                                cause(
                                        "FieldValueInvalid",
                                        "endpoints[1].addresses[1]",
                                        "Invalid value: \"127.0.0.1\": may not be in the loopback range"
                                                + " (127.0.0.0/8, ::1/128)"),
                                cause(
                                        "FieldValueInvalid",
                                        "endpoints[1].addresses[2]",
                                        "Invalid value: \"999.1.1.1\": must be a valid IPv4 address"),
                                cause(
                                        "FieldValueInvalid",
                                        "endpoints[1].addresses[2]",
                                        "Invalid value: \"999.1.1.1\": must be a valid IP address"))),
                Arguments.of(
                        "IPv6",
                        "[{\"addresses\":[\"2001:db8::1\",\"10.0.0.1\"]}]",
                        "[]",
                        List.of(cause(
                                "FieldValueInvalid",
                                "endpoints[0].addresses[1]",
                                "Invalid value: \"10.0.0.1\": must be a valid IPv6 address"))),
                Arguments.of(
                        "FQDN",
                        "[{\"addresses\":[\"example.com.\",\"localhost\",\"Bad_Name.com\"]}]",
                        "[]",
                        List.of(
                                cause(
                                        "FieldValueInvalid",
                                        "endpoints[0].addresses[1]",
                                        "Invalid value: \"localhost\": should be a domain with at least two segments"
                                                + " separated by dots"),
                                cause(
                                        "FieldValueInvalid",
                                        "endpoints[0].addresses[2]",
                                        "Invalid value: \"Bad_Name.com\": " + SUBDOMAIN_MSG))),
                Arguments.of(
                        "IPv4",
                        "[{\"addresses\":[\"10.0.0.1\"],\"nodeName\":\"Node_1\",\"hostname\":\"a.b\","
                                + "\"deprecatedTopology\":{\"topology.kubernetes.io/zone\":\"a\"},\"hints\":"
                                + "{\"forZones\":[{\"name\":\"a\"},{\"name\":\"a\"}]}}]",
                        "[]",
                        List.of(
                                cause(
                                        "FieldValueInvalid",
                                        "endpoints[0].nodeName",
                                        "Invalid value: \"Node_1\": " + SUBDOMAIN_MSG),
                                cause(
                                        "InternalError",
                                        "endpoints[0].deprecatedTopology[topology.kubernetes.io/zone]",
                                        "Internal error: reserved key was not removed in conversion"),
                                cause(
                                        "FieldValueInvalid",
                                        "endpoints[0].hostname",
                                        "Invalid value: \"a.b\": must not contain dots"),
                                cause(
                                        "FieldValueDuplicate",
                                        "endpoints[0].hints.forZones[1].name",
                                        "Duplicate value: \"a\""))),
                Arguments.of(
                        "IPv4",
                        "[]",
                        "[{\"name\":\"http\"},{\"name\":\"http\",\"protocol\":\"XTP\",\"appProtocol\":\"a b\"},{},"
                                + "{\"name\":\"Bad\"}]",
                        List.of(
                                cause("FieldValueDuplicate", "ports[1].name", "Duplicate value: \"http\""),
                                cause(
                                        "FieldValueNotSupported",
                                        "ports[1].protocol",
                                        "Unsupported value: \"XTP\": supported values: \"SCTP\", \"TCP\", \"UDP\""),
                                cause(
                                        "FieldValueInvalid",
                                        "ports[1].appProtocol",
                                        "Invalid value: \"a b\": " + NAME_PART_MSG),
                                cause("FieldValueInvalid", "ports[3].name", "Invalid value: \"Bad\": " + LABEL_MSG))));
    }

    @ParameterizedTest(name = "[{index}] {0} {1} {2}")
    @MethodSource("cases")
    void create(String type, String endpoints, String ports, List<Cause> expected) {
        assertThat(DiscoveryValidation.validateEndpointSlice(slice(type, endpoints, ports)))
                .containsExactlyElementsOf(expected);
    }

    @Test
    void undefaultedPortHasNoProtocol() {
        ObjectNode o = obj("{\"metadata\":{\"name\":\"s\",\"namespace\":\"d\"},\"addressType\":\"IPv4\",\"ports\":"
                + "[{\"name\":\"\"}]}");
        assertThat(DiscoveryValidation.validateEndpointSlice(o))
                .containsExactly(cause("FieldValueRequired", "ports[0].protocol", "Required value"));
    }

    @Test
    void atMostAThousandEndpoints() {
        ObjectNode o = slice("IPv4", "[]", "[]");
        ArrayNode eps = o.putArray("endpoints");
        for (int i = 0; i < 1001; i++) {
            eps.addObject().putArray("addresses").add("10.0.0.1");
        }
        assertThat(DiscoveryValidation.validateEndpointSlice(o))
                .containsExactly(
                        cause("FieldValueTooMany", "endpoints", "Too many: 1001: must have at most 1000 items"));
    }

    @Test
    void addressTypeIsFixed() {
        assertThat(DiscoveryValidation.validateEndpointSliceUpdate(
                        slice("IPv6", "[]", "[]"), slice("IPv4", "[]", "[]")))
                .containsExactly(
                        cause("FieldValueInvalid", "addressType", "Invalid value: \"IPv6\": field is immutable"));
    }

    @Test
    void portDefaults() {
        ObjectNode o = slice("IPv4", "[]", "[{\"port\":80},{\"name\":\"x\",\"protocol\":\"UDP\"}]");
        assertThat(o.get("ports"))
                .isEqualTo(obj("{\"p\":[{\"port\":80,\"name\":\"\",\"protocol\":\"TCP\"},{\"name\":\"x\","
                                + "\"protocol\":\"UDP\"}]}")
                        .get("p"));
    }

    @Test
    void v1WritesDropDeprecatedTopologyAndKeepAKnownNodeName() {
        String topology = "\"deprecatedTopology\":{\"kubernetes.io/hostname\":\"node-1\"}";
        ObjectNode created = slice("IPv4", "[{\"addresses\":[\"10.0.0.1\"]," + topology + "}]", "[]");
        DiscoveryValidation.prepareForCreate(created);
        assertThat(created.at("/endpoints/0").has("deprecatedTopology")).isFalse();
        assertThat(created.at("/endpoints/0").has("nodeName")).isFalse();
        assertThat(created.at("/metadata/generation").asInt()).isEqualTo(1);

        ObjectNode old = slice("IPv4", "[{\"addresses\":[\"10.0.0.1\"]," + topology + "}]", "[]");
        ((ObjectNode) old.get("metadata")).put("generation", 4);
        ObjectNode now = slice("IPv4", "[{\"addresses\":[\"10.0.0.2\"]," + topology + "}]", "[]");
        DiscoveryValidation.prepareForUpdate(now, old);
        assertThat(now.at("/endpoints/0/nodeName").asText()).isEqualTo("node-1");
        assertThat(now.at("/endpoints/0").has("deprecatedTopology")).isFalse();
        assertThat(now.at("/metadata/generation").asInt()).isEqualTo(5);

        ObjectNode same = old.deepCopy();
        DiscoveryValidation.prepareForUpdate(same, old);
        assertThat(same.at("/metadata/generation").asInt()).isEqualTo(4);
        assertThat(same.at("/endpoints/0").has("deprecatedTopology")).isTrue();
    }
}
