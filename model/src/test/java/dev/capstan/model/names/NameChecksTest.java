package dev.capstan.model.names;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NameChecksTest {

    @ParameterizedTest
    @ValueSource(strings = {"simple", "now-with-dashes", "1-starts-with-num", "1234", "example.com/MyName", "a/b"})
    void goodQualifiedNames(String name) {
        assertThat(NameChecks.isQualifiedName(name)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-bad", "bad-", "a b", "/name", "Example.com/x", "a/b/c", "a~b"})
    void badQualifiedNames(String name) {
        assertThat(NameChecks.isQualifiedName(name)).isNotEmpty();
    }

    @Test
    void messagesAreUpstreams() {
        assertThat(NameChecks.isQualifiedName("/x")).containsExactly("prefix part must be non-empty");
        assertThat(NameChecks.isQualifiedName("x/"))
                .containsExactly(
                        "name part must be non-empty",
                        "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an"
                                + " alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for"
                                + " validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')");
        assertThat(NameChecks.isValidLabelValue("")).isEmpty();
        assertThat(NameChecks.isValidLabelValue("a".repeat(64))).contains("must be no more than 63 characters");
        assertThat(NameChecks.isDNS1123Label("a.b")).containsExactly("must not contain dots");
        assertThat(NameChecks.isDNS1123Subdomain("a.b")).isEmpty();
        assertThat(NameChecks.isDNS1035Label("1a")).hasSize(1);
        assertThat(NameChecks.isDNS1123Label("1a")).isEmpty();
    }

    @Test
    void fieldErrorsPrintAsGo() {
        assertThat(FieldErrors.invalid(null, "a\"b", "bad")).isEqualTo("<nil>: Invalid value: \"a\\\"b\": bad");
        assertThat(FieldErrors.invalid(FieldErrors.child("spec", "x"), java.util.List.of("a"), "d"))
                .isEqualTo("spec.x: Invalid value: []string{\"a\"}: d");
        assertThat(FieldErrors.notSupported("op", "Foo", java.util.List.of("In", "NotIn")))
                .isEqualTo("op: Unsupported value: \"Foo\": supported values: \"In\", \"NotIn\"");
        assertThat(FieldErrors.aggregate(java.util.List.of("a", "b", "a"))).isEqualTo("[a, b]");
        assertThat(FieldErrors.aggregate(java.util.List.of("a", "a"))).isEqualTo("a");
    }
}
