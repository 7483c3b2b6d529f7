package dev.capstan.node.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.capstan.node.runtime.FakeContainerRuntime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalImagesTest {

    @Test
    void tellsStaticFromDynamicBinaries() throws IOException {
        byte[] javaLauncher = Files.readAllBytes(Path.of(System.getProperty("java.home"), "bin", "java"));
        assertThat(LocalImages.hasInterpreter(javaLauncher)).isTrue();
        assertThatThrownBy(() ->
                        LocalImages.hasInterpreter("#!/bin/sh\n".repeat(10).getBytes()))
                .hasMessageContaining("Not a 64-bit ELF");
    }

    @Test
    void refusesADynamicBusybox() {
        Path javaLauncher = Path.of(System.getProperty("java.home"), "bin", "java");
        assertThatThrownBy(() -> LocalImages.readStaticBinary(javaLauncher))
                .hasMessageContaining("dynamically linked")
                .hasMessageContaining("apt-get install busybox-static");
    }

    @Test
    void buildsBothImagesFromTheInstalledStaticBusybox() {
        assumeTrue(LocalImages.BUSYBOX_PATHS.stream().anyMatch(Files::isExecutable), "busybox-static is not installed");
        List<OciImageLayout> images = LocalImages.build(LocalImages.findBusybox());
        assertThat(images).extracting(OciImageLayout::name).containsExactly(LocalImages.BUSYBOX, LocalImages.PAUSE);
        TarEntries layer = TarEntries.read(images.get(0).layerTar());
        assertThat(layer.entries()).containsKeys("bin/sh", "bin/httpd", "bin/sleep", "bin/wget", "bin/nc", "bin/cat");
        assertThat(images.get(1).cmd()).containsExactly("sleep", "infinity");
    }

    @Test
    void importsNothingWhenTheRuntimeHasBothImages(@TempDir Path dir) {
        var runtime = new FakeContainerRuntime().addImage(LocalImages.BUSYBOX).addImage(LocalImages.PAUSE);
        assertThat(LocalImages.ensureImported(runtime, dir.resolve("no.sock"), dir))
                .isEmpty();
        assertThat(dir.toFile().list()).isEmpty();
    }
}
