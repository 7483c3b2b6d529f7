package dev.capstan.api.http;

import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.capstan.api.Json;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Answers asked for as {@code application/yaml}: the JSON answer, written as YAML the way upstream writes it. */
final class YamlAnswers {
    static final String MEDIA_TYPE = "application/yaml";

    // No "---" before the document and quotes only where YAML needs them, as sigs.k8s.io/yaml writes.
    private static final YAMLMapper YAML = new YAMLMapper(YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
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
