package dev.capstan.api.validation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GoFormatTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "plain|\"plain\"",
                "say \"hi\"|\"say \\\"hi\\\"\"",
                "back\\slash|\"back\\\\slash\"",
                "tab\there|\"tab\\there\"",
                "caf\u00e9|\"caf\u00e9\"",
                "nb\u00a0sp|\"nb\\u00a0sp\""
            })
    void quotesLikeGoStrconvQuote(String raw, String quoted) {
        assertThat(GoFormat.quote(raw.replace("\\t", "\t"))).isEqualTo(quoted);
    }

    @Test
    void escapesControlCharactersLikeGo() {
        assertThat(GoFormat.quote("bell\u0007")).isEqualTo("\"bell\\a\"");
        assertThat(GoFormat.quote("esc\u001b")).isEqualTo("\"esc\\x1b\"");
        assertThat(GoFormat.quote("del\u007f")).isEqualTo("\"del\\x7f\"");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "nginx, Always",
        "nginx:latest, Always",
        "nginx:1.27, IfNotPresent",
        "docker.io/library/nginx, Always",
        "registry.example.com:5000/team/app:v2, IfNotPresent",
        "localhost/app, Always",
        "nginx@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef, IfNotPresent",
        "Nginx, IfNotPresent",
        "'', IfNotPresent"
    })
    void pullPolicyFollowsTheImageTag(String image, String policy) {
        String tag = ImageReference.tag(image);
        assertThat(tag.equals("latest") ? "Always" : "IfNotPresent").isEqualTo(policy);
    }
}
