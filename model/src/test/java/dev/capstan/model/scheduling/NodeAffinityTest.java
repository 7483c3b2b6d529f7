package dev.capstan.model.scheduling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeSelector;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.PreferredSchedulingTerm;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeAffinityTest {
    private static final Node NODE = new NodeBuilder()
            .withNewMetadata()
            .withName("node_1")
            .withLabels(Map.of("foo", "bar", "n", "5"))
            .endMetadata()
            .build();

    @Test
    void noTermsOrEmptyTermsMatchNothing() {
        assertThat(NodeSelectors.matches(null, NODE)).isFalse();
        assertThat(NodeSelectors.matches(new NodeSelector(List.of()), NODE)).isFalse();
        assertThat(NodeSelectors.matches(new NodeSelector(List.of(new NodeSelectorTerm())), NODE))
                .isFalse();
    }

    @Test
    void termsAreOredAndTheirRequirementsAnded() {
        NodeSelectorTerm match = term(List.of(req("foo", "In", "bar")), List.of());
        NodeSelectorTerm miss = term(List.of(req("foo", "In", "bar"), req("n", "NotIn", "5")), List.of());
        assertThat(NodeSelectors.matches(selector(match), NODE)).isTrue();
        assertThat(NodeSelectors.matches(selector(miss), NODE)).isFalse();
        assertThat(NodeSelectors.matches(selector(miss, match), NODE)).isTrue();
    }

    @Test
    void operatorsOnLabels() {
        assertThat(matches(req("foo", "Exists"))).isTrue();
        assertThat(matches(req("foo", "DoesNotExist"))).isFalse();
        assertThat(matches(req("gone", "DoesNotExist"))).isTrue();
        assertThat(matches(req("n", "Gt", "4"))).isTrue();
        assertThat(matches(req("n", "Gt", "5"))).isFalse();
        assertThat(matches(req("n", "Lt", "6"))).isTrue();
        assertThat(matches(req("foo", "Gt", "1"))).isFalse();
        assertThat(matches(req("foo", "NotIn", "baz"))).isTrue();
    }

    @Test
    void matchFieldsReadTheNodeName() {
        assertThat(NodeSelectors.matches(
                        selector(term(List.of(), List.of(req("metadata.name", "In", "node_1")))), NODE))
                .isTrue();
        assertThat(NodeSelectors.matches(
                        selector(term(List.of(), List.of(req("metadata.name", "In", "node_2")))), NODE))
                .isFalse();
        assertThat(NodeSelectors.matches(
                        selector(term(
                                List.of(req("foo", "In", "bar")), List.of(req("metadata.name", "NotIn", "node_1")))),
                        NODE))
                .isFalse();
    }

    @Test
    void invalidTermsNeverMatchAndReportUpstreamsErrors() {
        NodeSelector invalid = selector(
                term(List.of(req("foo", "invalid", "bar")), List.of()),
                term(List.of(req("invalid key", "In", "bar")), List.of()),
                term(List.of(), List.of(req("metadata.name", "In", "host_1", "host_2"))),
                term(List.of(req("foo", "In", "bar")), List.of()));
        NodeSelectors compiled = NodeSelectors.compile(invalid);
        assertThat(compiled.matches(NODE)).isTrue();
        assertThat(compiled.errors())
                .containsExactly(
                        "nodeSelectorTerms[0].matchExpressions[0].operator: Unsupported value: \"invalid\": supported"
                                + " values: \"In\", \"NotIn\", \"Exists\", \"DoesNotExist\", \"Gt\", \"Lt\"",
                        "nodeSelectorTerms[1].matchExpressions[0].key: Invalid value: \"invalid key\": name part must"
                                + " consist of alphanumeric characters, '-', '_' or '.', and must start and end with an"
                                + " alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used"
                                + " for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
                        "nodeSelectorTerms[2].matchFields[0].values: Invalid value: []string{\"host_1\", \"host_2\"}:"
                                + " must have one element");
        assertThatThrownBy(() -> NodeSelectors.compileStrict(invalid)).hasMessageStartingWith("[nodeSelectorTerms[0]");
        assertThat(NodeSelectors.matches(selector(invalid.getNodeSelectorTerms().get(0)), NODE))
                .isFalse();
    }

    @Test
    void requiredAffinityCombinesNodeSelectorAndRequiredTerms() {
        PodSpec onlySelector =
                new PodSpecBuilder().withNodeSelector(Map.of("foo", "bar")).build();
        assertThat(NodeAffinity.required(onlySelector).matches(NODE)).isTrue();
        PodSpec wrongSelector =
                new PodSpecBuilder().withNodeSelector(Map.of("foo", "baz")).build();
        assertThat(NodeAffinity.required(wrongSelector).matches(NODE)).isFalse();
        assertThat(NodeAffinity.required(new PodSpec()).matches(NODE)).isTrue();

        PodSpec both = new PodSpecBuilder()
                .withNodeSelector(Map.of("foo", "bar"))
                .withNewAffinity()
                .withNewNodeAffinity()
                .withRequiredDuringSchedulingIgnoredDuringExecution(
                        selector(term(List.of(req("n", "In", "6")), List.of())))
                .endNodeAffinity()
                .endAffinity()
                .build();
        assertThat(NodeAffinity.required(both).matches(NODE)).isFalse();
    }

    @Test
    void preferredTermsScoreTheirWeights() {
        PodSpec spec = new PodSpecBuilder()
                .withNewAffinity()
                .withNewNodeAffinity()
                .withPreferredDuringSchedulingIgnoredDuringExecution(
                        new PreferredSchedulingTerm(term(List.of(req("foo", "In", "bar")), List.of()), 5),
                        new PreferredSchedulingTerm(term(List.of(req("n", "Gt", "1")), List.of()), 3),
                        new PreferredSchedulingTerm(term(List.of(req("foo", "In", "baz")), List.of()), 7),
                        new PreferredSchedulingTerm(term(List.of(req("foo", "Exists")), List.of()), 0),
                        new PreferredSchedulingTerm(new NodeSelectorTerm(), 9))
                .endNodeAffinity()
                .endAffinity()
                .build();
        assertThat(NodeAffinity.preferred(spec).score(NODE)).isEqualTo(8);
        assertThat(NodeAffinity.preferred(new PodSpec()).score(NODE)).isZero();
        assertThatThrownBy(() -> NodeAffinity.preferred(List.of(
                        new PreferredSchedulingTerm(term(List.of(req("foo", "Bad")), List.of()), 1))))
                .hasMessageStartingWith("[0].matchExpressions[0].operator: Unsupported value: \"Bad\"");
    }

    private static boolean matches(NodeSelectorRequirement requirement) {
        return NodeSelectors.matches(selector(term(List.of(requirement), List.of())), NODE);
    }

    private static NodeSelector selector(NodeSelectorTerm... terms) {
        return new NodeSelector(Arrays.asList(terms));
    }

    private static NodeSelectorTerm term(
            List<NodeSelectorRequirement> expressions, List<NodeSelectorRequirement> fields) {
        return new NodeSelectorTerm(expressions, fields);
    }

    private static NodeSelectorRequirement req(String key, String operator, String... values) {
        return new NodeSelectorRequirement(key, operator, List.of(values));
    }
}
