package dev.capstan.node.images;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class OciImageLayoutTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final byte[] layer = LocalImages.busyboxLayer(
            "#!fake busybox\n".getBytes(StandardCharsets.UTF_8), List.of("sh", "httpd", "sleep"));
    private final OciImageLayout image =
            new OciImageLayout("localhost/capstan/busybox:1", List.of(), List.of("sh"), layer);

    @Test
    void layoutHoldsEveryBlobUnderItsDigest() throws IOException {
        TarEntries tar = TarEntries.read(image.toTar());
        assertThat(tar.entries().keySet()).hasSize(7).startsWith("oci-layout", "index.json", "blobs/", "blobs/sha256/");
        assertThat(JSON.readTree(tar.get("oci-layout").content())
                        .get("imageLayoutVersion")
                        .asText())
                .isEqualTo("1.0.0");
        for (var entry : tar.entries().entrySet()) {
            if (entry.getKey().startsWith("blobs/sha256/") && entry.getValue().type() == '0') {
                assertThat("sha256:" + entry.getKey().substring("blobs/sha256/".length()))
                        .isEqualTo(OciImageLayout.digest(entry.getValue().content()));
            }
        }
    }

    @Test
    void indexNamesTheImageAndPointsAtTheManifest() throws IOException {
        TarEntries tar = TarEntries.read(image.toTar());
        JsonNode index = JSON.readTree(tar.get("index.json").content());
        assertThat(index.get("schemaVersion").asInt()).isEqualTo(2);
        assertThat(index.get("mediaType").asText()).isEqualTo("application/vnd.oci.image.index.v1+json");
        JsonNode descriptor = index.get("manifests").get(0);
        assertThat(descriptor.get("mediaType").asText()).isEqualTo("application/vnd.oci.image.manifest.v1+json");
        assertThat(descriptor.at("/annotations/io.containerd.image.name").asText())
                .isEqualTo("localhost/capstan/busybox:1");
        assertThat(descriptor
                        .at("/annotations/org.opencontainers.image.ref.name")
                        .asText())
                .isEqualTo("1");

        byte[] manifest = blob(tar, descriptor.get("digest").asText());
        assertThat(descriptor.get("size").asLong()).isEqualTo(manifest.length);
        JsonNode manifestJson = JSON.readTree(manifest);
        assertThat(manifestJson.get("schemaVersion").asInt()).isEqualTo(2);
        assertThat(manifestJson.at("/config/mediaType").asText()).isEqualTo("application/vnd.oci.image.config.v1+json");
        assertThat(manifestJson.at("/layers/0/mediaType").asText()).isEqualTo("application/vnd.oci.image.layer.v1.tar");
        assertThat(blob(tar, manifestJson.at("/layers/0/digest").asText())).isEqualTo(layer);
        assertThat(manifestJson.at("/layers/0/size").asLong()).isEqualTo(layer.length);

        byte[] config = blob(tar, manifestJson.at("/config/digest").asText());
        assertThat(manifestJson.at("/config/size").asLong()).isEqualTo(config.length);
        assertThat(image.imageId()).isEqualTo(manifestJson.at("/config/digest").asText());
    }

    @Test
    void configRunsTheCommandWithTheLayerAsItsOnlyDiff() throws IOException {
        JsonNode config = JSON.readTree(image.configJson());
        assertThat(config.get("architecture").asText()).isEqualTo("amd64");
        assertThat(config.get("os").asText()).isEqualTo("linux");
        assertThat(config.at("/config/Cmd").toString()).isEqualTo("[\"sh\"]");
        assertThat(config.at("/config/Entrypoint").isMissingNode()).isTrue();
        assertThat(config.at("/config/Env/0").asText()).startsWith("PATH=").contains("/bin");
        assertThat(config.at("/rootfs/type").asText()).isEqualTo("layers");
        assertThat(config.at("/rootfs/diff_ids").size()).isEqualTo(1);
        assertThat(config.at("/rootfs/diff_ids/0").asText()).isEqualTo(OciImageLayout.digest(layer));
    }

    @Test
    void sameInputsGiveTheSameBytes() {
        var again = new OciImageLayout(
                "localhost/capstan/busybox:1",
                List.of(),
                List.of("sh"),
                LocalImages.busyboxLayer(
                        "#!fake busybox\n".getBytes(StandardCharsets.UTF_8), List.of("sleep", "httpd", "sh")));
        assertThat(again.toTar()).isEqualTo(image.toTar());
        var pause = new OciImageLayout("localhost/capstan/pause:1", List.of(), List.of("sleep", "infinity"), layer);
        assertThat(pause.imageId()).isNotEqualTo(image.imageId());
    }

    @Test
    void busyboxLayerHasTheBinaryAppletLinksAndAFixedMtime() {
        TarEntries tar = TarEntries.read(layer);
        assertThat(tar.get("bin/busybox").mode()).isEqualTo(0755);
        assertThat(new String(tar.get("bin/busybox").content(), StandardCharsets.UTF_8))
                .isEqualTo("#!fake busybox\n");
        assertThat(tar.get("bin/httpd").type()).isEqualTo('2');
        assertThat(tar.get("bin/httpd").linkName()).isEqualTo("busybox");
        assertThat(tar.get("tmp/").mode()).isEqualTo(01777);
        assertThat(new String(tar.get("etc/passwd").content(), StandardCharsets.UTF_8))
                .startsWith("root:x:0:0:");
        assertThat(tar.entries().values())
                .allSatisfy(entry -> assertThat(entry.mtime()).isEqualTo(TarWriter.FIXED_MTIME));
        // Applets come sorted, whatever order busybox listed them in.
        assertThat(tar.entries().keySet()).containsSubsequence("bin/httpd", "bin/sh", "bin/sleep");
    }

    private static byte[] blob(TarEntries tar, String digest) {
        return tar.get("blobs/sha256/" + digest.substring("sha256:".length())).content();
    }
}
