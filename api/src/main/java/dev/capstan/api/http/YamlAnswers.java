package dev.capstan.api.http;

import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.dataformat.yaml.util.StringQuotingChecker;
import dev.capstan.api.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.regex.Pattern;

/** Answers asked for as {@code application/yaml}: the JSON answer, written as YAML the way upstream writes it. */
final class YamlAnswers {
    static final String MEDIA_TYPE = "application/yaml";

    // A YAML 1.1 reader takes 2026-01-02T03:04:05Z for a timestamp, not a string; go-yaml quotes such values.
    private static final Pattern TIMESTAMP = Pattern.compile("\\d{4}-\\d{1,2}-\\d{1,2}([Tt ].*)?");

    // No "---" before the document and quotes only where YAML needs them, as sigs.k8s.io/yaml writes.
    private static final YAMLMapper YAML = new YAMLMapper(YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .stringQuotingChecker(new StringQuotingChecker.Default() {
                @Override
                public boolean needToQuoteValue(String value) {
                    return super.needToQuoteValue(value)
                            || TIMESTAMP.matcher(value).matches();
                }
            })
            .build());

    private YamlAnswers() {}

    static byte[] fromJson(byte[] json) {
        try {
            return YAML.writeValueAsBytes(Json.MAPPER.readTree(json));
        } catch (IOException e) {
            throw new UncheckedIOException("an answer of the server's own is not JSON", e);
        }
    }
}
