package dev.capstan.api.validation;

import static dev.capstan.api.validation.TestJson.obj;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DefaultingTest {

    /** The defaults every pod spec (in a Pod or a template) gets for one container named c with the given image. */
    private static String defaultedSpec(String image, String policy, String extra) {
        return """
                {"containers":[{"name":"c","image":"%s","imagePullPolicy":"%s",
                  "terminationMessagePath":"/dev/termination-log","terminationMessagePolicy":"File"}],
                 "restartPolicy":"%s","dnsPolicy":"ClusterFirst","terminationGracePeriodSeconds":30,
                 "schedulerName":"default-scheduler","securityContext":{}}""".formatted(image, policy, extra);
    }

    static Stream<Arguments> golden() {
        return Stream.of(
                Arguments.of("", "Pod", """
                        {"metadata":{"name":"p"},"spec":{"hostNetwork":true,"volumes":[{"name":"v"},
                          {"name":"s","secret":{"secretName":"x"}}],
                          "containers":[{"name":"c","image":"nginx","ports":[{"containerPort":80}],
                            "resources":{"limits":{"cpu":"1"}},
                            "readinessProbe":{"httpGet":{"port":80}}}]}}""", """
                        {"metadata":{"name":"p"},"spec":{"hostNetwork":true,"enableServiceLinks":true,
                          "volumes":[{"name":"v","emptyDir":{}},
                            {"name":"s","secret":{"secretName":"x","defaultMode":420}}],
                          "containers":[{"name":"c","image":"nginx","imagePullPolicy":"Always",
                            "terminationMessagePath":"/dev/termination-log","terminationMessagePolicy":"File",
                            "ports":[{"containerPort":80,"hostPort":80,"protocol":"TCP"}],
                            "resources":{"limits":{"cpu":"1"},"requests":{"cpu":"1"}},
                            "readinessProbe":{"httpGet":{"port":80,"path":"/","scheme":"HTTP"},"timeoutSeconds":1,
                              "periodSeconds":10,"successThreshold":1,"failureThreshold":3}}],
                          "restartPolicy":"Always","dnsPolicy":"ClusterFirst","terminationGracePeriodSeconds":30,
                          "schedulerName":"default-scheduler","securityContext":{}}}"""),
                Arguments.of(
                        "apps",
                        "Deployment",
                        """
                        {"spec":{"template":{"spec":{"containers":[{"name":"c","image":"nginx:1.27"}]}}}}""",
                        "{\"spec\":{\"replicas\":1,\"strategy\":{\"type\":\"RollingUpdate\",\"rollingUpdate\":"
                                + "{\"maxUnavailable\":\"25%\",\"maxSurge\":\"25%\"}},\"revisionHistoryLimit\":10,"
                                + "\"progressDeadlineSeconds\":600,\"template\":{\"spec\":"
                                + defaultedSpec("nginx:1.27", "IfNotPresent", "Always") + "}}}"),
                Arguments.of(
                        "apps",
                        "Deployment",
                        """
                        {"spec":{"strategy":{"type":"Recreate"},"replicas":3,
                          "template":{"spec":{"containers":[{"name":"c","image":"nginx:1.27"}]}}}}""",
                        "{\"spec\":{\"replicas\":3,\"strategy\":{\"type\":\"Recreate\"},\"revisionHistoryLimit\":10,"
                                + "\"progressDeadlineSeconds\":600,\"template\":{\"spec\":"
                                + defaultedSpec("nginx:1.27", "IfNotPresent", "Always") + "}}}"),
                Arguments.of(
                        "apps",
                        "ReplicaSet",
                        """
                        {"spec":{"template":{"spec":{"containers":[{"name":"c","image":"nginx:1.27"}]}}}}""",
                        "{\"spec\":{\"replicas\":1,\"template\":{\"spec\":"
                                + defaultedSpec("nginx:1.27", "IfNotPresent", "Always") + "}}}"),
                Arguments.of(
                        "apps",
                        "StatefulSet",
                        """
                        {"spec":{"template":{"spec":{"containers":[{"name":"c","image":"db:latest"}]}}}}""",
                        "{\"spec\":{\"replicas\":1,\"podManagementPolicy\":\"OrderedReady\",\"updateStrategy\":"
                                + "{\"type\":\"RollingUpdate\",\"rollingUpdate\":{\"partition\":0}},"
                                + "\"persistentVolumeClaimRetentionPolicy\":{\"whenDeleted\":\"Retain\","
                                + "\"whenScaled\":\"Retain\"},\"revisionHistoryLimit\":10,\"template\":{\"spec\":"
                                + defaultedSpec("db:latest", "Always", "Always") + "}}}"),
                Arguments.of(
                        "apps",
                        "DaemonSet",
                        """
                        {"spec":{"template":{"spec":{"containers":[{"name":"c","image":"agent:v1"}]}}}}""",
                        "{\"spec\":{\"updateStrategy\":{\"type\":\"RollingUpdate\",\"rollingUpdate\":"
                                + "{\"maxUnavailable\":1,\"maxSurge\":0}},\"revisionHistoryLimit\":10,\"template\":"
                                + "{\"spec\":" + defaultedSpec("agent:v1", "IfNotPresent", "Always") + "}}}"),
                Arguments.of(
                        "batch",
                        "Job",
                        """
                        {"metadata":{"name":"pi"},"spec":{"template":{"metadata":{"labels":{"app":"pi"}},
                          "spec":{"restartPolicy":"Never","containers":[{"name":"c","image":"perl:5.34.0"}]}}}}""",
                        "{\"metadata\":{\"name\":\"pi\",\"labels\":{\"app\":\"pi\"}},\"spec\":{\"completions\":1,"
                                + "\"parallelism\":1,\"backoffLimit\":6,\"completionMode\":\"NonIndexed\","
                                + "\"suspend\":false,\"podReplacementPolicy\":\"TerminatingOrFailed\",\"manualSelector\":false,\"template\":{"
                                + "\"metadata\":{\"labels\":{\"app\":\"pi\"}},\"spec\":"
                                + defaultedSpec("perl:5.34.0", "IfNotPresent", "Never") + "}}}"),
                Arguments.of(
                        "batch",
                        "Job",
                        """
                        {"spec":{"parallelism":4,"template":{"spec":{"restartPolicy":"OnFailure",
                          "containers":[{"name":"c","image":"w:1"}]}}}}""",
                        "{\"spec\":{\"parallelism\":4,\"backoffLimit\":6,\"completionMode\":"
                                + "\"NonIndexed\",\"suspend\":false,\"podReplacementPolicy\":\"TerminatingOrFailed\",\"manualSelector\":false,"
                                + "\"template\":{\"spec\":" + defaultedSpec("w:1", "IfNotPresent", "OnFailure")
                                + "}}}"),
                Arguments.of(
                        "batch",
                        "CronJob",
                        """
                        {"spec":{"schedule":"@daily","jobTemplate":{"spec":{"template":{"spec":{
                          "restartPolicy":"OnFailure","containers":[{"name":"c","image":"w:1"}]}}}}}}""",
                        "{\"spec\":{\"schedule\":\"@daily\",\"concurrencyPolicy\":\"Allow\",\"suspend\":false,"
                                + "\"successfulJobsHistoryLimit\":3,\"failedJobsHistoryLimit\":1,\"jobTemplate\":"
                                + "{\"spec\":{\"template\":{\"spec\":"
                                + defaultedSpec("w:1", "IfNotPresent", "OnFailure") + "}}}}}"),
                Arguments.of("", "Service", """
                        {"spec":{"selector":{"app":"web"},
                          "ports":[{"port":80},{"port":443,"targetPort":"https"}]}}""", """
                        {"spec":{"selector":{"app":"web"},"type":"ClusterIP","sessionAffinity":"None",
                          "ports":[{"port":80,"protocol":"TCP","targetPort":80},
                                   {"port":443,"targetPort":"https","protocol":"TCP"}],
                          "internalTrafficPolicy":"Cluster","ipFamilyPolicy":"SingleStack","ipFamilies":["IPv4"]}}"""),
                Arguments.of("", "Service", """
                        {"spec":{"type":"LoadBalancer","sessionAffinity":"ClientIP","ports":[{"port":80,
                          "protocol":"UDP"}]}}""", """
                        {"spec":{"type":"LoadBalancer","sessionAffinity":"ClientIP",
                          "sessionAffinityConfig":{"clientIP":{"timeoutSeconds":10800}},
                          "ports":[{"port":80,"protocol":"UDP","targetPort":80}],"externalTrafficPolicy":"Cluster",
                          "internalTrafficPolicy":"Cluster","allocateLoadBalancerNodePorts":true,
                          "ipFamilyPolicy":"SingleStack","ipFamilies":["IPv4"]}}"""),
                Arguments.of("", "Service", """
                        {"spec":{"type":"ExternalName","externalName":"db.example.com",
                          "sessionAffinityConfig":{"clientIP":{"timeoutSeconds":5}}}}""", """
                        {"spec":{"type":"ExternalName","externalName":"db.example.com","sessionAffinity":"None"}}"""),
                Arguments.of("", "Secret", "{\"data\":{}}", "{\"data\":{},\"type\":\"Opaque\"}"),
                Arguments.of(
                        "",
                        "Namespace",
                        "{\"metadata\":{\"name\":\"team-a\"}}",
                        "{\"metadata\":{\"name\":\"team-a\",\"labels\":{\"kubernetes.io/metadata.name\":\"team-a\"}},"
                                + "\"status\":{\"phase\":\"Active\"}}"),
                Arguments.of("example.com", "Widget", "{\"spec\":{}}", "{\"spec\":{}}"));
    }

    @ParameterizedTest(name = "[{index}] {0}/{1}")
    @MethodSource("golden")
    void defaultsMatchUpstream(String group, String kind, String input, String expected) {
        ObjectNode object = obj(input);
        Kinds.defaults(group, kind, object);
        assertThat(object).isEqualTo(obj(expected));
    }

    @Test
    void defaultingIsIdempotent() {
        ObjectNode once = obj(
                "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":" + "\"nginx\"}]}}}}");
        Kinds.defaults("apps", "Deployment", once);
        ObjectNode twice = once.deepCopy();
        Kinds.defaults("apps", "Deployment", twice);
        assertThat(twice).isEqualTo(once);
    }

    @Test
    void explicitValuesAreKept() {
        ObjectNode pod = obj("{\"spec\":{\"restartPolicy\":\"Never\",\"dnsPolicy\":\"Default\","
                + "\"terminationGracePeriodSeconds\":5,\"containers\":[{\"name\":\"c\",\"image\":\"nginx\","
                + "\"imagePullPolicy\":\"Never\"}]}}");
        Kinds.defaults("", "Pod", pod);
        assertThat(pod.at("/spec/restartPolicy").asText()).isEqualTo("Never");
        assertThat(pod.at("/spec/dnsPolicy").asText()).isEqualTo("Default");
        assertThat(pod.at("/spec/terminationGracePeriodSeconds").asLong()).isEqualTo(5);
        assertThat(pod.at("/spec/containers/0/imagePullPolicy").asText()).isEqualTo("Never");
    }
}
