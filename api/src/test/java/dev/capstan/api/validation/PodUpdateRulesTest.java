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

/** ValidatePodUpdate's rules beyond the image and deadline: gated pods, annotations and ObjectMeta updates. */
class PodUpdateRulesTest {

    private static final String GATES = "\"schedulingGates\":[{\"name\":\"example.com/wait\"}],";
    private static final String CONTAINERS = "\"containers\":[{\"name\":\"a\",\"image\":\"x\"}]";
    private static final String TERMS =
            "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution" + ".nodeSelectorTerms";

    private static ObjectNode pod(String meta, String spec) {
        ObjectNode pod = obj("{\"metadata\":{\"name\":\"web\",\"namespace\":\"default\"" + meta + "},\"spec\":{" + spec
                + CONTAINERS + "}}");
        Kinds.defaults("", "Pod", pod);
        return pod;
    }

    private static String nodeAffinity(String terms) {
        return "\"affinity\":{\"nodeAffinity\":{\"requiredDuringSchedulingIgnoredDuringExecution\":{\"nodeSelectorTerms\":"
                + terms + "}}},";
    }

    static Stream<Arguments> specUpdates() {
        String oneTerm = "[{\"matchExpressions\":[{\"key\":\"k\",\"operator\":\"In\",\"values\":[\"v\"]}]}]";
        return Stream.of(
                Arguments.of(
                        GATES + "\"nodeSelector\":{\"a\":\"1\"},",
                        GATES + "\"nodeSelector\":{\"a\":\"1\",\"b\":\"2\"},",
                        List.of()),
                Arguments.of(
                        GATES + "\"nodeSelector\":{\"a\":\"1\"},",
                        GATES + "\"nodeSelector\":{\"a\":\"2\"},",
                        List.of(cause(
                                "FieldValueInvalid",
                                "spec.nodeSelector",
                                "Invalid value: map[string]string{\"a\":\"2\"}: only additions to spec.nodeSelector are "
                                        + "allowed (no mutations or deletions)"))),
                Arguments.of(GATES, GATES + nodeAffinity(oneTerm), List.of()),
                Arguments.of(
                        GATES + nodeAffinity(oneTerm),
                        GATES
                                + nodeAffinity(
                                        "[{\"matchExpressions\":[{\"key\":\"k\",\"operator\":\"In\",\"values\":[\"v\"]},"
                                                + "{\"key\":\"z\",\"operator\":\"Exists\"}]}]"),
                        List.of()),
                Arguments.of(
                        GATES + nodeAffinity(oneTerm),
                        GATES + nodeAffinity("[{}]"),
                        List.of(cause(
                                "FieldValueInvalid",
                                TERMS + "[0]",
                                "Invalid value: core.NodeSelectorTerm{MatchExpressions:[]core.NodeSelectorRequirement(nil), "
                                        + "MatchFields:[]core.NodeSelectorRequirement(nil)}: only additions are allowed (no "
                                        + "mutations or deletions)"))),
                Arguments.of(
                        GATES + nodeAffinity(oneTerm),
                        GATES + nodeAffinity(oneTerm.substring(0, oneTerm.length() - 1) + ",{}]"),
                        List.of(cause(
                                "FieldValueInvalid",
                                TERMS,
                                "Invalid value: []core.NodeSelectorTerm{core.NodeSelectorTerm{MatchExpressions:"
                                        + "[]core.NodeSelectorRequirement{core.NodeSelectorRequirement{Key:\"k\", Operator:\"In\", "
                                        + "Values:[]string{\"v\"}}}, MatchFields:[]core.NodeSelectorRequirement(nil)}, "
                                        + "core.NodeSelectorTerm{MatchExpressions:[]core.NodeSelectorRequirement(nil), "
                                        + "MatchFields:[]core.NodeSelectorRequirement(nil)}}: no additions/deletions to "
                                        + "non-empty NodeSelectorTerms list are allowed"))));
    }

    /** A pod held by scheduling gates may gain node selector entries and required node affinity expressions. */
    @ParameterizedTest(name = "[{index}] {0} -> {1}")
    @MethodSource("specUpdates")
    void gatedPods(String oldSpec, String newSpec, List<Cause> expected) {
        assertThat(Kinds.validate("", "Pod", pod("", newSpec), pod("", oldSpec)))
                .containsExactlyElementsOf(expected);
    }

    @Test
    void anUngatedPodKeepsItsNodeSelector() {
        List<Cause> causes = Kinds.validate("", "Pod", pod("", "\"nodeSelector\":{\"b\":\"2\"},"), pod("", ""));
        assertThat(causes)
                .extracting(Cause::field, Cause::reason)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("spec", "FieldValueForbidden"));
    }

    static Stream<Arguments> metadataUpdates() {
        String apparmor = "container.apparmor.security.beta.kubernetes.io/a";
        return Stream.of(
                Arguments.of(
                        "",
                        ",\"annotations\":{\"" + apparmor + "\":\"runtime/default\"}",
                        List.of(cause(
                                "FieldValueForbidden",
                                "metadata.annotations[" + apparmor + "]",
                                "Forbidden: may not add AppArmor annotations"))),
                Arguments.of(
                        ",\"annotations\":{\"" + apparmor + "\":\"runtime/default\"}",
                        ",\"annotations\":{\"" + apparmor + "\":\"unconfined\"}",
                        List.of(cause(
                                "FieldValueForbidden",
                                "metadata.annotations[" + apparmor + "]",
                                "Forbidden: may not remove or update AppArmor annotations"))),
                Arguments.of(
                        ",\"uid\":\"u1\"",
                        ",\"uid\":\"u2\"",
                        List.of(cause(
                                "FieldValueInvalid", "metadata.uid", "Invalid value: \"u2\": field is immutable"))),
                Arguments.of(
                        ",\"deletionTimestamp\":\"2024-01-02T03:04:05Z\",\"deletionGracePeriodSeconds\":30",
                        ",\"deletionTimestamp\":\"2024-01-02T03:04:05Z\",\"deletionGracePeriodSeconds\":10,"
                                + "\"finalizers\":[\"example.com/f\"]",
                        List.of(
                                cause(
                                        "FieldValueForbidden",
                                        "metadata.finalizers",
                                        "Forbidden: no new finalizers can be added if the object is being deleted, found new "
                                                + "finalizers []string{\"example.com/f\"}"),
                                cause(
                                        "FieldValueInvalid",
                                        "metadata.deletionGracePeriodSeconds",
                                        "Invalid value: 10: field is immutable"))),
                Arguments.of(
                        ",\"creationTimestamp\":\"2024-01-02T03:04:05Z\"",
                        ",\"creationTimestamp\":\"2024-01-02T03:04:06Z\"",
                        List.of(cause(
                                "FieldValueInvalid",
                                "metadata.creationTimestamp",
                                "Invalid value: 2024-01-02 03:04:06 +0000 UTC: field is immutable"))));
    }

    /** Pod-specific annotation updates and ValidateObjectMetaUpdate's immutable fields. */
    @ParameterizedTest(name = "[{index}] {0} -> {1}")
    @MethodSource("metadataUpdates")
    void metadata(String oldMeta, String newMeta, List<Cause> expected) {
        assertThat(Kinds.validate("", "Pod", pod(newMeta, ""), pod(oldMeta, "")))
                .containsExactlyElementsOf(expected);
    }

    @Test
    void theMirrorAnnotationStays() {
        ObjectNode old = pod(",\"annotations\":{\"kubernetes.io/config.mirror\":\"x\"}", "\"nodeName\":\"n1\",");
        ObjectNode now = pod("", "\"nodeName\":\"n1\",");
        assertThat(Kinds.validate("", "Pod", now, old))
                .containsExactly(cause(
                        "FieldValueForbidden",
                        "metadata.annotations[kubernetes.io/config.mirror]",
                        "Forbidden: may not remove or update mirror pod annotation"));
    }
}
