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

class StatusValidationTest {

    static ObjectNode pod(String restartPolicy, String status) {
        return obj("{\"metadata\":{\"name\":\"p\",\"namespace\":\"default\"},\"spec\":{\"restartPolicy\":\""
                + restartPolicy + "\",\"nodeName\":\"n1\",\"containers\":[{\"name\":\"c\",\"image\":\"i\"}],"
                + "\"initContainers\":[{\"name\":\"side\",\"image\":\"i\",\"restartPolicy\":\"Always\"}]},"
                + "\"status\":" + status + "}");
    }

    private static final String TERMINATED = "{\"qosClass\":\"BestEffort\",\"containerStatuses\":[{\"name\":\"c\","
            + "\"state\":{\"terminated\":{\"exitCode\":0}}}],\"initContainerStatuses\":[{\"name\":\"side\","
            + "\"state\":{\"terminated\":{\"exitCode\":0}}}]}";

    static Stream<Arguments> podStatuses() {
        return Stream.of(
                Arguments.of(
                        "{\"qosClass\":\"BestEffort\",\"podIP\":\"10.0.0.5\",\"podIPs\":[{\"ip\":\"10.0.0.5\"},{\"ip\":\"fd00::5\"}],"
                                + "\"hostIP\":\"192.168.1.2\",\"hostIPs\":[{\"ip\":\"192.168.1.2\"}],"
                                + "\"conditions\":[{\"type\":\"Ready\"},{\"type\":\"example.com/Warm\"}]}",
                        List.of()),
                Arguments.of(
                        "{\"qosClass\":\"Guaranteed\"}",
                        List.of(cause(
                                "FieldValueInvalid",
                                "status.qosClass",
                                "Invalid value: \"Guaranteed\": field is immutable"))),
                Arguments.of(
                        "{\"qosClass\":\"BestEffort\",\"conditions\":[{\"type\":\"not ok\"}]}",
                        List.of(cause(
                                "FieldValueInvalid",
                                "metadata.conditions[0].Type",
                                "Invalid value: \"not ok\": " + TestJson.NAME_PART_MSG))),
                Arguments.of(
                        "{\"qosClass\":\"BestEffort\",\"nominatedNodeName\":\"Node_1\"}",
                        List.of(cause(
                                "FieldValueInvalid",
                                "status.nominatedNodeName",
                                "Invalid value: \"Node_1\": " + TestJson.SUBDOMAIN_MSG))),
                Arguments.of(
                        "{\"qosClass\":\"BestEffort\",\"podIPs\":[{\"ip\":\"10.0.0.5\"},{\"ip\":\"10.0.0.6\"}]}",
                        List.of(cause(
                                "FieldValueInvalid",
                                "status.podIPs",
                                "Invalid value: []core.PodIP{core.PodIP{IP:\"10.0.0.5\"}, core.PodIP{IP:\"10.0.0.6\"}}: "
                                        + "may specify no more than one IP for each IP family"))),
                Arguments.of(
                        "{\"qosClass\":\"BestEffort\",\"podIP\":\"10.0.0.300\"}",
                        List.of(
                                cause(
                                        "FieldValueInvalid",
                                        "status.podIPs[0]",
                                        "Invalid value: \"10.0.0.300\": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"))),
                Arguments.of(
                        "{\"qosClass\":\"BestEffort\",\"hostIP\":\"192.168.1.2\",\"hostIPs\":[{\"ip\":\"192.168.1.3\"}]}",
                        List.of(cause(
                                "FieldValueInvalid",
                                "status.hostIPs[0].ip",
                                "Invalid value: \"192.168.1.3\": must be equal to `hostIP`"))),
                // a sidecar (restartable init container) may restart; the regular container may not
                Arguments.of(
                        "{\"qosClass\":\"BestEffort\",\"containerStatuses\":[{\"name\":\"c\",\"state\":{\"running\":{}}}],"
                                + "\"initContainerStatuses\":[{\"name\":\"side\",\"state\":{\"running\":{}}}]}",
                        List.of(cause(
                                "FieldValueForbidden",
                                "status.containerStatuses[0].state",
                                "Forbidden: may not be transitioned to non-terminated state"))));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("podStatuses")
    void podStatusUpdate(String status, List<Cause> expected) {
        ObjectNode old = pod("Never", TERMINATED);
        ObjectNode now = pod("Never", status);
        PodStatusValidation.prepareForStatusUpdate(now, old);
        assertThat(PodStatusValidation.validatePodStatusUpdate(now, old)).containsExactlyElementsOf(expected);
    }

    @Test
    void alwaysRestartingPodsMayLeaveTerminated() {
        ObjectNode old = pod("Always", TERMINATED);
        ObjectNode now =
                pod("Always", "{\"qosClass\":\"BestEffort\",\"containerStatuses\":[{\"name\":\"c\",\"state\":{}}]}");
        assertThat(PodStatusValidation.validatePodStatusUpdate(now, old)).isEmpty();
    }

    @Test
    void statusStrategyKeepsSpecAndDropsGatedFields() {
        ObjectNode old = pod("Never", TERMINATED);
        ObjectNode now = pod(
                "Always",
                "{\"resize\":\"Proposed\",\"containerStatuses\":[{\"name\":\"c\",\"user\":{},"
                        + "\"allocatedResources\":{\"cpu\":\"1\"}}]}");
        now.withObjectProperty("metadata")
                .putArray("ownerReferences")
                .addObject()
                .put("name", "x");
        PodStatusValidation.prepareForStatusUpdate(now, old);
        assertThat(now.get("spec")).isEqualTo(old.get("spec"));
        assertThat(now.path("metadata").has("ownerReferences")).isFalse();
        assertThat(now.get("status"))
                .isEqualTo(obj("{\"containerStatuses\":[{\"name\":\"c\"}],\"qosClass\":\"BestEffort\"}"));
    }

    @Test
    void mirrorAndAppArmorAnnotationsCannotBeAddedThroughStatus() {
        ObjectNode old = pod("Never", TERMINATED);
        ObjectNode now = pod("Never", TERMINATED);
        now.withObjectProperty("metadata")
                .putObject("annotations")
                .put("kubernetes.io/config.mirror", "x")
                .put("controller.kubernetes.io/pod-deletion-cost", "+1");
        assertThat(PodStatusValidation.validatePodStatusUpdate(now, old))
                .containsExactly(
                        cause(
                                "FieldValueForbidden",
                                "metadata.annotations[kubernetes.io/config.mirror]",
                                "Forbidden: may not add mirror pod annotation"),
                        cause(
                                "FieldValueInvalid",
                                "metadata.annotations[controller.kubernetes.io/pod-deletion-cost]",
                                "Invalid value: \"+1\": must be a 32bit integer"));
    }

    static ObjectNode service(String type, String ingress) {
        ObjectNode svc = obj("{\"metadata\":{\"name\":\"web\",\"namespace\":\"default\"},\"spec\":{\"type\":\"" + type
                + "\"},\"status\":{\"loadBalancer\":{\"ingress\":" + ingress + "}}}");
        ServiceStatusValidation.defaultServiceStatus(svc);
        return svc;
    }

    static Stream<Arguments> serviceStatuses() {
        return Stream.of(
                Arguments.of("LoadBalancer", "[{\"ip\":\"203.0.113.7\"},{\"hostname\":\"lb.example.com\"}]", List.of()),
                Arguments.of(
                        "ClusterIP",
                        "[{\"ip\":\"203.0.113.7\"}]",
                        List.of(cause(
                                "FieldValueForbidden",
                                "status.loadBalancer.ingress",
                                "Forbidden: may only be used when `spec.type` is 'LoadBalancer'"))),
                Arguments.of(
                        "LoadBalancer",
                        "[{\"ip\":\"203.0.113\",\"ipMode\":\"Direct\"}]",
                        List.of(
                                cause(
                                        "FieldValueInvalid",
                                        "status.loadBalancer.ingress[0].ip",
                                        "Invalid value: \"203.0.113\": must be a valid IP address, (e.g. 10.9.8.7 or "
                                                + "2001:db8::ffff)"),
                                cause(
                                        "FieldValueNotSupported",
                                        "status.loadBalancer.ingress[0].ipMode",
                                        "Unsupported value: \"Direct\": supported values: \"Proxy\", \"VIP\""))),
                Arguments.of(
                        "LoadBalancer",
                        "[{\"hostname\":\"10.0.0.1\",\"ipMode\":\"VIP\"}]",
                        List.of(
                                cause(
                                        "FieldValueForbidden",
                                        "status.loadBalancer.ingress[0].ipMode",
                                        "Forbidden: may not be specified when `ip` is not set"),
                                cause(
                                        "FieldValueInvalid",
                                        "status.loadBalancer.ingress[0].hostname",
                                        "Invalid value: \"10.0.0.1\": must be a DNS name, not an IP address"))));
    }

    @ParameterizedTest(name = "[{index}] {0} {1}")
    @MethodSource("serviceStatuses")
    void serviceStatusUpdate(String type, String ingress, List<Cause> expected) {
        ObjectNode svc = service(type, ingress);
        assertThat(ServiceStatusValidation.validateServiceStatusUpdate(svc, svc))
                .containsExactlyElementsOf(expected);
    }

    @Test
    void loadBalancerIngressIpModeDefaultsToVip() {
        assertThat(service("LoadBalancer", "[{\"ip\":\"203.0.113.7\"}]")
                        .at("/status/loadBalancer/ingress/0/ipMode")
                        .asText())
                .isEqualTo("VIP");
        assertThat(service("NodePort", "[{\"ip\":\"203.0.113.7\"}]")
                        .at("/status/loadBalancer/ingress/0")
                        .has("ipMode"))
                .isFalse();
    }
}
