package dev.capstan.api.validation;

import static dev.capstan.api.validation.TestJson.LABEL_MSG;
import static dev.capstan.api.validation.TestJson.LABEL_VALUE_MSG;
import static dev.capstan.api.validation.TestJson.NAME_PART_MSG;
import static dev.capstan.api.validation.TestJson.SUBDOMAIN_MSG;
import static dev.capstan.api.validation.TestJson.cause;
import static dev.capstan.api.validation.TestJson.obj;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Pod-level rules of ValidatePodSpec and ValidatePodSpecificAnnotations: affinity, topology spread, DNS, host
 * aliases, overhead, OS, security context, sysctls, resource claims and the annotations core gives meaning to.
 */
class PodSpecRulesTest {

    private static final String CONTAINERS = "\"containers\":[{\"name\":\"a\",\"image\":\"x\"}]";
    private static final String NA = "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution";
    private static final String PA = "spec.affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution[0]";
    private static final String T = "spec.topologySpreadConstraints[0]";
    private static final String ID_RANGE = "must be between 0 and 2147483647, inclusive";
    private static final String SYSCTL_MSG = "must have at most 253 characters and match regex "
            + "^([a-z0-9]([-_a-z0-9]*[a-z0-9])?[\\./])*[a-z0-9]([-_a-z0-9]*[a-z0-9])?$";

    /** A pod whose spec has these fields and one plain container. */
    private static Arguments spec(String fields, Cause... expected) {
        return Arguments.of("{}", "{" + fields + "," + CONTAINERS + "}", List.of(expected));
    }

    /** A pod with these annotations and this spec. */
    private static Arguments annotated(String annotations, String spec, Cause... expected) {
        return Arguments.of(annotations, spec, List.of(expected));
    }

    static Stream<Arguments> cases() {
        String thirtyThree = String.join(",", Collections.nCopies(33, "\"a.example\""));
        return Stream.of(
                spec(
                        "\"affinity\":{\"nodeAffinity\":{\"requiredDuringSchedulingIgnoredDuringExecution\":"
                                + "{\"nodeSelectorTerms\":[]}}}",
                        cause(
                                "FieldValueRequired",
                                NA + ".nodeSelectorTerms",
                                "Required value: must have at least one node selector term")),
                spec(
                        "\"affinity\":{\"nodeAffinity\":{\"requiredDuringSchedulingIgnoredDuringExecution\":"
                                + "{\"nodeSelectorTerms\":[{\"matchExpressions\":[{\"key\":\"k\",\"operator\":\"Is\","
                                + "\"values\":[\"not checked\"]}],\"matchFields\":[{\"key\":\"metadata.uid\",\"operator\":\"In\","
                                + "\"values\":[\"u\"]}]}]}}}",
                        cause(
                                "FieldValueInvalid",
                                NA + ".nodeSelectorTerms[0].matchExpressions[0].operator",
                                "Invalid value: \"Is\": not a valid selector operator"),
                        cause(
                                "FieldValueInvalid",
                                NA + ".nodeSelectorTerms[0].matchFields[0].key",
                                "Invalid value: \"metadata.uid\": not a valid field selector key")),
                spec(
                        "\"affinity\":{\"nodeAffinity\":{\"preferredDuringSchedulingIgnoredDuringExecution\":"
                                + "[{\"weight\":0,\"preference\":{}}]}}",
                        cause(
                                "FieldValueInvalid",
                                "spec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight",
                                "Invalid value: 0: must be in the range 1-100")),
                spec(
                        "\"affinity\":{\"podAffinity\":{\"requiredDuringSchedulingIgnoredDuringExecution\":[{\"labelSelector\":"
                                + "{\"matchLabels\":{\"app\":\"x\"}},\"namespaces\":[\"Bad\"],\"topologyKey\":\"\"}]}}",
                        cause("FieldValueInvalid", PA + ".namespace", "Invalid value: \"Bad\": " + LABEL_MSG),
                        cause("FieldValueRequired", PA + ".topologyKey", "Required value: can not be empty"),
                        cause(
                                "FieldValueInvalid",
                                PA + ".topologyKey",
                                "Invalid value: \"\": name part must be non-empty"),
                        cause("FieldValueInvalid", PA + ".topologyKey", "Invalid value: \"\": " + NAME_PART_MSG)),
                spec(
                        "\"affinity\":{\"podAntiAffinity\":{\"preferredDuringSchedulingIgnoredDuringExecution\":[{\"weight\":101,"
                                + "\"podAffinityTerm\":{\"labelSelector\":{\"matchExpressions\":[{\"key\":\"app\",\"operator\":\"In\","
                                + "\"values\":[\"bad value\"]}]},\"matchLabelKeys\":[\"app\"],\"mismatchLabelKeys\":[\"app\"],"
                                + "\"topologyKey\":\"zone\"}}]}}",
                        cause(
                                "FieldValueInvalid",
                                "spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight",
                                "Invalid value: 101: must be in the range 1-100"),
                        cause(
                                "FieldValueInvalid",
                                "spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0]"
                                        + ".podAffinityTerm.labelSelector.matchExpressions[0].values[0]",
                                "Invalid value: \"bad value\": " + LABEL_VALUE_MSG),
                        cause(
                                "FieldValueInvalid",
                                "spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0]"
                                        + ".podAffinityTerm.matchLabelKeys[0]",
                                "Invalid value: \"app\": exists in both matchLabelKeys and mismatchLabelKeys")),
                spec(
                        "\"affinity\":{\"podAffinity\":{\"requiredDuringSchedulingIgnoredDuringExecution\":[{\"labelSelector\":"
                                + "{\"matchLabels\":{\"app\":\"x\"},\"matchExpressions\":[{\"key\":\"app\",\"operator\":\"In\","
                                + "\"values\":[\"x\"]}]},\"matchLabelKeys\":[\"app\"],\"topologyKey\":\"zone\"}]}}",
                        cause(
                                "FieldValueInvalid",
                                PA + "[0]",
                                "Invalid value: \"app\": exists in both matchLabelKeys and labelSelector")),
                spec(
                        "\"affinity\":{\"podAffinity\":{\"requiredDuringSchedulingIgnoredDuringExecution\":[{"
                                + "\"matchLabelKeys\":[\"app\"],\"topologyKey\":\"zone\"}]}}",
                        cause(
                                "FieldValueForbidden",
                                PA + ".matchLabelKeys",
                                "Forbidden: must not be specified when labelSelector is not set")),
                spec(
                        "\"topologySpreadConstraints\":[{\"maxSkew\":0,\"topologyKey\":\"\",\"whenUnsatisfiable\":\"Maybe\"}]",
                        cause("FieldValueInvalid", T + ".maxSkew", "Invalid value: 0: must be greater than zero"),
                        cause("FieldValueRequired", T + ".topologyKey", "Required value: can not be empty"),
                        cause(
                                "FieldValueNotSupported",
                                T + ".whenUnsatisfiable",
                                "Unsupported value: \"Maybe\": supported values: \"DoNotSchedule\", \"ScheduleAnyway\"")),
                spec(
                        "\"topologySpreadConstraints\":[{\"maxSkew\":1,\"topologyKey\":\"zone\",\"whenUnsatisfiable\":"
                                + "\"DoNotSchedule\"},{\"maxSkew\":2,\"topologyKey\":\"zone\",\"whenUnsatisfiable\":\"DoNotSchedule\"}]",
                        cause(
                                "FieldValueDuplicate",
                                T + ".{topologyKey, whenUnsatisfiable}",
                                "Duplicate value: \"{zone, DoNotSchedule}\"")),
                spec(
                        "\"topologySpreadConstraints\":[{\"maxSkew\":1,\"topologyKey\":\"zone\",\"whenUnsatisfiable\":"
                                + "\"ScheduleAnyway\",\"minDomains\":0,\"nodeAffinityPolicy\":\"Maybe\"}]",
                        cause("FieldValueInvalid", T + ".minDomains", "Invalid value: 0: must be greater than zero"),
                        cause(
                                "FieldValueInvalid",
                                T + ".minDomains",
                                "Invalid value: 0: can only use minDomains if whenUnsatisfiable=DoNotSchedule, not ScheduleAnyway"),
                        cause(
                                "FieldValueNotSupported",
                                T + ".nodeAffinityPolicy",
                                "Unsupported value: \"Maybe\": supported values: \"Honor\", \"Ignore\"")),
                spec(
                        "\"topologySpreadConstraints\":[{\"maxSkew\":1,\"topologyKey\":\"zone\",\"whenUnsatisfiable\":"
                                + "\"DoNotSchedule\",\"labelSelector\":{\"matchLabels\":{\"app\":\"bad value\"}},\"matchLabelKeys\":[\"app\"]}]",
                        cause(
                                "FieldValueInvalid",
                                T + ".matchLabelKeys[0]",
                                "Invalid value: \"app\": exists in both matchLabelKeys and labelSelector"),
                        cause(
                                "FieldValueInvalid",
                                T + ".labelSelector.matchLabels",
                                "Invalid value: \"bad value\": " + LABEL_VALUE_MSG)),
                spec(
                        "\"dnsConfig\":{\"nameservers\":[\"1.2.3.4\",\"nope\"],\"options\":[{\"value\":\"x\"}]}",
                        cause(
                                "FieldValueInvalid",
                                "spec.dnsConfig.nameservers[1]",
                                "Invalid value: \"nope\": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"),
                        cause("FieldValueRequired", "spec.dnsConfig.options[0]", "Required value: must not be empty")),
                spec(
                        "\"dnsConfig\":{\"searches\":[" + thirtyThree + "]}",
                        cause(
                                "FieldValueInvalid",
                                "spec.dnsConfig.searches",
                                "Invalid value: []string{" + String.join(", ", Collections.nCopies(33, "\"a.example\""))
                                        + "}: must not have more than 32 search paths")),
                spec(
                        "\"hostAliases\":[{\"ip\":\"x\",\"hostnames\":[\"Bad\"]}]",
                        cause(
                                "FieldValueInvalid",
                                "spec.hostAliases[0].ip",
                                "Invalid value: \"x\": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"),
                        cause(
                                "FieldValueInvalid",
                                "spec.hostAliases[0].hostnames[0]",
                                "Invalid value: \"Bad\": " + SUBDOMAIN_MSG)),
                spec(
                        "\"tolerations\":[{\"key\":\"k\",\"operator\":\"Exists\",\"value\":\"v\",\"tolerationSeconds\":5,"
                                + "\"effect\":\"NoSchedule\"}]",
                        cause(
                                "FieldValueInvalid",
                                "spec.tolerations[0].effect",
                                "Invalid value: \"NoSchedule\": effect must be 'NoExecute' when `tolerationSeconds` is set"),
                        cause(
                                "FieldValueInvalid",
                                "spec.tolerations[0].operator",
                                "Invalid value: \"v\": value must be empty when `operator` is 'Exists'")),
                spec(
                        "\"readinessGates\":[{\"conditionType\":\"bad type\"}]",
                        cause(
                                "FieldValueInvalid",
                                "spec.readinessGates[0].conditionType",
                                "Invalid value: \"bad type\": " + NAME_PART_MSG)),
                spec(
                        "\"overhead\":{\"pods\":\"1\"}",
                        cause(
                                "FieldValueInvalid",
                                "spec.overhead.limits[pods]",
                                "Invalid value: \"pods\": must be a standard resource for containers")),
                spec(
                        "\"os\":{\"name\":\"plan9\"}",
                        cause(
                                "FieldValueNotSupported",
                                "spec.os",
                                "Unsupported value: \"plan9\": supported values: \"linux\", \"windows\"")),
                spec("\"os\":{}", cause("FieldValueRequired", "spec.os.name", "Required value: cannot be empty")),
                spec(
                        "\"os\":{\"name\":\"windows\"},\"securityContext\":{\"runAsUser\":0,\"fsGroup\":1}",
                        cause(
                                "FieldValueForbidden",
                                "spec.securityContext.fsGroup",
                                "Forbidden: cannot be set for a windows pod"),
                        cause(
                                "FieldValueForbidden",
                                "spec.securityContext.runAsUser",
                                "Forbidden: cannot be set for a windows pod")),
                spec(
                        "\"os\":{\"name\":\"linux\"},\"securityContext\":{\"windowsOptions\":{}}",
                        cause(
                                "FieldValueForbidden",
                                "spec.securityContext.windowsOptions",
                                "Forbidden: windows options cannot be set for a linux pod")),
                spec(
                        "\"securityContext\":{\"fsGroup\":-1,\"supplementalGroups\":[-2],\"fsGroupChangePolicy\":\"Sometimes\"}",
                        cause("FieldValueInvalid", "spec.securityContext.fsGroup", "Invalid value: -1: " + ID_RANGE),
                        cause(
                                "FieldValueInvalid",
                                "spec.securityContext.supplementalGroups[0]",
                                "Invalid value: -2: " + ID_RANGE),
                        cause(
                                "FieldValueNotSupported",
                                "spec.securityContext.fsGroupChangePolicy",
                                "Unsupported value: \"Sometimes\": supported values: \"Always\", \"OnRootMismatch\"")),
                spec(
                        "\"hostPID\":true,\"shareProcessNamespace\":true",
                        cause(
                                "FieldValueInvalid",
                                "spec.securityContext.shareProcessNamespace",
                                "Invalid value: true: ShareProcessNamespace and HostPID cannot both be enabled")),
                spec(
                        "\"hostNetwork\":true,\"securityContext\":{\"sysctls\":[{\"name\":\"net.core.somaxconn\",\"value\":\"1\"},"
                                + "{\"name\":\"Bad\",\"value\":\"1\"},{\"name\":\"\",\"value\":\"1\"},{\"name\":\"Bad\",\"value\":\"2\"}]}",
                        cause(
                                "FieldValueInvalid",
                                "spec.securityContext.sysctls[0].name",
                                "Invalid value: \"net.core.somaxconn\": may not be specified when 'hostNetwork' is true"),
                        cause(
                                "FieldValueInvalid",
                                "spec.securityContext.sysctls[1].name",
                                "Invalid value: \"Bad\": " + SYSCTL_MSG),
                        cause("FieldValueRequired", "spec.securityContext.sysctls[2].name", "Required value"),
                        cause(
                                "FieldValueInvalid",
                                "spec.securityContext.sysctls[3].name",
                                "Invalid value: \"Bad\": " + SYSCTL_MSG)),
                Arguments.of(
                        "{}",
                        "{\"securityContext\":{\"windowsOptions\":{\"hostProcess\":true}},\"containers\":[{\"name\":\"a\","
                                + "\"image\":\"x\",\"securityContext\":{\"windowsOptions\":{\"hostProcess\":false}}}]}",
                        List.of(
                                cause(
                                        "FieldValueInvalid",
                                        "spec.containers[0].securityContext.windowsOptions.hostProcess",
                                        "Invalid value: false: pod hostProcess value must be identical if both are specified, was true"))),
                spec(
                        "\"securityContext\":{\"windowsOptions\":{\"hostProcess\":true}}",
                        cause(
                                "FieldValueInvalid",
                                "spec.hostNetwork",
                                "Invalid value: false: hostNetwork must be true if pod contains any hostProcess containers")),
                spec(
                        "\"hostUsers\":false,\"hostNetwork\":true",
                        cause(
                                "FieldValueForbidden",
                                "spec.hostNetwork",
                                "Forbidden: when `pod.Spec.HostUsers` is false")),
                spec(
                        "\"resourceClaims\":[{\"name\":\"a\",\"resourceClaimName\":\"x\",\"resourceClaimTemplateName\":\"y\"},"
                                + "{\"name\":\"a\"}]",
                        cause(
                                "FieldValueInvalid",
                                "spec.resourceClaims[0]",
                                "Invalid value: core.PodResourceClaim{Name:\"a\", ResourceClaimName:(*string)(0xc000000000), "
                                        + "ResourceClaimTemplateName:(*string)(0xc000000000)}: at most one of "
                                        + "`resourceClaimName` or `resourceClaimTemplateName` may be specified"),
                        cause("FieldValueDuplicate", "spec.resourceClaims[1].name", "Duplicate value: \"a\""),
                        cause(
                                "FieldValueInvalid",
                                "spec.resourceClaims[1]",
                                "Invalid value: core.PodResourceClaim{Name:\"a\", ResourceClaimName:(*string)(nil), "
                                        + "ResourceClaimTemplateName:(*string)(nil)}: must specify one of: "
                                        + "`resourceClaimName`, `resourceClaimTemplateName`")),
                annotated(
                        "{\"kubernetes.io/config.mirror\":\"x\"}",
                        "{" + CONTAINERS + "}",
                        cause(
                                "FieldValueInvalid",
                                "metadata.annotations[kubernetes.io/config.mirror]",
                                "Invalid value: \"x\": must set spec.nodeName if mirror pod annotation is set")),
                annotated(
                        "{\"scheduler.alpha.kubernetes.io/tolerations\":\"[{\"}",
                        "{" + CONTAINERS + "}",
                        cause(
                                "FieldValueInvalid",
                                "metadata.annotations",
                                "Invalid value: \"scheduler.alpha.kubernetes.io/tolerations\": unexpected end of JSON input")),
                annotated(
                        "{\"scheduler.alpha.kubernetes.io/tolerations\":\"{}\"}",
                        "{" + CONTAINERS + "}",
                        cause(
                                "FieldValueInvalid",
                                "metadata.annotations",
                                "Invalid value: \"scheduler.alpha.kubernetes.io/tolerations\": json: cannot unmarshal "
                                        + "object into Go value of type []core.Toleration")),
                annotated(
                        "{\"scheduler.alpha.kubernetes.io/tolerations\":\"[{\\\"operator\\\":\\\"Equal\\\",\\\"value\\\":\\\"x\\\"}]\"}",
                        "{" + CONTAINERS + "}",
                        cause(
                                "FieldValueInvalid",
                                "metadata.annotations.scheduler.alpha.kubernetes.io/tolerations[0].operator",
                                "Invalid value: \"Equal\": operator must be Exists when `key` is empty, which means "
                                        + "\"match all values and all keys\"")),
                annotated(
                        "{\"controller.kubernetes.io/pod-deletion-cost\":\"+1\"}",
                        "{" + CONTAINERS + "}",
                        cause(
                                "FieldValueInvalid",
                                "metadata.annotations[controller.kubernetes.io/pod-deletion-cost]",
                                "Invalid value: \"+1\": must be a 32bit integer")),
                annotated(
                        "{\"seccomp.security.alpha.kubernetes.io/pod\":\"bogus\"}",
                        "{" + CONTAINERS + "}",
                        cause(
                                "FieldValueInvalid",
                                "metadata.annotations.seccomp.security.alpha.kubernetes.io/pod",
                                "Invalid value: \"bogus\": must be a valid seccomp profile")),
                annotated(
                        "{\"container.apparmor.security.beta.kubernetes.io/nope\":\"runtime/default\","
                                + "\"container.apparmor.security.beta.kubernetes.io/a\":\"bogus\"}",
                        "{" + CONTAINERS + "}",
                        cause(
                                "FieldValueInvalid",
                                "metadata.annotations[container.apparmor.security.beta.kubernetes.io/nope]",
                                "Invalid value: \"nope\": container not found"),
                        cause(
                                "FieldValueInvalid",
                                "metadata.annotations[container.apparmor.security.beta.kubernetes.io/a]",
                                "Invalid value: \"bogus\": invalid AppArmor profile name: \"bogus\"")),
                annotated(
                        "{\"seccomp.security.alpha.kubernetes.io/pod\":\"unconfined\"}",
                        "{\"securityContext\":{\"seccompProfile\":{\"type\":\"RuntimeDefault\"}}," + CONTAINERS + "}",
                        cause(
                                "FieldValueForbidden",
                                "spec.securityContext.seccompProfile.type",
                                "Forbidden: seccomp type in annotation and field must match")),
                annotated(
                        "{\"container.apparmor.security.beta.kubernetes.io/a\":\"localhost/one\"}",
                        "{\"containers\":[{\"name\":\"a\",\"image\":\"x\",\"securityContext\":{\"appArmorProfile\":"
                                + "{\"type\":\"Localhost\",\"localhostProfile\":\"two\"}}}]}",
                        cause(
                                "FieldValueForbidden",
                                "spec.containers[0].securityContext.appArmorProfile.localhostProfile",
                                "Forbidden: apparmor profile in annotation and field must match")));
    }

    static ObjectNode pod(String annotations, String spec) {
        ObjectNode pod = obj("{\"metadata\":{\"name\":\"web\",\"namespace\":\"default\",\"annotations\":" + annotations
                + "},\"spec\":" + spec + "}");
        Kinds.defaults("", "Pod", pod);
        return pod;
    }

    @ParameterizedTest(name = "[{index}] {0} {1}")
    @MethodSource("cases")
    void podSpec(String annotations, String spec, List<Cause> expected) {
        assertThat(Kinds.validate("", "Pod", pod(annotations, spec), null)).containsExactlyElementsOf(expected);
    }
}
