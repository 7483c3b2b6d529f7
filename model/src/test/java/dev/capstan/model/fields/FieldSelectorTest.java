package dev.capstan.model.fields;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.capstan.model.labels.SelectorParseException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FieldSelectorTest {

    /** upstream fields/selector_test.go good strings, with the String() they give (terms sorted). */
    @ParameterizedTest(name = "[{0}] -> [{1}]")
    @CsvSource(
            delimiter = '|',
            value = {
                "x=a,y=b,z=c | x=a,y=b,z=c",
                "'' | ''",
                "x!=a,y=b | x!=a,y=b",
                "x=a\\,b | x=a\\,b",
                "x=a\\=\\=b | x=a\\=\\=b",
                "z=1,a==2 | a=2,z=1",
                "x=a,,y=b | x=a,y=b",
                "spec.nodeName= | spec.nodeName=",
            })
    void parsesAndPrintsAsUpstream(String input, String printed) {
        assertThat(FieldSelector.parse(input).toString()).isEqualTo(printed);
    }

    @ParameterizedTest(name = "[{0}]")
    @CsvSource(
            delimiter = '|',
            value = {
                "x==a==b | invalid field selector: unescaped character in value: 61",
                "x=a,b | invalid selector: 'x=a,b'; can't understand 'b'",
                "x in (a) | invalid selector: 'x in (a)'; can't understand 'x in (a)'",
                "x | invalid selector: 'x'; can't understand 'x'",
                "x=a\\b | invalid field selector: invalid escape sequence: \\b",
                "x=a\\ | invalid field selector: invalid escape sequence: \\",
            })
    void refusesWithUpstreamsMessage(String input, String message) {
        assertThatThrownBy(() -> FieldSelector.parse(input))
                .isInstanceOf(SelectorParseException.class)
                .hasMessage(message);
    }

    @Test
    void matchesThroughTheCallersFieldValues() {
        Map<String, String> pod = Map.of("metadata.name", "web", "spec.nodeName", "n1");
        assertThat(FieldSelector.parse("metadata.name=web,spec.nodeName!=n2").matches(pod::get))
                .isTrue();
        assertThat(FieldSelector.parse("spec.nodeName=n2").matches(pod::get)).isFalse();
        // an absent field reads as ""
        assertThat(FieldSelector.parse("status.phase=").matches(pod::get)).isTrue();
        assertThat(FieldSelector.parse("status.phase!=Running").matches(pod::get))
                .isTrue();
        assertThat(FieldSelector.EVERYTHING.matches(pod::get)).isTrue();
    }

    @Test
    void exposesRequirementsAndTheExactName() {
        FieldSelector s = FieldSelector.parse("metadata.name==web,metadata.namespace!=x");
        assertThat(s.exactName()).contains("web");
        assertThat(s.requirements())
                .containsExactly(
                        new FieldSelector.Requirement("metadata.name", true, "web"),
                        new FieldSelector.Requirement("metadata.namespace", false, "x"));
        assertThat(FieldSelector.parse("metadata.name!=web").exactName()).isEmpty();
        assertThat(FieldSelector.parse("").isEmpty()).isTrue();
        assertThat(FieldSelector.parse(null)).isSameAs(FieldSelector.EVERYTHING);
    }

    @Test
    void spacesAreKeptAsUpstreamKeepsThem() {
        FieldSelector s = FieldSelector.parse("a = b");
        assertThat(s.requirements()).containsExactly(new FieldSelector.Requirement("a ", true, " b"));
    }
}
