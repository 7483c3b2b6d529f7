package dev.capstan.api.validation;

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

class IngressValidationTest {

    private static final String WILDCARD_MSG = "a wildcard DNS-1123 subdomain must start with '*.', followed by a"
            + " valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with"
            + " an alphanumeric character (e.g. '*.example.com', regex used for validation is"
            + " '\\*\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
    private static final String SERVICE = "{\"service\":{\"name\":\"web\",\"port\":{\"number\":80}}}";

    static ObjectNode ingress(String spec) {
        return obj("{\"metadata\":{\"name\":\"ing\",\"namespace\":\"default\"},\"spec\":" + spec + "}");
    }

    static String paths(String paths) {
        return "{\"rules\":[{\"host\":\"example.com\",\"http\":{\"paths\":[" + paths + "]}}]}";
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of(
                        "{\"ingressClassName\":\"nginx\",\"rules\":[{\"host\":\"*.example.com\",\"http\":{\"paths\":"
                                + "[{\"path\":\"/\",\"pathType\":\"Prefix\",\"backend\":" + SERVICE + "},{\"pathType\":"
                                + "\"ImplementationSpecific\",\"backend\":{\"resource\":{\"apiGroup\":"
                                + "\"storage.example.com\",\"kind\":\"Bucket\",\"name\":\"assets\"}}}]}}],\"tls\":"
                                + "[{\"hosts\":[\"*.example.com\"],\"secretName\":\"tls\"}]}",
                        List.of()),
                Arguments.of("{\"defaultBackend\":" + SERVICE + "}", List.of()),
                Arguments.of(
                        "{}",
                        List.of(cause(
                                "FieldValueInvalid",
                                "spec",
                                "Invalid value: []networking.IngressRule(nil): either `defaultBackend` or `rules`"
                                        + " must be specified"))),
                Arguments.of(
                        "{\"rules\":[]}",
                        List.of(cause(
                                "FieldValueInvalid",
                                "spec",
                                "Invalid value: []networking.IngressRule{}: either `defaultBackend` or `rules` must"
                                        + " be specified"))),
                Arguments.of(
                        "{\"rules\":[{\"host\":\"1.2.3.4\"},{\"host\":\"*.*.com\"},{\"host\":\"Bad.com\",\"http\":"
                                + "{\"paths\":[]}}]}",
                        List.of(
                                cause(
                                        "FieldValueInvalid",
                                        "spec.rules[0].host",
                                        "Invalid value: \"1.2.3.4\": must be a DNS name, not an IP address"),
                                cause(
                                        "FieldValueInvalid",
                                        "spec.rules[1].host",
                                        "Invalid value: \"*.*.com\": " + WILDCARD_MSG),
                                cause(
                                        "FieldValueInvalid",
                                        "spec.rules[2].host",
                                        "Invalid value: \"Bad.com\": " + SUBDOMAIN_MSG),
                                cause("FieldValueRequired", "spec.rules[2].http.paths", "Required value"))),
                Arguments.of(
                        paths("{\"path\":\"/a\"},{\"path\":\"a//b\",\"pathType\":\"Exact\",\"backend\":{}},"
                                + "{\"path\":\"x\",\"pathType\":\"ImplementationSpecific\",\"backend\":{\"service\":"
                                + "{\"name\":\"web\"}}},{\"path\":\"/a/..\",\"pathType\":\"Regex\",\"backend\":"
                                + "{\"service\":{\"name\":\"web\"},\"resource\":{\"kind\":\"B\",\"name\":\"b\"}}},"
                                + "{\"path\":\"/a/.\",\"pathType\":\"Prefix\",\"backend\":{\"service\":{\"name\":"
                                + "\"Web\",\"port\":{\"name\":\"http\",\"number\":80}}}}"),
                        List.of(
                                cause(
                                        "FieldValueRequired",
                                        "spec.rules[0].http.paths[0].pathType",
                                        "Required value: pathType must be specified"),
                                cause(
                                        "FieldValueInvalid",
                                        "spec.rules[0].http.paths[1].path",
                                        "Invalid value: \"a//b\": must be an absolute path"),
                                cause(
                                        "FieldValueInvalid",
                                        "spec.rules[0].http.paths[1].path",
                                        "Invalid value: \"a//b\": must not contain '//'"),
                                cause(
                                        "FieldValueInvalid",
                                        "spec.rules[0].http.paths[1].backend",
                                        "Invalid value: \"\": resource or service backend is required"),
                                cause(
                                        "FieldValueInvalid",
                                        "spec.rules[0].http.paths[2].path",
                                        "Invalid value: \"x\": must be an absolute path"),
                                cause(
                                        "FieldValueRequired",
                                        "spec.rules[0].http.paths[2].backend",
                                        "Required value: port name or number is required"),
                                cause(
                                        "FieldValueNotSupported",
                                        "spec.rules[0].http.paths[3].pathType",
                                        "Unsupported value: \"Regex\": supported values: \"Exact\","
                                                + " \"ImplementationSpecific\", \"Prefix\""),
                                cause(
                                        "FieldValueInvalid",
                                        "spec.rules[0].http.paths[3].backend",
                                        "Invalid value: \"\": cannot set both resource and service backends"),
                                cause(
                                        "FieldValueInvalid",
                                        "spec.rules[0].http.paths[4].path",
                                        "Invalid value: \"/a/.\": cannot end with '/.'"),
                                cause(
                                        "FieldValueInvalid",
                                        "spec.rules[0].http.paths[4].backend.service.name",
                                        "Invalid value: \"Web\": " + TestJson.DNS1035_MSG),
                                cause(
                                        "FieldValueInvalid",
                                        "spec.rules[0].http.paths[4].backend",
                                        "Invalid value: \"\": cannot set both port name & port number"))),
                Arguments.of(
                        "{\"defaultBackend\":{\"resource\":{\"apiGroup\":\"Bad_Group\",\"name\":\"a/b\"}}}",
                        List.of(
                                cause(
                                        "FieldValueInvalid",
                                        "spec.defaultBackend.resource.apiGroup",
                                        "Invalid value: \"Bad_Group\": " + SUBDOMAIN_MSG),
                                cause(
                                        "FieldValueRequired",
                                        "spec.defaultBackend.resource.kind",
                                        "Required value: kind is required"),
                                cause(
                                        "FieldValueInvalid",
                                        "spec.defaultBackend.resource.name",
                                        "Invalid value: \"a/b\": may not contain '/'"))),
                Arguments.of(
                        "{\"defaultBackend\":{\"service\":{\"name\":\"web\",\"port\":{\"name\":\"HTTP\"}}},"
                                + "\"ingressClassName\":\"Bad\",\"tls\":[{\"hosts\":[\"*.a.com\",\"Bad\"],"
                                + "\"secretName\":\"Bad_Secret\"}]}",
                        List.of(
                                cause(
                                        "FieldValueInvalid",
                                        "spec.defaultBackend.service.port.name",
                                        "Invalid value: \"HTTP\": must contain only alpha-numeric characters (a-z,"
                                                + " 0-9), and hyphens (-)"),
                                cause(
                                        "FieldValueInvalid",
                                        "spec.defaultBackend.service.port.name",
                                        "Invalid value: \"HTTP\": must contain at least one letter (a-z)"),
                                cause(
                                        "FieldValueInvalid",
                                        "spec.tls[0].hosts[1]",
                                        "Invalid value: \"Bad\": " + SUBDOMAIN_MSG),
                                cause(
                                        "FieldValueInvalid",
                                        "spec.tls[0].secretName",
                                        "Invalid value: \"Bad_Secret\": " + SUBDOMAIN_MSG),
                                cause(
                                        "FieldValueInvalid",
                                        "spec.ingressClassName",
                                        "Invalid value: \"Bad\": " + SUBDOMAIN_MSG))));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("cases")
    void create(String spec, List<Cause> expected) {
        assertThat(IngressValidation.validateIngress(ingress(spec))).containsExactlyElementsOf(expected);
    }

    @Test
    void classAnnotationMustAgreeWithTheField() {
        ObjectNode o = ingress("{\"ingressClassName\":\"nginx\",\"defaultBackend\":" + SERVICE + "}");
        ((ObjectNode) o.get("metadata")).putObject("annotations").put("kubernetes.io/ingress.class", "other");
        assertThat(IngressValidation.validateIngress(o))
                .containsExactly(cause(
                        "FieldValueInvalid",
                        "annotations.kubernetes.io/ingress.class",
                        "Invalid value: \"other\": must match `ingressClassName` when both are specified"));
        // the check is for create only
        assertThat(IngressValidation.validateIngressUpdate(o, o.deepCopy())).isEmpty();
    }

    @Test
    void storedInvalidSecretNamesAndWildcardRulesMayStay() {
        ObjectNode old = ingress("{\"rules\":[{\"host\":\"*.a.com\",\"http\":{\"paths\":[]}}],\"tls\":[{"
                + "\"secretName\":\"Bad_Secret\"}]}");
        assertThat(IngressValidation.validateIngress(old)).hasSize(2);
        assertThat(IngressValidation.validateIngressUpdate(old.deepCopy(), old)).isEmpty();
        ObjectNode fine = ingress("{\"defaultBackend\":" + SERVICE + "}");
        assertThat(IngressValidation.validateIngressUpdate(old.deepCopy(), fine))
                .hasSize(2);
    }

    @Test
    void statusLoadBalancerEntries() {
        ObjectNode old = ingress("{\"defaultBackend\":" + SERVICE + "}");
        ObjectNode now = old.deepCopy();
        now.putObject("status")
                .putObject("loadBalancer")
                .putArray("ingress")
                .add(obj("{\"ip\":\"1.2.3\"}"))
                .add(obj("{\"hostname\":\"1.2.3.4\"}"))
                .add(obj("{\"ip\":\"10.0.0.1\",\"hostname\":\"lb.example.com\"}"));
        assertThat(IngressValidation.validateIngressStatusUpdate(now, old))
                .containsExactly(
                        cause(
                                "FieldValueInvalid",
                                "status.loadBalancer.ingress[0].ip",
                                "Invalid value: \"1.2.3\": must be a valid IP address, (e.g. 10.9.8.7 or"
                                        + " 2001:db8::ffff)"),
                        cause(
                                "FieldValueInvalid",
                                "status.loadBalancer.ingress[1].hostname",
                                "Invalid value: \"1.2.3.4\": must be a DNS name, not an IP address"));
    }

    @Test
    void strategySteps() {
        ObjectNode created = ingress("{\"defaultBackend\":" + SERVICE + "}");
        created.putObject("status").putObject("loadBalancer");
        IngressValidation.prepareForCreate(created);
        assertThat(created.has("status")).isFalse();
        assertThat(created.at("/metadata/generation").asInt()).isEqualTo(1);
        ObjectNode old = created.deepCopy();
        old.putObject("status").put("x", 1);
        ObjectNode now = ingress("{\"ingressClassName\":\"a\",\"defaultBackend\":" + SERVICE + "}");
        IngressValidation.prepareForUpdate(now, old);
        assertThat(now.at("/metadata/generation").asInt()).isEqualTo(2);
        assertThat(now.get("status")).isEqualTo(old.get("status"));
        IngressValidation.prepareForStatusUpdate(now, old);
        assertThat(now.get("spec")).isEqualTo(old.get("spec"));
    }
}
