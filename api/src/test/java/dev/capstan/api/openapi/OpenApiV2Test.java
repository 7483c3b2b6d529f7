package dev.capstan.api.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import dev.capstan.model.json.KubeJson;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OpenApiV2Test {
    private static final OpenApiDocuments DOCS = new OpenApiDocuments(TestResources.standard(), OpenApiSnapshot.NONE);

    @Test
    void definitionsAreTheV3SchemasWithSwaggerReferences() throws Exception {
        JsonNode swagger = KubeJson.MAPPER.readTree(DOCS.v2(false));
        assertThat(swagger.get("swagger").asText()).isEqualTo("2.0");
        JsonNode definitions = swagger.get("definitions");
        JsonNode deployment = definitions.get("io.k8s.api.apps.v1.Deployment");
        assertThat(deployment.at("/properties/spec/$ref").asText())
                .isEqualTo("#/definitions/io.k8s.api.apps.v1.DeploymentSpec");
        assertThat(deployment.at("/x-kubernetes-group-version-kind/0/kind").asText())
                .isEqualTo("Deployment");
        assertThat(definitions.has("io.k8s.api.core.v1.Pod")).isTrue();
        assertThat(definitions.toString())
                .doesNotContain("#/components/schemas/")
                .doesNotContain("\"oneOf\"");
        // every reference resolves
        definitions
                .findValues("$ref")
                .forEach(ref -> assertThat(definitions.has(ref.asText().substring(14)))
                        .as(ref.asText())
                        .isTrue());
    }

    @Test
    void theProtobufFormIsGnosticsDocumentMessage() throws Exception {
        JsonNode definitions = KubeJson.MAPPER.readTree(DOCS.v2(false)).get("definitions");
        UnknownFieldSet document = UnknownFieldSet.parseFrom(DOCS.v2(true));
        assertThat(document.getField(1).getLengthDelimitedList())
                .containsExactly(ByteString.copyFromUtf8("2.0")); // swagger
        UnknownFieldSet defs = UnknownFieldSet.parseFrom(
                document.getField(9).getLengthDelimitedList().getFirst()); // definitions
        Map<String, UnknownFieldSet> byName = new HashMap<>();
        for (ByteString named : defs.getField(1).getLengthDelimitedList()) { // NamedSchema
            UnknownFieldSet n = UnknownFieldSet.parseFrom(named);
            byName.put(
                    n.getField(1).getLengthDelimitedList().getFirst().toStringUtf8(),
                    UnknownFieldSet.parseFrom(
                            n.getField(2).getLengthDelimitedList().getFirst()));
        }
        assertThat(byName).hasSize(definitions.size());
        UnknownFieldSet configMap = byName.get("io.k8s.api.core.v1.ConfigMap");
        UnknownFieldSet type = UnknownFieldSet.parseFrom(
                configMap.getField(22).getLengthDelimitedList().getFirst());
        assertThat(type.getField(1).getLengthDelimitedList()).containsExactly(ByteString.copyFromUtf8("object"));
        // the GVK extension, whose YAML text (here JSON) kubectl maps kinds with
        UnknownFieldSet extension = UnknownFieldSet.parseFrom(
                configMap.getField(31).getLengthDelimitedList().getFirst());
        assertThat(extension.getField(1).getLengthDelimitedList().getFirst().toStringUtf8())
                .isEqualTo("x-kubernetes-group-version-kind");
        String yaml = UnknownFieldSet.parseFrom(
                        extension.getField(2).getLengthDelimitedList().getFirst())
                .getField(2)
                .getLengthDelimitedList()
                .getFirst()
                .toStringUtf8();
        assertThat(KubeJson.MAPPER.readTree(yaml).get(0).get("kind").asText()).isEqualTo("ConfigMap");
    }
}
