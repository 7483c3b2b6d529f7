package dev.capstan.api.validation;

import static dev.capstan.api.validation.TestJson.SUBDOMAIN_MSG;
import static dev.capstan.api.validation.TestJson.cause;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Container rules of a pod (validateContainerCommon and the container lists), upstream's paths and messages. */
class ContainerRulesTest {

    private static final String C = "spec.containers[0]";
    private static final String KEY_MSG = "a valid config key must consist of alphanumeric characters, '-', '_' or "
            + "'.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')";
    private static final String RELAXED_ENV_MSG =
            "a valid environment variable name must consist only of printable ASCII characters other than '='";
    private static final String ID_RANGE = "must be between 0 and 2147483647, inclusive";

    /** A container named a (image x) with these extra fields, in a pod with an emptyDir d and a claim p. */
    private static Arguments container(String fields, Cause... expected) {
        return Arguments.of(
                "{\"volumes\":[{\"name\":\"d\",\"emptyDir\":{}},{\"name\":\"p\",\"persistentVolumeClaim\":"
                        + "{\"claimName\":\"c\"}}],\"containers\":[{\"name\":\"a\",\"image\":\"x\"," + fields + "}]}",
                List.of(expected));
    }

    private static Arguments env(String var, Cause... expected) {
        return container("\"env\":[" + var + "]", expected);
    }

    private static Arguments securityContext(String sc, Cause... expected) {
        return container("\"securityContext\":" + sc, expected);
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                container("\"ports\":[{\"containerPort\":80,\"name\":\"http\"}]"),
                container(
                        "\"ports\":[{\"containerPort\":80,\"name\":\"http\"},{\"containerPort\":81,\"name\":\"http\"}]",
                        cause("FieldValueDuplicate", C + ".ports[1].name", "Duplicate value: \"http\"")),
                env("{\"name\":\"1X\",\"value\":\"v\"}"),
                env(
                        "{\"name\":\"A\",\"valueFrom\":{}}",
                        cause(
                                "FieldValueInvalid",
                                C + ".env[0].valueFrom",
                                "Invalid value: \"\": must specify one of: `fieldRef`, `resourceFieldRef`, "
                                        + "`configMapKeyRef` or `secretKeyRef`")),
                env(
                        "{\"name\":\"A\",\"valueFrom\":{\"fieldRef\":{\"fieldPath\":\"metadata.labels\"}}}",
                        cause(
                                "FieldValueNotSupported",
                                C + ".env[0].valueFrom.fieldRef.fieldPath",
                                "Unsupported value: \"metadata.labels\": supported values: \"metadata.name\", "
                                        + "\"metadata.namespace\", \"metadata.uid\", \"spec.nodeName\", "
                                        + "\"spec.serviceAccountName\", \"status.hostIP\", \"status.hostIPs\", "
                                        + "\"status.podIP\", \"status.podIPs\"")),
                env(
                        "{\"name\":\"A\",\"valueFrom\":{\"fieldRef\":{\"fieldPath\":\"spec.bogus\"}}}",
                        cause(
                                "FieldValueInvalid",
                                C + ".env[0].valueFrom.fieldRef.fieldPath",
                                "Invalid value: \"spec.bogus\": error converting fieldPath: field label not supported: "
                                        + "spec.bogus")),
                env(
                        "{\"name\":\"A\",\"valueFrom\":{\"fieldRef\":{\"apiVersion\":\"v2\",\"fieldPath\":\"metadata.name\"}}}",
                        cause(
                                "FieldValueInvalid",
                                C + ".env[0].valueFrom.fieldRef.fieldPath",
                                "Invalid value: \"metadata.name\": error converting fieldPath: unsupported pod version: v2")),
                env(
                        "{\"name\":\"A\",\"valueFrom\":{\"resourceFieldRef\":{\"resource\":\"limits.cpu\",\"divisor\":\"2\"}}}",
                        cause(
                                "FieldValueInvalid",
                                C + ".env[0].valueFrom.resourceFieldRef.divisor",
                                "Invalid value: \"limits.cpu\": only divisor's values 1m and 1 are supported with the "
                                        + "cpu resource")),
                env(
                        "{\"name\":\"A\",\"valueFrom\":{\"resourceFieldRef\":{\"resource\":\"limits.gpu\"}}}",
                        cause(
                                "FieldValueNotSupported",
                                C + ".env[0].valueFrom.resourceFieldRef.resource",
                                "Unsupported value: \"limits.gpu\": supported values: \"limits.cpu\", "
                                        + "\"limits.ephemeral-storage\", \"limits.memory\", \"requests.cpu\", "
                                        + "\"requests.ephemeral-storage\", \"requests.memory\"")),
                env(
                        "{\"name\":\"A\",\"valueFrom\":{\"configMapKeyRef\":{\"name\":\"Bad\",\"key\":\"\"}}}",
                        cause(
                                "FieldValueInvalid",
                                C + ".env[0].valueFrom.configMapKeyRef.name",
                                "Invalid value: \"Bad\": " + SUBDOMAIN_MSG),
                        cause("FieldValueRequired", C + ".env[0].valueFrom.configMapKeyRef.key", "Required value")),
                env(
                        "{\"name\":\"A\",\"valueFrom\":{\"secretKeyRef\":{\"name\":\"s\",\"key\":\"a b\"}}}",
                        cause(
                                "FieldValueInvalid",
                                C + ".env[0].valueFrom.secretKeyRef.key",
                                "Invalid value: \"a b\": " + KEY_MSG)),
                env(
                        "{\"name\":\"A\",\"value\":\"v\",\"valueFrom\":{\"fieldRef\":{\"fieldPath\":\"metadata.name\"}}}",
                        cause(
                                "FieldValueInvalid",
                                C + ".env[0].valueFrom",
                                "Invalid value: \"\": may not be specified when `value` is not empty")),
                container(
                        "\"envFrom\":[{\"prefix\":\"A=\",\"configMapRef\":{\"name\":\"c\"},\"secretRef\":{\"name\":\"s\"}}]",
                        cause(
                                "FieldValueInvalid",
                                C + ".envFrom[0].prefix",
                                "Invalid value: \"A=\": " + RELAXED_ENV_MSG),
                        cause(
                                "FieldValueInvalid",
                                C + ".envFrom",
                                "Invalid value: \"\": may not have more than one field specified at a time")),
                container(
                        "\"envFrom\":[{}]",
                        cause(
                                "FieldValueInvalid",
                                C + ".envFrom",
                                "Invalid value: \"\": must specify one of: `configMapRef` or `secretRef`")),
                container(
                        "\"envFrom\":[{\"configMapRef\":{\"name\":\"Bad-\"}}]",
                        cause(
                                "FieldValueInvalid",
                                C + ".envFrom[0].configMapRef.name",
                                "Invalid value: \"Bad-\": " + SUBDOMAIN_MSG)),
                container(
                        "\"volumeMounts\":[{\"name\":\"d\",\"mountPath\":\"/d\",\"subPath\":\"/abs\","
                                + "\"mountPropagation\":\"Bidirectional\",\"recursiveReadOnly\":\"Enabled\"}]",
                        cause(
                                "FieldValueInvalid",
                                C + ".volumeMounts.subPath",
                                "Invalid value: \"/abs\": must be a relative path"),
                        cause(
                                "FieldValueForbidden",
                                C + ".volumeMounts.mountPropagation",
                                "Forbidden: Bidirectional mount propagation is available only to privileged containers"),
                        cause(
                                "FieldValueForbidden",
                                C + ".volumeMounts.recursiveReadOnly",
                                "Forbidden: may only be specified when readOnly is true"),
                        cause(
                                "FieldValueForbidden",
                                C + ".volumeMounts.recursiveReadOnly",
                                "Forbidden: may only be specified when mountPropagation is None or not specified")),
                container(
                        "\"securityContext\":{\"privileged\":true},\"volumeMounts\":[{\"name\":\"d\",\"mountPath\":\"/d\","
                                + "\"mountPropagation\":\"Bidirectional\"}]"),
                container(
                        "\"volumeMounts\":[{\"name\":\"d\",\"mountPath\":\"/d\",\"subPath\":\"a\",\"subPathExpr\":\"b\"}]",
                        cause(
                                "FieldValueInvalid",
                                C + ".volumeMounts[0].subPathExpr",
                                "Invalid value: \"b\": subPathExpr and subPath are mutually exclusive")),
                container(
                        "\"volumeMounts\":[{\"name\":\"d\",\"mountPath\":\"/d\",\"mountPropagation\":\"Both\"}]",
                        cause(
                                "FieldValueNotSupported",
                                C + ".volumeMounts.mountPropagation",
                                "Unsupported value: \"Both\": supported values: \"Bidirectional\", \"HostToContainer\", "
                                        + "\"None\"")),
                container(
                        "\"volumeMounts\":[{\"name\":\"d\",\"mountPath\":\"/d\",\"recursiveReadOnly\":\"Always\"}]",
                        cause(
                                "FieldValueNotSupported",
                                C + ".volumeMounts.recursiveReadOnly",
                                "Unsupported value: \"Always\": supported values: \"Disabled\", \"Enabled\", \"IfPossible\"")),
                container(
                        "\"volumeDevices\":[{\"name\":\"d\",\"devicePath\":\"/dev/x\"}]",
                        cause(
                                "FieldValueInvalid",
                                C + ".volumeDevices[0].name",
                                "Invalid value: \"d\": can only use volume source type of PersistentVolumeClaim or "
                                        + "Ephemeral for block mode")),
                container(
                        "\"volumeMounts\":[{\"name\":\"p\",\"mountPath\":\"/m\"}],"
                                + "\"volumeDevices\":[{\"name\":\"p\",\"devicePath\":\"/m\"}]",
                        cause(
                                "FieldValueInvalid",
                                C + ".volumeMounts[0].name",
                                "Invalid value: \"p\": must not already exist in volumeDevices"),
                        cause(
                                "FieldValueInvalid",
                                C + ".volumeMounts[0].mountPath",
                                "Invalid value: \"/m\": must not already exist as a path in volumeDevices"),
                        cause(
                                "FieldValueInvalid",
                                C + ".volumeDevices[0].name",
                                "Invalid value: \"p\": must not already exist in volumeMounts"),
                        cause(
                                "FieldValueInvalid",
                                C + ".volumeDevices[0].devicePath",
                                "Invalid value: \"/m\": must not already exist as a path in volumeMounts")),
                container(
                        "\"volumeDevices\":[{\"name\":\"p\",\"devicePath\":\"/dev/../x\"}]",
                        cause(
                                "FieldValueInvalid",
                                C + ".volumeDevices[0].devicePath",
                                "Invalid value: \"/dev/../x\": can not contain backsteps ('..')")),
                container(
                        "\"livenessProbe\":{}",
                        cause(
                                "FieldValueRequired",
                                C + ".livenessProbe",
                                "Required value: must specify a handler type")),
                container(
                        "\"readinessProbe\":{\"exec\":{\"command\":[\"true\"]},\"tcpSocket\":{\"port\":80}}",
                        cause(
                                "FieldValueForbidden",
                                C + ".readinessProbe.tcpSocket",
                                "Forbidden: may not specify more than 1 handler type")),
                container(
                        "\"readinessProbe\":{\"httpGet\":{\"port\":80,\"httpHeaders\":[{\"name\":\"Bad Header\",\"value\":\"v\"}]}}",
                        cause(
                                "FieldValueInvalid",
                                C + ".readinessProbe.httpGet.httpHeaders",
                                "Invalid value: \"Bad Header\": a valid HTTP header must consist of alphanumeric "
                                        + "characters or '-' (e.g. 'X-Header-Name', regex used for validation is "
                                        + "'[-A-Za-z0-9]+')")),
                container(
                        "\"livenessProbe\":{\"grpc\":{\"port\":0}}",
                        cause(
                                "FieldValueInvalid",
                                C + ".livenessProbe.grpc.port",
                                "Invalid value: 0: must be between 1 and 65535, inclusive")),
                container(
                        "\"readinessProbe\":{\"exec\":{\"command\":[\"true\"]},\"terminationGracePeriodSeconds\":5}",
                        cause(
                                "FieldValueInvalid",
                                C + ".readinessProbe.terminationGracePeriodSeconds",
                                "Invalid value: 5: must not be set for readinessProbes")),
                container(
                        "\"lifecycle\":{\"preStop\":{\"sleep\":{\"seconds\":0}}}",
                        cause(
                                "FieldValueInvalid",
                                C + ".lifecycle.preStop.sleep",
                                "Invalid value: 0: must be greater than 0 and less than terminationGracePeriodSeconds "
                                        + "(30). Enable AllowPodLifecycleSleepActionZeroValue feature gate for zero sleep.")),
                container("\"lifecycle\":{\"preStop\":{\"sleep\":{\"seconds\":30}}}"),
                container(
                        "\"lifecycle\":{\"postStart\":{}}",
                        cause(
                                "FieldValueRequired",
                                C + ".lifecycle.postStart",
                                "Required value: must specify a handler type")),
                container(
                        "\"restartPolicy\":\"Always\"",
                        cause(
                                "FieldValueForbidden",
                                C + ".restartPolicy",
                                "Forbidden: may not be set for non-init containers")),
                securityContext(
                        "{\"runAsUser\":-1,\"runAsGroup\":2147483648}",
                        cause("FieldValueInvalid", C + ".securityContext.runAsUser", "Invalid value: -1: " + ID_RANGE),
                        cause(
                                "FieldValueInvalid",
                                C + ".securityContext.runAsGroup",
                                "Invalid value: 2147483648: " + ID_RANGE)),
                securityContext(
                        "{\"allowPrivilegeEscalation\":false,\"privileged\":true}",
                        cause(
                                "FieldValueInvalid",
                                C + ".securityContext",
                                "Invalid value: core.SecurityContext{Capabilities:(*core.Capabilities)(nil), "
                                        + "Privileged:(*bool)(0xc000000000), SELinuxOptions:(*core.SELinuxOptions)(nil), "
                                        + "WindowsOptions:(*core.WindowsSecurityContextOptions)(nil), RunAsUser:(*int64)(nil), "
                                        + "RunAsGroup:(*int64)(nil), RunAsNonRoot:(*bool)(nil), ReadOnlyRootFilesystem:(*bool)(nil), "
                                        + "AllowPrivilegeEscalation:(*bool)(0xc000000000), ProcMount:(*core.ProcMountType)(nil), "
                                        + "SeccompProfile:(*core.SeccompProfile)(nil), AppArmorProfile:(*core.AppArmorProfile)(nil)}: "
                                        + "cannot set `allowPrivilegeEscalation` to false and `privileged` to true")),
                securityContext(
                        "{\"procMount\":\"Unmasked\"}",
                        cause(
                                "FieldValueInvalid",
                                C + ".securityContext.procMount",
                                "Invalid value: \"Unmasked\": `hostUsers` must be false to use `Unmasked`")),
                securityContext(
                        "{\"seccompProfile\":{\"type\":\"Localhost\"}}",
                        cause(
                                "FieldValueRequired",
                                C + ".securityContext.seccompProfile.localhostProfile",
                                "Required value: must be set when seccomp type is Localhost")),
                securityContext(
                        "{\"seccompProfile\":{\"type\":\"RuntimeDefault\",\"localhostProfile\":\"p\"}}",
                        cause(
                                "FieldValueInvalid",
                                C + ".securityContext.seccompProfile.localhostProfile",
                                "Invalid value: core.SeccompProfile{Type:\"RuntimeDefault\", "
                                        + "LocalhostProfile:(*string)(0xc000000000)}: can only be set when seccomp type is Localhost")),
                securityContext(
                        "{\"seccompProfile\":{}}",
                        cause(
                                "FieldValueRequired",
                                C + ".securityContext.seccompProfile.type",
                                "Required value: type is required when seccompProfile is set")),
                securityContext(
                        "{\"appArmorProfile\":{\"type\":\"Localhost\",\"localhostProfile\":\" p \"}}",
                        cause(
                                "FieldValueInvalid",
                                C + ".securityContext.appArmorProfile.localhostProfile",
                                "Invalid value: \" p \": must not be padded with whitespace")),
                securityContext(
                        "{\"appArmorProfile\":{\"type\":\"Bogus\"}}",
                        cause(
                                "FieldValueNotSupported",
                                C + ".securityContext.appArmorProfile.type",
                                "Unsupported value: \"Bogus\": supported values: \"Localhost\", \"RuntimeDefault\", "
                                        + "\"Unconfined\"")),
                securityContext(
                        "{\"windowsOptions\":{\"runAsUserName\":\"a\\\\b\\\\c\"}}",
                        cause(
                                "FieldValueInvalid",
                                C + ".securityContext.windowsOptions.runAsUserName",
                                "Invalid value: \"a\\\\b\\\\c\": runAsUserName cannot contain more than one backslash")),
                securityContext(
                        "{\"windowsOptions\":{\"runAsUserName\":\"dom\\\\us:er\"}}",
                        cause(
                                "FieldValueInvalid",
                                C + ".securityContext.windowsOptions.runAsUserName",
                                "Invalid value: \"dom\\\\us:er\": runAsUserName's User cannot contain the following "
                                        + "characters: \"/\\:;|=,+*?<>@[]")),
                container(
                        "\"resources\":{\"limits\":{\"hugepages-2Mi\":\"3Mi\",\"memory\":\"1Gi\"}}",
                        cause(
                                "FieldValueInvalid",
                                C + ".resources.limits[hugepages-2Mi]",
                                "Invalid value: \"3Mi\": 3Mi is not positive integer multiple of hugepages-2Mi"),
                        cause(
                                "FieldValueInvalid",
                                C + ".resources.requests[hugepages-2Mi]",
                                "Invalid value: \"3Mi\": 3Mi is not positive integer multiple of hugepages-2Mi")),
                container(
                        "\"resources\":{\"claims\":[{\"name\":\"gpu\"}]}",
                        cause(
                                "FieldValueNotFound",
                                C + ".resources.claims[0]",
                                "Not found: \"gpu\": must be one of the names in pod.spec.resourceClaims which is empty")));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("cases")
    void containers(String spec, List<Cause> expected) {
        assertThat(PodValidationTest.create(spec)).containsExactlyElementsOf(expected);
    }

    static Stream<Arguments> initCases() {
        return Stream.of(
                Arguments.of(
                        "{\"name\":\"i\",\"image\":\"x\",\"restartPolicy\":\"Always\",\"startupProbe\":{\"exec\":{\"command\":[\"true\"]}}}",
                        List.of()),
                Arguments.of(
                        "{\"name\":\"i\",\"image\":\"x\",\"startupProbe\":{\"exec\":{\"command\":[\"true\"]}}}",
                        List.of(cause(
                                "FieldValueForbidden",
                                "spec.initContainers[0].startupProbe",
                                "Forbidden: may not be set for init containers without restartPolicy=Always"))),
                Arguments.of(
                        "{\"name\":\"i\",\"image\":\"x\",\"restartPolicy\":\"OnFailure\"}",
                        List.of(cause(
                                "FieldValueNotSupported",
                                "spec.initContainers[0].restartPolicy",
                                "Unsupported value: \"OnFailure\": supported values: \"Always\""))),
                Arguments.of(
                        "{\"name\":\"i\",\"image\":\"x\",\"resizePolicy\":[{\"resourceName\":\"cpu\",\"restartPolicy\":\"NotRequired\"}]}",
                        List.of(cause(
                                "FieldValueInvalid",
                                "spec.initContainers[0].resizePolicy",
                                "Invalid value: []core.ContainerResizePolicy{core.ContainerResizePolicy{ResourceName:\"cpu\", "
                                        + "RestartPolicy:\"NotRequired\"}}: must not be set for init containers"))));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("initCases")
    void initContainers(String init, List<Cause> expected) {
        assertThat(PodValidationTest.create(
                        "{\"initContainers\":[" + init + "],\"containers\":[{\"name\":\"a\",\"image\":\"x\"}]}"))
                .containsExactlyElementsOf(expected);
    }

    /** Ephemeral containers only arrive through their subresource; a later update still validates them. */
    @Test
    void storedEphemeralContainersAreValidatedOnUpdate() {
        ObjectNode old = PodValidationTest.pod("{\"volumes\":[{\"name\":\"d\",\"emptyDir\":{}}],"
                + "\"containers\":[{\"name\":\"a\",\"image\":\"x\"}],\"ephemeralContainers\":[{\"name\":\"debug\","
                + "\"image\":\"busybox\",\"targetContainerName\":\"nope\",\"ports\":[{\"containerPort\":80}],"
                + "\"volumeMounts\":[{\"name\":\"d\",\"mountPath\":\"/d\",\"subPath\":\"s\"}]}]}");
        ObjectNode now = old.deepCopy();
        String e = "spec.ephemeralContainers[0]";
        assertThat(Kinds.validate("", "Pod", now, old))
                .containsExactly(
                        cause("FieldValueNotFound", e + ".targetContainerName", "Not found: \"nope\""),
                        cause(
                                "FieldValueForbidden",
                                e + ".ports",
                                "Forbidden: cannot be set for an Ephemeral Container"),
                        cause(
                                "FieldValueForbidden",
                                e + ".volumeMounts[0].subPath",
                                "Forbidden: cannot be set for an Ephemeral Container"));
    }
}
