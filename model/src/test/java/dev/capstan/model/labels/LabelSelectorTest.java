package dev.capstan.model.labels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.capstan.model.json.KubeJson;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LabelSelectorTest {

    /** upstream selector_test.go TestSelectorParse: input and its canonical String(). */
    @ParameterizedTest(name = "[{0}] -> [{1}]")
    @CsvSource(
            delimiter = '|',
            value = {
                "x=a,y=b,z=c | x=a,y=b,z=c",
                "'' | ''",
                "x!=a,y=b | x!=a,y=b",
                "x=,z= | x=,z=",
                "x= ,z= | x=,z=",
                "'x= ' | x=",
                "!x | !x",
                "x>1 | x>1",
                "x>1,z<5 | x>1,z<5",
                "x in (foo,,baz),y,z notin () | x in (,baz,foo),y,z notin ()",
                "z notin (), y , x in (baz,foo) | x in (baz,foo),y,z notin ()",
                "x in (a) | x in (a)",
                "x==a | x==a",
                "in in (in) | in in (in)",
                "notin notin (notin) | notin notin (notin)",
                "x in (a,b,a) | x in (a,b)",
            })
    void parsesToUpstreamsCanonicalString(String input, String canonical) {
        assertThat(LabelSelector.parse(input).toString()).isEqualTo(canonical);
    }

    @ParameterizedTest(name = "[{0}]")
    @CsvSource(
            delimiter = '|',
            value = {
                "x=a, | found '', expected: identifier after ','",
                "x=a,,y=b | found ',', expected: identifier after ','",
                ", | found ',', expected: !, identifier, or 'end of string'",
                "x==a==b | found '==', expected: ',' or 'end of string'",
                "!x=a | found '=', expected: ',' or 'end of string'",
                "x in (a | unable to parse requirement: found '', expected: ',' or ')'",
                "x in a | unable to parse requirement: found 'a' expected: '('",
                "x in (a b) | unable to parse requirement: found 'b', expected: ',' or ')'",
                "x in ((a) | unable to parse requirement: found '(', expected: ',', ')' or identifier",
                "x a | unable to parse requirement: found 'a', expected: in, notin, =, ==, !=, gt, lt",
                "x=(a) | unable to parse requirement: found '(', expected: identifier",
                "x<a | unable to parse requirement: values[0]: Invalid value: \"a\": for 'Gt', 'Lt' operators,"
                        + " the value must be an integer",
                "=a | found '=', expected: !, identifier, or 'end of string'",
                "x=a~b | unable to parse requirement: values[0][x]: Invalid value: \"a~b\": a valid label must"
                        + " be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start"
                        + " and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345',"
                        + " regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
            })
    void refusesWithUpstreamsMessage(String input, String message) {
        assertThatThrownBy(() -> LabelSelector.parse(input))
                .isInstanceOf(SelectorParseException.class)
                .hasMessage(message);
    }

    @Test
    void whitespaceIsSpaceTabCarriageReturnAndNewline() {
        assertThat(LabelSelector.parse("\tx\t=\ra\n,\ny").toString()).isEqualTo("x=a,y");
    }

    @Test
    void invalidKeysReportTheParsersNilPath() {
        assertThatThrownBy(() -> LabelSelector.parse("a~b"))
                .hasMessageStartingWith("unable to parse requirement: <nil>: Invalid value: \"a~b\": name part must"
                        + " consist of alphanumeric characters");
        assertThatThrownBy(() -> LabelSelector.parse("x!=" + "a".repeat(64)))
                .hasMessageContaining("must be no more than 63 characters");
    }

    @Test
    void matchesAsUpstream() {
        Map<String, String> labels = Map.of("app", "web", "tier", "front", "n", "5");
        assertThat(LabelSelector.parse("app=web").matches(labels)).isTrue();
        assertThat(LabelSelector.parse("app!=web").matches(labels)).isFalse();
        assertThat(LabelSelector.parse("app!=db,missing!=x").matches(labels)).isTrue();
        assertThat(LabelSelector.parse("app in (db,web),!missing").matches(labels))
                .isTrue();
        assertThat(LabelSelector.parse("app notin (web)").matches(labels)).isFalse();
        assertThat(LabelSelector.parse("missing notin (web)").matches(labels)).isTrue();
        assertThat(LabelSelector.parse("tier").matches(labels)).isTrue();
        assertThat(LabelSelector.parse("n>4,n<6").matches(labels)).isTrue();
        assertThat(LabelSelector.parse("n>5").matches(labels)).isFalse();
        assertThat(LabelSelector.parse("app>1").matches(labels)).isFalse();
        assertThat(LabelSelector.parse("x=").matches(Map.of("x", ""))).isTrue();
        assertThat(LabelSelector.parse("x=").matches(Map.of())).isFalse();
        assertThat(LabelSelector.EVERYTHING.matches(labels)).isTrue();
        assertThat(LabelSelector.NOTHING.matches(labels)).isFalse();
    }

    @Test
    void matchesAnObjectsLabels() {
        JsonNode pod = json("{\"metadata\": {\"labels\": {\"app\": \"web\"}}}");
        assertThat(LabelSelector.parse("app=web").matches(pod)).isTrue();
        assertThat(LabelSelector.parse("app=db").matches(pod)).isFalse();
        assertThat(LabelSelector.parse("!app").matches(json("{}"))).isTrue();
    }

    @Test
    void convertsMetav1SelectorsAsLabelSelectorAsSelector() {
        assertThat(LabelSelector.of((JsonNode) null)).isSameAs(LabelSelector.NOTHING);
        assertThat(LabelSelector.of(json("{}"))).isSameAs(LabelSelector.EVERYTHING);
        LabelSelector s = LabelSelector.of(json("{\"matchLabels\": {\"tier\": \"front\", \"app\": \"web\"},"
                + " \"matchExpressions\": [{\"key\": \"env\", \"operator\": \"NotIn\", \"values\": [\"qa\","
                + " \"dev\"]}, {\"key\": \"gone\", \"operator\": \"DoesNotExist\"}]}"));
        assertThat(s.toString()).isEqualTo("app=web,env notin (dev,qa),!gone,tier=front");
        assertThat(s.matches(Map.of("app", "web", "tier", "front", "env", "prod")))
                .isTrue();
        assertThat(s.isEmpty()).isFalse();
        assertThat(s.requiresExactMatch("app")).contains("web");
    }

    @Test
    void refusesInvalidMetav1SelectorsWithUpstreamsMessage() {
        assertThatThrownBy(() ->
                        LabelSelector.of(json("{\"matchExpressions\": [{\"key\": \"a\", \"operator\":" + " \"In\"}]}")))
                .hasMessage("values: Invalid value: []string(nil): for 'in', 'notin' operators, values set can't be"
                        + " empty");
        assertThatThrownBy(() -> LabelSelector.of(json("{\"matchExpressions\": [{\"key\": \"a\", \"operator\":"
                        + " \"Exists\", \"values\": [\"x\"]}]}")))
                .hasMessage("values: Invalid value: []string{\"x\"}: values set must be empty for exists and does"
                        + " not exist");
        assertThatThrownBy(() -> LabelSelector.of(json(
                        "{\"matchExpressions\": [{\"key\": \"a\", \"operator\":" + " \"Gt\", \"values\": [\"1\"]}]}")))
                .hasMessage("\"Gt\" is not a valid label selector operator");
        assertThatThrownBy(() -> LabelSelector.of(json("{\"matchLabels\": {\"app\": \"has space\"}}")))
                .hasMessageStartingWith("values[0][app]: Invalid value: \"has space\": a valid label must");
    }

    @Test
    void fabric8SelectorsConvertTheSameWay() {
        var selector = new LabelSelectorBuilder()
                .addToMatchLabels("app", "web")
                .addNewMatchExpression()
                .withKey("tier")
                .withOperator("In")
                .withValues("b", "a")
                .endMatchExpression()
                .build();
        assertThat(LabelSelector.of(selector).toString()).isEqualTo("app=web,tier in (a,b)");
        assertThat(LabelSelector.of((io.fabric8.kubernetes.api.model.LabelSelector) null))
                .isSameAs(LabelSelector.NOTHING);
        assertThat(LabelSelector.of(new io.fabric8.kubernetes.api.model.LabelSelector()))
                .isEqualTo(LabelSelector.EVERYTHING);
    }

    @Test
    void setsBecomeEqualityRequirementsWithoutValidation() {
        LabelSelector s = LabelSelector.fromSet(Map.of("b", "2", "a", "not valid!"));
        assertThat(s.toString()).isEqualTo("a=not valid!,b=2");
        assertThat(LabelSelector.fromSet(Map.of())).isSameAs(LabelSelector.EVERYTHING);
    }

    private static JsonNode json(String text) {
        return KubeJson.readTree(text.getBytes(StandardCharsets.UTF_8));
    }
}
