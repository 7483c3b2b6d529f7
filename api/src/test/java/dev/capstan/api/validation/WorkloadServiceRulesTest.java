package dev.capstan.api.validation;

import static dev.capstan.api.validation.TestJson.LABEL_VALUE_MSG;
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

/** Workload templates and updates, and the Service rules the audit added. */
class WorkloadServiceRulesTest {

    private static final String TEMPLATE = "\"template\":{\"metadata\":{\"labels\":{\"app\":\"web\"}%s},"
            + "\"spec\":{%s\"containers\":[{\"name\":\"app\",\"image\":\"nginx\"}]}}";
    private static final String SELECTOR = "\"selector\":{\"matchLabels\":{\"app\":\"web\"}}";

    private static String template(String meta, String spec) {
        return TEMPLATE.formatted(meta, spec);
    }

    static Stream<Arguments> workloads() {
        return Stream.of(
                Arguments.of(
                        "StatefulSet",
                        "{" + SELECTOR + ","
                                + template(
                                        ",\"annotations\":{\"container.apparmor.security.beta.kubernetes.io/nope\":"
                                                + "\"runtime/default\"}",
                                        "")
                                + "}",
                        List.of(cause(
                                "FieldValueInvalid",
                                "spec.template.annotations[container.apparmor.security.beta.kubernetes.io/nope]",
                                "Invalid value: \"nope\": container not found"))),
                Arguments.of(
                        "Deployment",
                        "{" + SELECTOR + ","
                                + template(
                                        "",
                                        "\"affinity\":{\"nodeAffinity\":{\"preferredDuringSchedulingIgnored"
                                                + "DuringExecution\":[{\"weight\":0,\"preference\":{}}]}},")
                                + "}",
                        List.of(cause(
                                "FieldValueInvalid",
                                "spec.template.spec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight",
                                "Invalid value: 0: must be in the range 1-100"))),
                Arguments.of(
                        "DaemonSet",
                        "{\"selector\":{\"matchLabels\":{\"app\":\"web\"},\"matchExpressions\":[{\"key\":\"tier\",\"operator\":"
                                + "\"NotIn\",\"values\":[\"bad value\"]}]}," + template("", "") + "}",
                        List.of(cause(
                                "FieldValueInvalid",
                                "spec.selector.matchExpressions[0].values[0]",
                                "Invalid value: \"bad value\": " + LABEL_VALUE_MSG))));
    }

    @ParameterizedTest(name = "[{index}] {0} {1}")
    @MethodSource("workloads")
    void workloadCreate(String kind, String spec, List<Cause> expected) {
        assertThat(WorkloadValidationTest.create(kind, spec)).containsExactlyElementsOf(expected);
    }

    /** ValidateDaemonSet then ValidateDaemonSetUpdate: upstream checks the spec twice on update. */
    @Test
    void daemonSetUpdatesReportSpecErrorsTwice() {
        ObjectNode old = WorkloadValidationTest.workload("DaemonSet", "{" + SELECTOR + "," + template("", "") + "}");
        ObjectNode now = old.deepCopy();
        now.withObjectProperty("spec").put("minReadySeconds", -1);
        Cause minReady = cause(
                "FieldValueInvalid", "spec.minReadySeconds", "Invalid value: -1: must be greater than or equal to 0");
        assertThat(Kinds.validate("apps", "DaemonSet", now, old)).containsExactly(minReady, minReady);
    }

    /** A stored selector with an invalid label value stays updatable. */
    @Test
    void aStoredDaemonSetKeepsItsInvalidSelectorValues() {
        String spec =
                "{\"selector\":{\"matchLabels\":{\"app\":\"web\"},\"matchExpressions\":[{\"key\":\"tier\",\"operator\":"
                        + "\"NotIn\",\"values\":[\"bad value\"]}]}," + template("", "") + "}";
        ObjectNode old = WorkloadValidationTest.workload("DaemonSet", spec);
        ObjectNode now = old.deepCopy();
        now.withObjectProperty("metadata").putObject("labels").put("v", "2");
        assertThat(Kinds.validate("apps", "DaemonSet", now, old)).isEmpty();
    }

    private static ObjectNode service(String annotations, String spec) {
        ObjectNode svc = obj("{\"metadata\":{\"name\":\"web\",\"namespace\":\"default\",\"annotations\":" + annotations
                + "},\"spec\":" + spec + "}");
        Kinds.defaults("", "Service", svc);
        return svc;
    }

    static Stream<Arguments> services() {
        String sourceRanges = "service.beta.kubernetes.io/load-balancer-source-ranges";
        return Stream.of(
                Arguments.of(
                        "{\"service.kubernetes.io/topology-mode\":\"Auto\",\"service.kubernetes.io/topology-aware-hints\":\"Disabled\"}",
                        "{\"ports\":[{\"port\":80}]}",
                        List.of(cause(
                                "FieldValueInvalid",
                                "metadata.annotations[service.kubernetes.io/topology-mode]",
                                "Invalid value: \"Auto\": must match annotations[service.kubernetes.io/topology-aware-hints] "
                                        + "when both are specified"))),
                Arguments.of(
                        "{\"" + sourceRanges + "\":\"10.0.0.0/8, bad\"}",
                        "{\"ports\":[{\"port\":80}]}",
                        List.of(
                                cause(
                                        "FieldValueForbidden",
                                        "metadata.annotations[" + sourceRanges + "]",
                                        "Forbidden: may only be used when `type` is 'LoadBalancer'"),
                                cause(
                                        "FieldValueInvalid",
                                        "metadata.annotations[" + sourceRanges + "]",
                                        "Invalid value: \"bad\": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)"))),
                Arguments.of(
                        "{}",
                        "{\"type\":\"LoadBalancer\",\"externalTrafficPolicy\":\"Local\",\"ports\":[{\"port\":80}]}",
                        List.of(cause("FieldValueRequired", "spec.healthCheckNodePort", "Required value"))));
    }

    @ParameterizedTest(name = "[{index}] {0} {1}")
    @MethodSource("services")
    void serviceCreate(String annotations, String spec, List<Cause> expected) {
        assertThat(Kinds.validate("", "Service", service(annotations, spec), null))
                .containsExactlyElementsOf(expected);
    }

    static Stream<Arguments> serviceUpdates() {
        String lb = "\"type\":\"LoadBalancer\",\"ports\":[{\"port\":80,\"nodePort\":30080}]";
        return Stream.of(
                Arguments.of(
                        "{\"clusterIP\":\"10.0.0.10\",\"clusterIPs\":[\"10.0.0.10\"],\"ports\":[{\"port\":80}]}",
                        "{\"clusterIP\":\"10.0.0.11\",\"clusterIPs\":[\"10.0.0.11\"],\"ports\":[{\"port\":80}]}",
                        List.of(cause(
                                "FieldValueInvalid",
                                "spec.clusterIPs[0]",
                                "Invalid value: []string{\"10.0.0.11\"}: may not change once set"))),
                Arguments.of(
                        "{\"clusterIP\":\"10.0.0.10\",\"clusterIPs\":[\"10.0.0.10\",\"fd00::10\"],\"ipFamilies\":[\"IPv4\",\"IPv6\"],"
                                + "\"ipFamilyPolicy\":\"RequireDualStack\",\"ports\":[{\"port\":80}]}",
                        "{\"clusterIP\":\"10.0.0.10\",\"clusterIPs\":[\"10.0.0.10\"],\"ipFamilies\":[\"IPv4\"],"
                                + "\"ipFamilyPolicy\":\"RequireDualStack\",\"ports\":[{\"port\":80}]}",
                        List.of(
                                cause(
                                        "FieldValueInvalid",
                                        "spec.ipFamilyPolicy",
                                        "Invalid value: \"RequireDualStack\": must be set to 'SingleStack' when releasing the "
                                                + "secondary clusterIP"),
                                cause(
                                        "FieldValueInvalid",
                                        "spec.ipFamilyPolicy",
                                        "Invalid value: \"RequireDualStack\": must be set to 'SingleStack' when releasing the "
                                                + "secondary ipFamily"))),
                Arguments.of(
                        "{" + lb + ",\"loadBalancerClass\":\"example.com/a\"}",
                        "{" + lb + ",\"loadBalancerClass\":\"example.com/b\"}",
                        List.of(cause(
                                "FieldValueInvalid",
                                "spec.loadBalancerClass",
                                "Invalid value: \"example.com/b\": may not change once set"))),
                Arguments.of(
                        "{" + lb + ",\"externalTrafficPolicy\":\"Local\",\"healthCheckNodePort\":30001}",
                        "{" + lb + ",\"externalTrafficPolicy\":\"Local\",\"healthCheckNodePort\":30002}",
                        List.of(cause(
                                "FieldValueForbidden", "spec.healthCheckNodePort", "Forbidden: field is immutable"))));
    }

    @ParameterizedTest(name = "[{index}] {0} -> {1}")
    @MethodSource("serviceUpdates")
    void serviceUpdate(String oldSpec, String newSpec, List<Cause> expected) {
        assertThat(Kinds.validate("", "Service", service("{}", newSpec), service("{}", oldSpec)))
                .containsExactlyElementsOf(expected);
    }
}
