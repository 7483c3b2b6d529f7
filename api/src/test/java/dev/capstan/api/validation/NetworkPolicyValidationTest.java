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

class NetworkPolicyValidationTest {

    private static final String CIDR_MSG = "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)";
    private static final String RANGE = "must be between 1 and 65535, inclusive";

    static ObjectNode policy(String spec) {
        ObjectNode o = obj("{\"metadata\":{\"name\":\"np\",\"namespace\":\"default\"},\"spec\":" + spec + "}");
        NetworkPolicyValidation.defaultNetworkPolicy(o);
        return o;
    }

    static String ingress(String rule) {
        return "{\"podSelector\":{},\"ingress\":[" + rule + "]}";
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of(
                        "{\"podSelector\":{\"matchLabels\":{\"app\":\"db\"}},\"ingress\":[{\"from\":[{\"podSelector\":"
                                + "{\"matchLabels\":{\"app\":\"web\"}},\"namespaceSelector\":{}},{\"ipBlock\":{\"cidr\":"
                                + "\"10.0.0.0/16\",\"except\":[\"10.0.1.0/24\"]}}],\"ports\":[{\"port\":80},{\"port\":"
                                + "\"http\"},{\"port\":8000,\"endPort\":9000}]}],\"egress\":[{\"to\":[{\"ipBlock\":"
                                + "{\"cidr\":\"2001:db8::/32\",\"except\":[\"2001:db8:1::/48\"]}}]}]}",
                        List.of()),
                Arguments.of(
                        ingress("{\"ports\":[{\"protocol\":\"ICMP\",\"port\":0},{\"port\":\"http\",\"endPort\":90},"
                                + "{\"endPort\":10},{\"port\":100,\"endPort\":70000},{\"port\":100,\"endPort\":50}]}"),
                        List.of(
                                cause(
                                        "FieldValueNotSupported",
                                        "spec.ingress[0].ports[0].protocol",
                                        "Unsupported value: \"ICMP\": supported values: \"TCP\", \"UDP\", \"SCTP\""),
                                cause(
                                        "FieldValueInvalid",
                                        "spec.ingress[0].ports[0].port",
                                        "Invalid value: 0: " + RANGE),
                                cause(
                                        "FieldValueInvalid",
                                        "spec.ingress[0].ports[1].endPort",
                                        "Invalid value: 90: may not be specified when `port` is non-numeric"),
                                cause(
                                        "FieldValueInvalid",
                                        "spec.ingress[0].ports[2].endPort",
                                        "Invalid value: 10: may not be specified when `port` is not specified"),
                                cause(
                                        "FieldValueInvalid",
                                        "spec.ingress[0].ports[3].endPort",
                                        "Invalid value: 70000: " + RANGE),
                                cause(
                                        "FieldValueInvalid",
                                        "spec.ingress[0].ports[4].endPort",
                                        "Invalid value: 100: must be greater than or equal to `port`"))),
                Arguments.of(
                        ingress("{\"from\":[{},{\"ipBlock\":{\"cidr\":\"\"}},{\"ipBlock\":{\"cidr\":\"10.0.0.0/33\"}},"
                                + "{\"podSelector\":{},\"ipBlock\":{\"cidr\":\"10.0.0.0/16\",\"except\":[\"10.1.0.0/24\","
                                + "\"10.0.0.0/16\",\"bad\"]}}]}"),
                        List.of(
                                cause(
                                        "FieldValueRequired",
                                        "spec.ingress[0].from[0]",
                                        "Required value: must specify a peer"),
                                cause("FieldValueRequired", "spec.ingress[0].from[1].ipBlock.cidr", "Required value"),
                                cause(
                                        "FieldValueInvalid",
                                        "spec.ingress[0].from[2].ipBlock.cidr",
                                        "Invalid value: \"10.0.0.0/33\": " + CIDR_MSG),
                                cause(
                                        "FieldValueInvalid",
                                        "spec.ingress[0].from[3].ipBlock.except[0]",
                                        "Invalid value: \"10.1.0.0/24\": must be a strict subset of `cidr`"),
                                cause(
                                        "FieldValueInvalid",
                                        "spec.ingress[0].from[3].ipBlock.except[1]",
                                        "Invalid value: \"10.0.0.0/16\": must be a strict subset of `cidr`"),
                                cause(
                                        "FieldValueInvalid",
                                        "spec.ingress[0].from[3].ipBlock.except[2]",
                                        "Invalid value: \"bad\": " + CIDR_MSG),
                                cause(
                                        "FieldValueForbidden",
                                        "spec.ingress[0].from[3]",
                                        "Forbidden: may not specify both ipBlock and another peer"))),
                Arguments.of(
                        "{\"podSelector\":{},\"policyTypes\":[\"Ingress\",\"Sideways\"]}",
                        List.of(cause(
                                "FieldValueNotSupported",
                                "spec.policyTypes[1]",
                                "Unsupported value: \"Sideways\": supported values: \"Ingress\", \"Egress\""))),
                Arguments.of(
                        "{\"podSelector\":{},\"policyTypes\":[\"Ingress\",\"Egress\",\"Ingress\"]}",
                        List.of(cause(
                                "FieldValueInvalid",
                                "spec.policyTypes",
                                "Invalid value: []networking.PolicyType{\"Ingress\", \"Egress\", \"Ingress\"}: may"
                                        + " not specify more than two policyTypes"))),
                Arguments.of(
                        "{\"podSelector\":{\"matchExpressions\":[{\"key\":\"app\",\"operator\":\"Exists\",\"values\":"
                                + "[\"x\"]}]}}",
                        List.of(cause(
                                "FieldValueForbidden",
                                "spec.podSelector.matchExpressions[0].values",
                                "Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'"))));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("cases")
    void create(String spec, List<Cause> expected) {
        assertThat(NetworkPolicyValidation.validateNetworkPolicy(policy(spec))).containsExactlyElementsOf(expected);
    }

    /** The strategy validates the spec twice on update, and upstream reports both rounds. */
    @Test
    void updateReportsSpecErrorsTwice() {
        ObjectNode old = policy("{\"podSelector\":{}}");
        ObjectNode now = policy(ingress("{\"ports\":[{\"port\":0}]}"));
        Cause bad = cause("FieldValueInvalid", "spec.ingress[0].ports[0].port", "Invalid value: 0: " + RANGE);
        assertThat(NetworkPolicyValidation.validateNetworkPolicyUpdate(now, old))
                .containsExactly(bad, bad);
    }

    @Test
    void invalidSelectorValuesStayAcceptedWhenTheStoredPodSelectorHadThem() {
        String spec = "{\"podSelector\":{\"matchExpressions\":[{\"key\":\"app\",\"operator\":\"In\",\"values\":"
                + "[\"a b\"]}]}}";
        assertThat(NetworkPolicyValidation.validateNetworkPolicy(policy(spec))).hasSize(1);
        assertThat(NetworkPolicyValidation.validateNetworkPolicyUpdate(policy(spec), policy(spec)))
                .isEmpty();
    }

    @Test
    void defaultsDerivePolicyTypesAndTcp() {
        assertThat(policy("{\"podSelector\":{}}").at("/spec/policyTypes"))
                .isEqualTo(obj("{\"t\":[\"Ingress\"]}").get("t"));
        ObjectNode both =
                policy("{\"podSelector\":{},\"egress\":[{\"ports\":[{\"port\":53},{\"protocol\":\"UDP\"}]}]}");
        assertThat(both.at("/spec/policyTypes"))
                .isEqualTo(obj("{\"t\":[\"Ingress\",\"Egress\"]}").get("t"));
        assertThat(both.at("/spec/egress/0/ports/0/protocol").asText()).isEqualTo("TCP");
        assertThat(both.at("/spec/egress/0/ports/1/protocol").asText()).isEqualTo("UDP");
        ObjectNode egressOnly = policy("{\"podSelector\":{},\"policyTypes\":[\"Egress\"]}");
        assertThat(egressOnly.at("/spec/policyTypes"))
                .isEqualTo(obj("{\"t\":[\"Egress\"]}").get("t"));
    }

    @Test
    void generationFollowsTheSpec() {
        ObjectNode old = policy("{\"podSelector\":{}}");
        NetworkPolicyValidation.prepareForCreate(old);
        assertThat(old.at("/metadata/generation").asInt()).isEqualTo(1);
        ObjectNode relabelled = old.deepCopy();
        ((ObjectNode) relabelled.get("metadata")).putObject("labels").put("a", "b");
        NetworkPolicyValidation.prepareForUpdate(relabelled, old);
        assertThat(relabelled.at("/metadata/generation").asInt()).isEqualTo(1);
        ObjectNode changed = policy("{\"podSelector\":{\"matchLabels\":{\"a\":\"b\"}}}");
        NetworkPolicyValidation.prepareForUpdate(changed, old);
        assertThat(changed.at("/metadata/generation").asInt()).isEqualTo(2);
    }
}
