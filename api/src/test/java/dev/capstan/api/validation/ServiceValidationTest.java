package dev.capstan.api.validation;

import static dev.capstan.api.validation.TestJson.DNS1035_MSG;
import static dev.capstan.api.validation.TestJson.LABEL_MSG;
import static dev.capstan.api.validation.TestJson.cause;
import static dev.capstan.api.validation.TestJson.obj;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.registry.core.ServiceAllocator;
import dev.capstan.api.registry.core.ServiceStrategy;
import dev.capstan.api.storage.RangeClaims;
import java.time.Clock;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ServiceValidationTest {

    static ObjectNode service(String name, String spec) {
        ObjectNode svc =
                obj("{\"metadata\":{\"name\":\"" + name + "\",\"namespace\":\"default\"},\"spec\":" + spec + "}");
        Kinds.defaults("", "Service", svc);
        return svc;
    }

    static List<Cause> create(String spec) {
        return Kinds.validate("", "Service", service("web", spec), null);
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("{\"selector\":{\"app\":\"web\"},\"ports\":[{\"port\":80}]}", List.of()),
                Arguments.of("{\"type\":\"NodePort\",\"ports\":[{\"port\":80,\"nodePort\":30080}]}", List.of()),
                Arguments.of("{\"type\":\"ExternalName\",\"externalName\":\"db.example.com.\"}", List.of()),
                Arguments.of("{\"clusterIP\":\"None\",\"selector\":{\"app\":\"web\"}}", List.of()),
                Arguments.of(
                        "{\"selector\":{\"app\":\"web\"}}",
                        List.of(cause("FieldValueRequired", "spec.ports", "Required value"))),
                // the defaulted targetPort copies the bad port, so upstream reports both
                Arguments.of(
                        "{\"ports\":[{\"port\":0}]}",
                        List.of(
                                cause(
                                        "FieldValueInvalid",
                                        "spec.ports[0].port",
                                        "Invalid value: 0: must be between 1 and 65535, inclusive"),
                                cause(
                                        "FieldValueInvalid",
                                        "spec.ports[0].targetPort",
                                        "Invalid value: 0: must be between 1 and 65535, inclusive"))),
                Arguments.of(
                        "{\"ports\":[{\"port\":80,\"targetPort\":\"HTTP\"}]}",
                        List.of(
                                cause(
                                        "FieldValueInvalid",
                                        "spec.ports[0].targetPort",
                                        "Invalid value: \"HTTP\": must contain only alpha-numeric "
                                                + "characters (a-z, 0-9), and hyphens (-)"),
                                cause(
                                        "FieldValueInvalid",
                                        "spec.ports[0].targetPort",
                                        "Invalid value: \"HTTP\": must contain at least one letter (a-z)"))),
                Arguments.of(
                        "{\"ports\":[{\"port\":80,\"targetPort\":70000}]}",
                        List.of(cause(
                                "FieldValueInvalid",
                                "spec.ports[0].targetPort",
                                "Invalid value: 70000: must be between 1 and 65535, inclusive"))),
                Arguments.of(
                        "{\"ports\":[{\"port\":80},{\"port\":443}]}",
                        List.of(
                                cause("FieldValueRequired", "spec.ports[0].name", "Required value"),
                                cause("FieldValueRequired", "spec.ports[1].name", "Required value"))),
                Arguments.of(
                        "{\"ports\":[{\"name\":\"http\",\"port\":80},{\"name\":\"http\",\"port\":81}]}",
                        List.of(cause("FieldValueDuplicate", "spec.ports[1].name", "Duplicate value: \"http\""))),
                Arguments.of(
                        "{\"ports\":[{\"name\":\"Web\",\"port\":80}]}",
                        List.of(cause(
                                "FieldValueInvalid", "spec.ports[0].name", "Invalid value: \"Web\": " + LABEL_MSG))),
                Arguments.of(
                        "{\"ports\":[{\"name\":\"a\",\"port\":80},{\"name\":\"b\",\"port\":80}]}",
                        List.of(cause(
                                "FieldValueDuplicate",
                                "spec.ports[1]",
                                "Duplicate value: core.ServicePort{Name:\"\", "
                                        + "Protocol:\"TCP\", AppProtocol:(*string)(nil), Port:80, TargetPort:intstr."
                                        + "IntOrString{Type:0, IntVal:0, StrVal:\"\"}, NodePort:0}"))),
                Arguments.of(
                        "{\"ports\":[{\"port\":53,\"protocol\":\"ICMP\"}]}",
                        List.of(cause(
                                "FieldValueNotSupported",
                                "spec.ports[0].protocol",
                                "Unsupported value: \"ICMP\": supported " + "values: \"SCTP\", \"TCP\", \"UDP\""))),
                Arguments.of(
                        "{\"type\":\"Magic\",\"ports\":[{\"port\":80}]}",
                        List.of(cause(
                                "FieldValueNotSupported",
                                "spec.type",
                                "Unsupported value: \"Magic\": supported values: \"ClusterIP\", "
                                        + "\"ExternalName\", \"LoadBalancer\", \"NodePort\""))),
                Arguments.of(
                        "{\"sessionAffinity\":\"Sticky\",\"ports\":[{\"port\":80}]}",
                        List.of(cause(
                                "FieldValueNotSupported",
                                "spec.sessionAffinity",
                                "Unsupported value: \"Sticky\": supported " + "values: \"ClientIP\", \"None\""))),
                Arguments.of(
                        "{\"ports\":[{\"port\":80,\"nodePort\":30080}]}",
                        List.of(cause(
                                "FieldValueForbidden",
                                "spec.ports[0].nodePort",
                                "Forbidden: may not be used when `type` is 'ClusterIP'"))),
                Arguments.of(
                        "{\"type\":\"ExternalName\"}",
                        List.of(cause("FieldValueRequired", "spec.externalName", "Required value"))),
                Arguments.of(
                        "{\"type\":\"LoadBalancer\",\"clusterIP\":\"None\",\"ports\":[{\"port\":80}]}",
                        List.of(cause(
                                "FieldValueInvalid",
                                "spec.clusterIPs[0]",
                                "Invalid value: \"None\": may not " + "be set to 'None' for LoadBalancer services"))));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("cases")
    void serviceCreate(String spec, List<Cause> expected) {
        assertThat(create(spec)).containsExactlyElementsOf(expected);
    }

    @Test
    void nodePortOutsideTheRangeFailsAloneAsAllocationWould() {
        ObjectNode svc = service(
                "web",
                "{\"type\":\"NodePort\",\"ports\":[{\"name\":\"a\",\"port\":80,"
                        + "\"nodePort\":8080},{\"name\":\"a\",\"port\":81,\"nodePort\":80}]}");
        assertThat(Kinds.validate("", "Service", svc, null))
                .containsExactly(cause(
                        "FieldValueInvalid",
                        "spec.ports[0].nodePort",
                        "Invalid value: 8080: provided port is not in the valid range. The range of "
                                + "valid ports is 30000-32767"));
        assertThat(new ServiceStrategy(new ServiceAllocator(
                                new RangeClaims(() -> null), "10.96.0.0/16", "1-65535", Clock.systemUTC()))
                        .validate(svc))
                .containsExactly(cause("FieldValueDuplicate", "spec.ports[1].name", "Duplicate value: \"a\""));
    }

    @Test
    void externalIpsAndSourceRanges() {
        ObjectNode svc = service(
                "web",
                "{\"externalIPs\":[\"127.0.0.1\",\"10.0.0.300\"],"
                        + "\"loadBalancerSourceRanges\":[\"10.0.0.0/33\"],\"ports\":[{\"port\":80}]}");
        assertThat(Kinds.validate("", "Service", svc, null))
                .containsExactly(
                        cause(
                                "FieldValueInvalid",
                                "spec.externalIPs[0]",
                                "Invalid value: \"127.0.0.1\": may not be in the loopback range (127.0.0.0/8, ::1/128)"),
                        cause(
                                "FieldValueInvalid",
                                "spec.externalIPs[1]",
                                "Invalid value: \"10.0.0.300\": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"),
                        cause(
                                "FieldValueForbidden",
                                "spec.LoadBalancerSourceRanges",
                                "Forbidden: may only be used when `type` is 'LoadBalancer'"),
                        cause(
                                "FieldValueInvalid",
                                "spec.LoadBalancerSourceRanges[0]",
                                "Invalid value: \"10.0.0.0/33\": must be a valid CIDR value, (e.g. 10.9.8.0/24 or "
                                        + "2001:db8::/64)"));
    }

    @Test
    void anIpv6ClusterIpDefaultsItsFamily() {
        ObjectNode svc = service("web", "{\"clusterIP\":\"fd00::10\",\"ports\":[{\"port\":80}]}");
        assertThat(svc.at("/spec/ipFamilies").toString()).isEqualTo("[\"IPv6\"]");
        assertThat(Kinds.validate("", "Service", svc, null)).isEmpty();
    }

    @Test
    void serviceNamesAreDns1035Labels() {
        assertThat(Kinds.validate("", "Service", service("1web", "{\"ports\":[{\"port\":80}]}"), null))
                .containsExactly(
                        cause("FieldValueInvalid", "metadata.name", "Invalid value: \"1web\": " + DNS1035_MSG));
    }
}
