package dev.capstan.netproxy.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The rendered table against golden files, each of which nft must accept. To regenerate after an intended change:
 * {@code -Dgolden.update=true} (or env GOLDEN_UPDATE=1), then review the diff.
 */
class ProxyRendererGoldenTest {
    private static final Path DIR = Path.of("src/test/resources/golden/proxy");
    private static final boolean UPDATE =
            Boolean.getBoolean("golden.update") || "1".equals(System.getenv("GOLDEN_UPDATE"));

    static Stream<String> cases() {
        return GoldenCases.CASES.keySet().stream().sorted();
    }

    @ParameterizedTest
    @MethodSource("cases")
    void matchesGoldenFile(String name) throws Exception {
        String rendered = ProxyRenderer.render(GoldenCases.CASES.get(name), Fixtures.SETTINGS);
        Path file = DIR.resolve(name + ".nft");
        if (UPDATE) {
            Files.writeString(file, rendered, StandardCharsets.UTF_8);
        }
        assertThat(rendered).isEqualTo(Files.readString(file));
    }

    @Test
    void everyGoldenFileLoads() throws Exception {
        NftTestSupport.requireRootAndNft();
        try (Stream<Path> files = Files.list(DIR)) {
            for (Path file :
                    files.filter(f -> f.toString().endsWith(".nft")).sorted().toList()) {
                assertThat(NftTestSupport.check(file)).as("nft -c -f %s", file).isNull();
            }
        }
        assertThat(DIR.toFile().list()).hasSize(GoldenCases.CASES.size());
    }

    @ParameterizedTest
    @MethodSource("cases")
    void renderingIsDeterministic(String name) {
        var inputs = GoldenCases.CASES.get(name);
        var reversed = new ProxyInputs(
                inputs.services().reversed(),
                inputs.endpointSlices().reversed(),
                inputs.nodeName(),
                inputs.nodeAddresses());
        assertThat(ProxyRenderer.render(reversed, Fixtures.SETTINGS))
                .isEqualTo(ProxyRenderer.render(inputs, Fixtures.SETTINGS));
    }
}
