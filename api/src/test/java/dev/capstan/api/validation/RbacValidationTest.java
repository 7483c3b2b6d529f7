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

class RbacValidationTest {

    private static final String GROUP = "\"rbac.authorization.k8s.io\"";

    static ObjectNode namespaced(String name, String rest) {
        return obj("{\"metadata\":{\"name\":\"" + name + "\",\"namespace\":\"default\"}" + rest + "}");
    }

    static ObjectNode cluster(String rest) {
        return obj("{\"metadata\":{\"name\":\"viewer\"}" + rest + "}");
    }

    static Stream<Arguments> roles() {
        return Stream.of(
                Arguments.of(
                        "Role",
                        namespaced(
                                "reader",
                                ",\"rules\":[{\"apiGroups\":[\"\"],\"resources\":[\"pods\"],\"verbs\":"
                                        + "[\"get\"]}]"),
                        List.of()),
                Arguments.of(
                        "Role",
                        namespaced("reader", ",\"rules\":[{}]"),
                        List.of(
                                cause(
                                        "FieldValueRequired",
                                        "rules[0].verbs",
                                        "Required value: verbs must contain at least one value"),
                                cause(
                                        "FieldValueRequired",
                                        "rules[0].apiGroups",
                                        "Required value: resource rules must supply at least one api group"),
                                cause(
                                        "FieldValueRequired",
                                        "rules[0].resources",
                                        "Required value: resource rules must supply at least one resource"))),
                Arguments.of(
                        "Role",
                        namespaced(
                                "a/b",
                                ",\"rules\":[{\"nonResourceURLs\":[\"/healthz\"],\"resources\":[\"pods\"],"
                                        + "\"verbs\":[\"get\"]}]"),
                        List.of(
                                cause(
                                        "FieldValueInvalid",
                                        "metadata.name",
                                        "Invalid value: \"a/b\": may not contain '/'"),
                                cause(
                                        "FieldValueInvalid",
                                        "rules[0].nonResourceURLs",
                                        "Invalid value: []string{\"/healthz\"}: namespaced rules cannot apply to"
                                                + " non-resource URLs"),
                                cause(
                                        "FieldValueInvalid",
                                        "rules[0].nonResourceURLs",
                                        "Invalid value: []string{\"/healthz\"}: rules cannot apply to both regular"
                                                + " resources and non-resource URLs"))),
                Arguments.of(
                        "ClusterRole",
                        cluster(
                                ",\"rules\":[{\"nonResourceURLs\":[\"/healthz\"],\"verbs\":[\"get\"]}],"
                                        + "\"aggregationRule\":{\"clusterRoleSelectors\":[{\"matchLabels\":{\"agg\":\"true\"}}]}"),
                        List.of()),
                Arguments.of(
                        "ClusterRole",
                        cluster(",\"aggregationRule\":{}"),
                        List.of(cause(
                                "FieldValueRequired",
                                "aggregationRule.clusterRoleSelectors",
                                "Required value: at least one clusterRoleSelector required if aggregationRule is"
                                        + " non-nil"))),
                Arguments.of(
                        "ClusterRole",
                        cluster(",\"aggregationRule\":{\"clusterRoleSelectors\":[{\"matchExpressions\":[{\"key\":"
                                + "\"k\",\"operator\":\"Bad\"}]}]}"),
                        List.of(
                                cause(
                                        "FieldValueInvalid",
                                        "aggregationRule.clusterRoleSelectors[0].matchExpressions[0].operator",
                                        "Invalid value: \"Bad\": not a valid selector operator"),
                                cause(
                                        "FieldValueInvalid",
                                        "aggregationRule.clusterRoleSelectors[0]",
                                        "Invalid value: \"null\": invalid label selector."))),
                Arguments.of(
                        "ClusterRole",
                        obj("{\"metadata\":{\"name\":\"viewer\",\"namespace\":\"default\"}}"),
                        List.of(cause(
                                "FieldValueForbidden", "metadata.namespace", "Forbidden: not allowed on this type"))));
    }

    @ParameterizedTest(name = "[{index}] {0} {1}")
    @MethodSource("roles")
    void role(String kind, ObjectNode obj, List<Cause> expected) {
        List<Cause> causes =
                kind.equals("Role") ? RbacValidation.validateRole(obj) : RbacValidation.validateClusterRole(obj);
        assertThat(causes).containsExactlyElementsOf(expected);
        List<Cause> update = kind.equals("Role")
                ? RbacValidation.validateRoleUpdate(obj, obj.deepCopy())
                : RbacValidation.validateClusterRoleUpdate(obj, obj.deepCopy());
        assertThat(update).containsExactlyElementsOf(expected);
    }

    @Test
    void invalidSelectorValuesStayAcceptedWhenAlreadyStored() {
        ObjectNode role = cluster(",\"aggregationRule\":{\"clusterRoleSelectors\":[{\"matchExpressions\":[{\"key\":"
                + "\"k\",\"operator\":\"In\",\"values\":[\"a b\"]}]}]}");
        String valuePath = "aggregationRule.clusterRoleSelectors[0].matchExpressions[0].values[0]";
        assertThat(RbacValidation.validateClusterRole(role))
                .extracting(Cause::field)
                .containsExactly(valuePath, "aggregationRule.clusterRoleSelectors[0]");
        // the value check is waived; the selector still does not convert
        assertThat(RbacValidation.validateClusterRoleUpdate(role, role.deepCopy()))
                .extracting(Cause::field)
                .containsExactly("aggregationRule.clusterRoleSelectors[0]");
    }

    static ObjectNode binding(boolean namespaced, String body) {
        ObjectNode o = namespaced ? namespaced("read-pods", body) : cluster(body);
        RbacValidation.defaultRoleBinding(o);
        return o;
    }

    static Stream<Arguments> bindings() {
        return Stream.of(
                Arguments.of(
                        true,
                        ",\"roleRef\":{\"kind\":\"Role\",\"name\":\"reader\"},\"subjects\":[{\"kind\":\"User\","
                                + "\"name\":\"alice\"},{\"kind\":\"ServiceAccount\",\"name\":\"default\"},{\"kind\":"
                                + "\"Group\",\"name\":\"devs\"}]",
                        List.of()),
                Arguments.of(
                        true,
                        ",\"roleRef\":{\"apiGroup\":\"other\",\"kind\":\"Thing\"}",
                        List.of(
                                cause(
                                        "FieldValueNotSupported",
                                        "roleRef.apiGroup",
                                        "Unsupported value: \"other\": supported values: " + GROUP),
                                cause(
                                        "FieldValueNotSupported",
                                        "roleRef.kind",
                                        "Unsupported value: \"Thing\": supported values: \"Role\", \"ClusterRole\""),
                                cause("FieldValueRequired", "roleRef.name", "Required value"))),
                Arguments.of(
                        true,
                        ",\"roleRef\":{\"kind\":\"Role\",\"name\":\"reader\"},\"subjects\":[{\"kind\":\"Robot\"},"
                                + "{\"kind\":\"ServiceAccount\",\"name\":\"Bad_Name\",\"apiGroup\":\"x\"},{\"kind\":"
                                + "\"User\",\"name\":\"u\",\"apiGroup\":\"other\"}]",
                        List.of(
                                cause("FieldValueRequired", "subjects[0].name", "Required value"),
                                cause(
                                        "FieldValueNotSupported",
                                        "subjects[0].kind",
                                        "Unsupported value: \"Robot\": supported values: \"ServiceAccount\", \"User\","
                                                + " \"Group\""),
                                cause(
                                        "FieldValueInvalid",
                                        "subjects[1].name",
                                        "Invalid value: \"Bad_Name\": " + SUBDOMAIN_MSG),
                                cause(
                                        "FieldValueNotSupported",
                                        "subjects[1].apiGroup",
                                        "Unsupported value: \"x\": supported values: \"\""),
                                cause(
                                        "FieldValueNotSupported",
                                        "subjects[2].apiGroup",
                                        "Unsupported value: \"other\": supported values: " + GROUP))),
                Arguments.of(
                        false,
                        ",\"roleRef\":{\"kind\":\"Role\",\"name\":\"reader\"},\"subjects\":[{\"kind\":"
                                + "\"ServiceAccount\",\"name\":\"default\"}]",
                        List.of(
                                cause(
                                        "FieldValueNotSupported",
                                        "roleRef.kind",
                                        "Unsupported value: \"Role\": supported values: \"ClusterRole\""),
                                cause("FieldValueRequired", "subjects[0].namespace", "Required value"))));
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @MethodSource("bindings")
    void binding(boolean namespaced, String body, List<Cause> expected) {
        ObjectNode o = binding(namespaced, body);
        List<Cause> causes =
                namespaced ? RbacValidation.validateRoleBinding(o) : RbacValidation.validateClusterRoleBinding(o);
        assertThat(causes).containsExactlyElementsOf(expected);
    }

    @Test
    void roleRefIsFixed() {
        ObjectNode old = binding(true, ",\"roleRef\":{\"kind\":\"Role\",\"name\":\"reader\"}");
        ObjectNode now = binding(true, ",\"roleRef\":{\"kind\":\"Role\",\"name\":\"other\"}");
        assertThat(RbacValidation.validateRoleBindingUpdate(now, old))
                .containsExactly(cause(
                        "FieldValueInvalid",
                        "roleRef",
                        "Invalid value: rbac.RoleRef{APIGroup:" + GROUP + ", Kind:\"Role\", Name:\"other\"}: cannot"
                                + " change roleRef"));
        ObjectNode cOld = binding(false, ",\"roleRef\":{\"kind\":\"ClusterRole\",\"name\":\"a\"}");
        assertThat(RbacValidation.validateClusterRoleBindingUpdate(cOld.deepCopy(), cOld))
                .isEmpty();
    }

    @Test
    void defaultsFillTheGroups() {
        ObjectNode o = obj("{\"roleRef\":{\"kind\":\"ClusterRole\",\"name\":\"a\"},\"subjects\":[{\"kind\":\"User\"},"
                + "{\"kind\":\"ServiceAccount\"},{\"kind\":\"Group\",\"apiGroup\":\"x\"}]}");
        RbacValidation.defaultClusterRoleBinding(o);
        assertThat(o)
                .isEqualTo(obj("{\"roleRef\":{\"kind\":\"ClusterRole\",\"name\":\"a\",\"apiGroup\":" + GROUP + "},"
                        + "\"subjects\":[{\"kind\":\"User\",\"apiGroup\":" + GROUP + "},{\"kind\":\"ServiceAccount\","
                        + "\"apiGroup\":\"\"},{\"kind\":\"Group\",\"apiGroup\":\"x\"}]}"));
    }
}
