package dev.capstan.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capstan.model.json.KubeJson;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MetadataOnlyTest {
    @Test
    void keepsTheMetadataAndSkipsTheRest() throws Exception {
        String json = """
                {"apiVersion":"v1","kind":"ConfigMap",
                 "metadata":{"name":"big","namespace":"default","uid":"u1","finalizers":["f"],
                   "deletionTimestamp":"2026-12-07T10:00:00Z",
                   "ownerReferences":[{"apiVersion":"apps/v1","kind":"Deployment","name":"web","uid":"u0",
                     "blockOwnerDeletion":true}]},
                 "data":{"payload":"xxxxxxxx"},"binaryData":{"b":"AAAA"},"immutable":true}
                """;
        MetadataOnly read = KubeJson.typedReader(MetadataOnly.class).readValue(json.getBytes(StandardCharsets.UTF_8));
        assertThat(read).isExactlyInstanceOf(MetadataOnly.class); // not fabric8's ConfigMap, picked by kind
        assertThat(read.getKind()).isEqualTo("ConfigMap");
        assertThat(read.getApiVersion()).isEqualTo("v1");
        assertThat(read.getMetadata().getFinalizers()).containsExactly("f");
        assertThat(read.getMetadata().getDeletionTimestamp()).isEqualTo("2026-12-07T10:00:00Z");
        assertThat(read.getMetadata().getOwnerReferences()).singleElement().satisfies(o -> {
            assertThat(o.getUid()).isEqualTo("u0");
            assertThat(o.getBlockOwnerDeletion()).isTrue();
        });
        assertThat(KubeJson.MAPPER.writeValueAsString(read))
                .doesNotContain("payload")
                .doesNotContain("immutable");
    }
}
