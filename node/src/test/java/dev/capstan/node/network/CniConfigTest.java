package dev.capstan.node.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CniConfigTest {

    private final CniConfig config =
            new CniConfig("capstan", "cni-capstan0", "10.244.1.0/24", Path.of("/var/lib/capstan/cni/ipam"));

    @Test
    void bridgeThenPortmap() throws IOException {
        JsonNode list = new ObjectMapper().readTree(config.render());
        assertThat(list.get("name").asText()).isEqualTo("capstan");
        assertThat(list.get("plugins"))
                .extracting(plugin -> plugin.get("type").asText())
                .containsExactly("bridge", "portmap");
        JsonNode bridge = list.at("/plugins/0");
        assertThat(bridge.get("bridge").asText()).isEqualTo("cni-capstan0");
        assertThat(bridge.get("isGateway").asBoolean()).isTrue();
        assertThat(bridge.get("hairpinMode").asBoolean()).isTrue();
        assertThat(bridge.get("ipMasq").asBoolean()).isFalse();
        assertThat(bridge.at("/ipam/type").asText()).isEqualTo("host-local");
        assertThat(bridge.at("/ipam/ranges/0/0/subnet").asText()).isEqualTo("10.244.1.0/24");
        assertThat(bridge.at("/ipam/dataDir").asText()).isEqualTo("/var/lib/capstan/cni/ipam");
        assertThat(list.at("/plugins/1/capabilities/portMappings").asBoolean()).isTrue();
    }

    @Test
    void writesTheConflistIntoTheConfDirectory(@TempDir Path dir) throws IOException {
        Path file = config.writeTo(dir.resolve("net.d"));
        assertThat(file.getFileName().toString()).isEqualTo("10-capstan.conflist");
        assertThat(Files.readString(file)).isEqualTo(config.render());
        assertThat(dir.resolve("net.d").toFile().list()).containsExactly("10-capstan.conflist");
    }

    @Test
    void refusesBadNames() {
        assertThatThrownBy(() -> new CniConfig("n", "a-bridge-name-too-long", "10.0.0.0/24", Path.of("/d")))
                .hasMessageContaining("15 characters");
        assertThatThrownBy(() -> new CniConfig("n", "br0", "10.0.0.0", Path.of("/d")))
                .hasMessageContaining("IPv4 CIDR");
    }
}
