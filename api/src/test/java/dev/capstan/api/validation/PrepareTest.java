package dev.capstan.api.validation;

import static dev.capstan.api.validation.TestJson.obj;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** What the pod and workload strategies do before validating, as upstream's PrepareForCreate/Update do. */
class PrepareTest {

    private static final Instant NOW = Instant.parse("2025-01-02T03:04:05Z");

    private static final String GATED_FIELDS = """
            {"metadata":{"name":"web","labels":{"app":"web"}},
             "spec":{"hostUsers":false,
               "securityContext":{"supplementalGroupsPolicy":"Strict","seLinuxChangePolicy":"MountOption"},
               "resources":{"limits":{"cpu":"1"}},
               "resourceClaims":[{"name":"gpu","resourceClaimName":"gpu-claim"}],
               "volumes":[{"name":"img","image":{"reference":"registry/data:1"}},{"name":"d","emptyDir":{}},
                 {"name":"p","projected":{"sources":[{"clusterTrustBundle":{"signerName":"a/b","path":"ca.pem"}}]}}],
               "containers":[{"name":"a","image":"x","resources":{"claims":[{"name":"gpu"}]},
                 "resizePolicy":[{"resourceName":"cpu","restartPolicy":"NotRequired"}],
                 "securityContext":{"procMount":"Unmasked"},
                 "volumeMounts":[{"name":"img","mountPath":"/img"},{"name":"d","mountPath":"/d"}]}]}}""";

    @Test
    void aNewPodLosesTheFieldsOfFeaturesOffIn132() {
        ObjectNode pod = obj(GATED_FIELDS);
        Prepare.podCreate(pod, NOW);
        assertThat(pod.get("spec")).isEqualTo(obj("""
                        {"securityContext":{},
                         "volumes":[{"name":"d","emptyDir":{}},{"name":"p","projected":{"sources":[{}]}}],
                         "containers":[{"name":"a","image":"x","resources":{},
                           "securityContext":{"procMount":"Default"},
                           "volumeMounts":[{"name":"d","mountPath":"/d"}]}]}"""));
    }

    @Test
    void anUpdateKeepsWhatTheStoredPodAlreadyUses() {
        ObjectNode old = obj(GATED_FIELDS);
        ObjectNode pod = obj(GATED_FIELDS);
        Prepare.podUpdate(pod, old);
        assertThat(pod).isEqualTo(obj(GATED_FIELDS));
    }

    @Test
    void aGatedPodIsMarkedSchedulingGated() {
        ObjectNode pod = obj("{\"metadata\":{\"name\":\"web\"},\"spec\":{\"schedulingGates\":[{\"name\":\"g\"}],"
                + "\"containers\":[{\"name\":\"a\",\"image\":\"x\"}]},\"status\":{\"phase\":\"Pending\"}}");
        Prepare.podCreate(pod, NOW);
        assertThat(pod.get("status")).isEqualTo(obj("""
                        {"phase":"Pending","conditions":[{"type":"PodScheduled","status":"False","lastProbeTime":null,
                          "lastTransitionTime":"2025-01-02T03:04:05Z","reason":"SchedulingGated",
                          "message":"Scheduling is blocked due to non-empty scheduling gates"}]}"""));
    }

    @Test
    void matchLabelKeysBecomeSelectorRequirements() {
        ObjectNode pod = obj("""
                {"metadata":{"name":"web","labels":{"app":"web","ver":"2"}},"spec":{"containers":[{"name":"a","image":"x"}],
                 "affinity":{"podAntiAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":[{"topologyKey":"zone",
                   "labelSelector":{"matchLabels":{"tier":"front"}},"matchLabelKeys":["app","absent"],
                   "mismatchLabelKeys":["ver"]}]}}}}""");
        Prepare.podCreate(pod, NOW);
        assertThat(
                        pod.at(
                                "/spec/affinity/podAntiAffinity/requiredDuringSchedulingIgnoredDuringExecution/0/labelSelector"))
                .isEqualTo(obj("""
                        {"matchLabels":{"tier":"front"},"matchExpressions":[
                          {"key":"app","operator":"In","values":["web"]},{"key":"ver","operator":"NotIn","values":["2"]}]}"""));
    }

    @Test
    void appArmorAnnotationsAndFieldsAreKeptInStep() {
        ObjectNode pod = obj("""
                {"metadata":{"name":"web","annotations":{"container.apparmor.security.beta.kubernetes.io/b":"localhost/prof"}},
                 "spec":{"securityContext":{"appArmorProfile":{"type":"RuntimeDefault"}},
                   "containers":[{"name":"a","image":"x"},{"name":"b","image":"x"}]}}""");
        Prepare.podCreate(pod, NOW);
        assertThat(pod.at("/metadata/annotations")).isEqualTo(obj("""
                        {"container.apparmor.security.beta.kubernetes.io/b":"localhost/prof",
                         "container.apparmor.security.beta.kubernetes.io/a":"runtime/default"}"""));
        assertThat(pod.at("/spec/containers/1/securityContext"))
                .isEqualTo(obj("{\"appArmorProfile\":{\"type\":\"Localhost\",\"localhostProfile\":\"prof\"}}"));
        assertThat(pod.at("/spec/containers/0/securityContext").isMissingNode()).isTrue();
    }

    @Test
    void statefulSetsLoseMaxUnavailableUnlessAlreadyUsed() {
        String sts = "{\"spec\":{\"updateStrategy\":{\"type\":\"RollingUpdate\",\"rollingUpdate\":{\"partition\":0,"
                + "\"maxUnavailable\":2}},\"template\":{\"spec\":{\"hostUsers\":false}}}}";
        ObjectNode created = obj(sts);
        Prepare.statefulSet(created, null);
        assertThat(created)
                .isEqualTo(obj("{\"spec\":{\"updateStrategy\":{\"type\":\"RollingUpdate\",\"rollingUpdate\":"
                        + "{\"partition\":0}},\"template\":{\"spec\":{}}}}"));
        ObjectNode updated = obj(sts);
        Prepare.statefulSet(updated, obj(sts));
        assertThat(updated).isEqualTo(obj(sts));
    }

    @Test
    void workloadTemplatesLoseGatedOffFields() {
        ObjectNode job =
                obj("{\"spec\":{\"jobTemplate\":{\"spec\":{\"template\":{\"spec\":{\"resourceClaims\":[{\"name\":"
                        + "\"c\",\"resourceClaimName\":\"x\"}]}}}}}}");
        Prepare.template(job, null, "spec", "jobTemplate", "spec", "template");
        assertThat(job).isEqualTo(obj("{\"spec\":{\"jobTemplate\":{\"spec\":{\"template\":{\"spec\":{}}}}}}"));
    }
}
