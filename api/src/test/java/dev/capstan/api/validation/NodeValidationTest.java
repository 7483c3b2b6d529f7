package dev.capstan.api.validation;

import static dev.capstan.api.validation.TestJson.NAME_PART_MSG;
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

class NodeValidationTest {

    static ObjectNode node(String body) {
        ObjectNode n = obj("{\"metadata\":{\"name\":\"node-1\"}" + body + "}");
        NodeValidation.defaultNode(n);
        return n;
    }

    static Stream<Arguments> creates() {
        return Stream.of(
                Arguments.of(",\"spec\":{\"podCIDRs\":[\"10.0.0.0/24\",\"fd00::/64\"]}", List.of()),
                Arguments.of(",\"status\":{\"capacity\":{\"cpu\":\"4\",\"pods\":\"110\"}}", List.of()),
                Arguments.of(
                        ",\"metadata\":{\"name\":\"node-1\",\"namespace\":\"default\"}",
                        List.of(cause(
                                "FieldValueForbidden", "metadata.namespace", "Forbidden: not allowed on this type"))),
                Arguments.of(
                        ",\"spec\":{\"podCIDR\":\"10.0.0.0/33\"}",
                        List.of(cause(
                                "FieldValueInvalid",
                                "spec.podCIDRs[0]",
                                "Invalid value: \"10.0.0.0/33\": must be a valid CIDR value, (e.g. 10.9.8.0/24 or "
                                        + "2001:db8::/64)"))),
                Arguments.of(
                        ",\"spec\":{\"podCIDRs\":[\"10.0.0.0/24\",\"10.1.0.0/24\"]}",
                        List.of(cause(
                                "FieldValueInvalid",
                                "spec.podCIDRs",
                                "Invalid value: []string{\"10.0.0.0/24\", \"10.1.0.0/24\"}: may specify no more than "
                                        + "one CIDR for each IP family"))),
                Arguments.of(
                        ",\"spec\":{\"taints\":[{\"key\":\"a/\",\"effect\":\"NoSchedule\"}]}",
                        List.of(
                                cause(
                                        "FieldValueInvalid",
                                        "metadata.taints[0].key",
                                        "Invalid value: \"a/\": name part must be non-empty"),
                                cause(
                                        "FieldValueInvalid",
                                        "metadata.taints[0].key",
                                        "Invalid value: \"a/\": " + NAME_PART_MSG))),
                Arguments.of(
                        ",\"spec\":{\"taints\":[{\"key\":\"k\"}]}",
                        List.of(cause("FieldValueRequired", "metadata.taints[0].effect", "Required value"))),
                Arguments.of(
                        ",\"spec\":{\"taints\":[{\"key\":\"k\",\"effect\":\"NoAdmit\"}]}",
                        List.of(cause(
                                "FieldValueNotSupported",
                                "metadata.taints[0].effect",
                                "Unsupported value: \"NoAdmit\": supported values: \"NoSchedule\", "
                                        + "\"PreferNoSchedule\", \"NoExecute\""))),
                Arguments.of(
                        ",\"spec\":{\"taints\":[{\"key\":\"k\",\"value\":\"a\",\"effect\":\"NoSchedule\"},"
                                + "{\"key\":\"k\",\"value\":\"b\",\"effect\":\"NoSchedule\"}]}",
                        List.of(cause(
                                "FieldValueDuplicate",
                                "metadata.taints[1]",
                                "Duplicate value: core.Taint{Key:\"k\", Value:\"b\", Effect:\"NoSchedule\", "
                                        + "TimeAdded:(*v1.Time)(nil)}: taints must be unique by key and effect pair"))),
                Arguments.of(
                        ",\"status\":{\"capacity\":{\"memory\":\"-1\"}}",
                        List.of(
                                cause(
                                        "FieldValueInvalid",
                                        "status.capacity.memory",
                                        "Invalid value: \"-1\": must be greater than or equal to 0"),
                                cause(
                                        "FieldValueInvalid",
                                        "status.allocatable.memory",
                                        "Invalid value: \"-1\": must be greater than or equal to 0"))),
                Arguments.of(
                        ",\"status\":{\"capacity\":{\"pods\":\"1500m\"},\"allocatable\":{}}",
                        List.of(cause(
                                "FieldValueInvalid",
                                "status.capacity.pods",
                                "Invalid value: resource.Quantity{i:resource.int64Amount{value:1500, scale:-3}, "
                                        + "d:resource.infDecAmount{Dec:(*inf.Dec)(nil)}, s:\"1500m\", "
                                        + "Format:\"DecimalSI\"}: must be an integer"))));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("creates")
    void create(String body, List<Cause> expected) {
        ObjectNode n = body.startsWith(",\"metadata\"") ? obj("{" + body.substring(1) + "}") : node(body);
        assertThat(NodeValidation.validateNode(n)).containsExactlyElementsOf(expected);
    }

    @Test
    void allocatableDefaultsToCapacityRoundedToMilli() {
        ObjectNode n = node(",\"status\":{\"capacity\":{\"cpu\":\"1500u\",\"memory\":\"1Gi\"}}");
        assertThat(n.get("status"))
                .isEqualTo(obj("{\"capacity\":{\"cpu\":\"2m\",\"memory\":\"1Gi\"},"
                        + "\"allocatable\":{\"cpu\":\"2m\",\"memory\":\"1Gi\"}}"));
        ObjectNode explicit = node(",\"status\":{\"capacity\":{\"cpu\":\"4\"},\"allocatable\":{\"cpu\":\"3\"}}");
        assertThat(explicit.path("status").path("allocatable")).isEqualTo(obj("{\"cpu\":\"3\"}"));
    }

    @Test
    void updatesMayOnlySetPodCidrAndProviderOnce() {
        ObjectNode old =
                node(",\"spec\":{\"podCIDR\":\"10.0.0.0/24\",\"providerID\":\"aws://a\",\"externalID\":\"x\"}");
        ObjectNode now = node(",\"spec\":{\"podCIDR\":\"10.0.1.0/24\",\"providerID\":\"aws://b\"}");
        assertThat(NodeValidation.validateNodeUpdate(now, old))
                .containsExactly(
                        cause(
                                "FieldValueForbidden",
                                "spec.podCIDRs",
                                "Forbidden: node updates may not change podCIDR except from \"\" to valid"),
                        cause(
                                "FieldValueForbidden",
                                "spec.providerID",
                                "Forbidden: node updates may not change providerID except from \"\" to valid"),
                        cause("FieldValueForbidden", "spec.externalID", "Forbidden: may not be updated"));
        ObjectNode first = node("");
        ObjectNode assigned = node(",\"spec\":{\"podCIDR\":\"10.0.1.0/24\",\"providerID\":\"aws://b\"}");
        assertThat(NodeValidation.validateNodeUpdate(assigned, first)).isEmpty();
    }

    @Test
    void statusUpdateRefusesDuplicateAddressesAndChecksConfigSources() {
        ObjectNode old = node(",\"status\":{\"config\":{}}");
        ObjectNode now = node(",\"status\":{\"addresses\":[{\"type\":\"InternalIP\",\"address\":\"10.0.0.1\"},"
                + "{\"type\":\"InternalIP\",\"address\":\"10.0.0.1\"}],"
                + "\"config\":{\"active\":{\"configMap\":{\"namespace\":\"kube-system\",\"name\":\"kc\"}}}}");
        NodeValidation.prepareForStatusUpdate(now, old);
        assertThat(NodeValidation.validateNodeStatusUpdate(now, old))
                .containsExactly(
                        cause(
                                "FieldValueDuplicate",
                                "status.addresses[1]",
                                "Duplicate value: core.NodeAddress{Type:\"InternalIP\", Address:\"10.0.0.1\"}"),
                        cause(
                                "FieldValueRequired",
                                "status.config.active.configMap.uid",
                                "Required value: uid must be set in status"),
                        cause(
                                "FieldValueRequired",
                                "status.config.active.configMap.resourceVersion",
                                "Required value: resourceVersion must be set in status"),
                        cause(
                                "FieldValueRequired",
                                "status.config.active.configMap.kubeletConfigKey",
                                "Required value: kubeletConfigKey must be set"));
    }

    @Test
    void strategiesDropTheRemovedKubeletConfigAndKeepTheOtherHalf() {
        ObjectNode created = node(",\"spec\":{\"configSource\":{}},\"status\":{\"config\":{},\"phase\":\"Running\"}");
        NodeValidation.prepareForCreate(created);
        assertThat(created.path("spec").has("configSource")).isFalse();
        assertThat(created.path("status").has("config")).isFalse();
        assertThat(created.path("status").path("phase").asText()).isEqualTo("Running");

        ObjectNode old = node(",\"status\":{\"phase\":\"Running\"}");
        ObjectNode now = node(",\"spec\":{\"unschedulable\":true},\"status\":{\"phase\":\"Terminated\"}");
        NodeValidation.prepareForUpdate(now, old);
        assertThat(now.path("status").path("phase").asText()).isEqualTo("Running");
        assertThat(now.path("spec").path("unschedulable").asBoolean()).isTrue();
    }
}
