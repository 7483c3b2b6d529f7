package dev.capstan.node.volumes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.capstan.node.runtime.FakeClock;
import dev.capstan.node.volumes.AtomicWriter.FileProjection;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicWriterTest {
    private final FakeClock clock = new FakeClock();

    @TempDir
    Path dir;

    private static FileProjection file(String text, int mode) {
        return new FileProjection(text.getBytes(StandardCharsets.UTF_8), mode);
    }

    private List<String> names() throws IOException {
        try (Stream<Path> list = Files.list(dir)) {
            return list.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void filesAppearThroughTheDataSymlinkOfATimestampedDirectory() throws IOException {
        var writer = new AtomicWriter(dir, clock);
        assertThat(writer.write(Map.of("color", file("blue", 0644), "conf/app.properties", file("a=1", 0400))))
                .isTrue();
        assertThat(Files.readString(dir.resolve("color"))).isEqualTo("blue");
        assertThat(Files.readString(dir.resolve("conf/app.properties"))).isEqualTo("a=1");
        assertThat(Files.readSymbolicLink(dir.resolve("color"))).isEqualTo(Path.of("..data/color"));
        assertThat(Files.readSymbolicLink(dir.resolve("..data")).toString()).startsWith("..2026_01_01_00_00_00.");
        assertThat(AtomicWriter.mode(dir.resolve("..data/conf/app.properties"))).isEqualTo(0400);
        assertThat(AtomicWriter.mode(dir.resolve("..data/color"))).isEqualTo(0644);
        assertThat(names()).hasSize(4); // color, conf, ..data and the timestamped directory
    }

    @Test
    void anEqualPayloadWritesNothingAndAChangeSwitchesDirectories() throws IOException {
        var writer = new AtomicWriter(dir, clock);
        writer.write(Map.of("color", file("blue", 0644), "size", file("L", 0644)));
        Path first = Files.readSymbolicLink(dir.resolve("..data"));
        assertThat(writer.write(Map.of("color", file("blue", 0644), "size", file("L", 0644))))
                .isFalse();
        assertThat(writer.write(Map.of("color", file("blue", 0600), "size", file("L", 0644))))
                .as("a mode change is a change")
                .isTrue();

        clock.advance(Duration.ofSeconds(61));
        assertThat(writer.write(Map.of("color", file("red", 0644)))).isTrue();
        assertThat(Files.readString(dir.resolve("color"))).isEqualTo("red");
        assertThat(Files.readSymbolicLink(dir.resolve("..data"))).isNotEqualTo(first);
        assertThat(Files.exists(dir.resolve(first)))
                .as("the old directory is removed")
                .isFalse();
        assertThat(names())
                .as("the dropped key's symlink goes")
                .hasSize(3)
                .contains("color", "..data")
                .doesNotContain("size");
    }

    @Test
    void pathsMustStayInside() {
        var writer = new AtomicWriter(dir, clock);
        assertThatThrownBy(() -> writer.write(Map.of("../evil", file("x", 0644))))
                .isInstanceOf(VolumeException.class);
        assertThatThrownBy(() -> writer.write(Map.of("a/../../evil", file("x", 0644))))
                .isInstanceOf(VolumeException.class);
        assertThatThrownBy(() -> writer.write(Map.of("/etc/passwd", file("x", 0644))))
                .isInstanceOf(VolumeException.class);
    }

    @Test
    void anEmptyPayloadMakesAnEmptyVolume() throws IOException {
        assertThat(new AtomicWriter(dir, clock).write(Map.of())).isTrue();
        assertThat(names()).hasSize(2).contains("..data");
    }
}
