package dev.capstan.node.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.capstan.model.pod.PodLogOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContainerLogsTest {
    private static final String LOG = """
            2026-12-06T07:00:00.100000000Z stdout F one
            2026-12-06T07:00:01.000000000Z stderr F two
            2026-12-06T07:00:02.123456789Z stdout P thr
            2026-12-06T07:00:02.500000000Z stdout F ee
            2026-12-06T08:00:03.000000000+01:00 stdout F four
            """;

    @TempDir
    Path dir;

    private final ContainerLogs logs = new ContainerLogs(
            Clock.fixed(Instant.parse("2026-12-06T07:00:05Z"), ZoneOffset.UTC), Duration.ofMillis(10));
    /** Following waits on the clock too (at most a second before it asks whether the container runs). */
    private final ContainerLogs following = new ContainerLogs(Clock.systemUTC(), Duration.ofMillis(10));

    @Test
    void writesStdoutAndStderrAndJoinsPartialLines() throws Exception {
        assertThat(read(LOG, Map.of())).isEqualTo("one\ntwo\nthree\nfour\n");
    }

    @Test
    void timestampsPrefixEachLineOnceAsRfc3339Nano() throws Exception {
        assertThat(read(LOG, Map.of("timestamps", "true"))).isEqualTo("""
                        2026-12-06T07:00:00.1Z one
                        2026-12-06T07:00:01Z two
                        2026-12-06T07:00:02.123456789Z three
                        2026-12-06T08:00:03+01:00 four
                        """);
    }

    @Test
    void tailLinesCountsTheFilesLines() throws Exception {
        assertThat(read(LOG, Map.of("tailLines", "1"))).isEqualTo("four\n");
        // the pieces of a partial line are lines of the file, as upstream counts them
        assertThat(read(LOG, Map.of("tailLines", "2"))).isEqualTo("ee\nfour\n");
        assertThat(read(LOG, Map.of("tailLines", "0"))).isEmpty();
        assertThat(read(LOG, Map.of("tailLines", "99"))).isEqualTo("one\ntwo\nthree\nfour\n");
    }

    @Test
    void tailLinesFindsLinesAcrossBlocks() throws Exception {
        StringBuilder log = new StringBuilder();
        for (int i = 0; i < 500; i++) {
            log.append("2026-12-06T07:00:00Z stdout F line ").append(i).append('\n');
        }
        assertThat(read(log.toString(), Map.of("tailLines", "3"))).isEqualTo("line 497\nline 498\nline 499\n");
    }

    @Test
    void sinceTimeAndSinceSecondsSkipOlderLines() throws Exception {
        assertThat(read(LOG, Map.of("sinceTime", "2026-12-06T07:00:01Z"))).isEqualTo("two\nthree\nfour\n");
        // now is 07:00:05: four seconds ago is 07:00:01
        assertThat(read(LOG, Map.of("sinceSeconds", "4"))).isEqualTo("two\nthree\nfour\n");
        assertThat(read(LOG, Map.of("sinceSeconds", "1"))).isEmpty();
    }

    @Test
    void limitBytesCutsTheOutput() throws Exception {
        assertThat(read(LOG, Map.of("limitBytes", "6"))).isEqualTo("one\ntw");
        assertThat(read(LOG, Map.of("limitBytes", "4"))).isEqualTo("one\n");
        assertThat(read(LOG, Map.of("limitBytes", "30", "timestamps", "true")))
                .isEqualTo("2026-12-06T07:00:00.1Z one\n202");
    }

    @Test
    void skipsMalformedLinesAndKeepsAnUnfinishedLastLine() throws Exception {
        String log = """
                not a cri line
                2026-12-06T07:00:00Z stdlog F bad stream
                2026-12-06T07:00:00Z stdout F good
                2026-12-06T07:00:00Z stdout F unfinished""";
        assertThat(read(log, Map.of())).isEqualTo("good\nunfinished");
    }

    @Test
    void followStreamsNewLinesUntilTheContainerStopsAndTheFileIsRead() throws Exception {
        Path file = write("2026-12-06T07:00:00Z stdout F first\n");
        var out = new ByteArrayOutputStream();
        var running = new AtomicBoolean(true);
        var done = CompletableFuture.runAsync(() -> {
            try {
                following.read(file, options(Map.of("follow", "true")), out, running::get);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        await().atMost(Duration.ofSeconds(5))
                .until(() -> out.toString(StandardCharsets.UTF_8).equals("first\n"));
        append(file, "2026-12-06T07:00:01Z stdout P sec\n2026-12-06T07:00:01Z stdout F on");
        await().atMost(Duration.ofSeconds(5))
                .until(() -> out.toString(StandardCharsets.UTF_8).equals("first\nsec"));
        Thread.sleep(50);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("first\nsec"); // a half-written line waits
        append(file, "d\n2026-12-06T07:00:01Z stdout F third\n");
        await().atMost(Duration.ofSeconds(5))
                .until(() -> out.toString(StandardCharsets.UTF_8).equals("first\nsecond\nthird\n"));
        assertThat(done).isNotDone();
        // the container writes its last line and exits: the reader takes the line, then ends
        append(file, "2026-12-06T07:00:02Z stderr F last\n");
        running.set(false);
        done.get(5, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("first\nsecond\nthird\nlast\n");
    }

    @Test
    void followOfAStoppedContainerReadsTheFileAndEnds() throws Exception {
        Path file = write(LOG);
        var out = new ByteArrayOutputStream();
        logs.read(file, options(Map.of("follow", "true", "tailLines", "1")), out, () -> false);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("four\n");
    }

    @Test
    void followEndsWhenTheReaderIsInterrupted() throws Exception {
        Path file = write(LOG);
        var failure = new CompletableFuture<Throwable>();
        Thread reader = Thread.ofVirtual().start(() -> {
            try {
                following.read(file, options(Map.of("follow", "true")), new ByteArrayOutputStream(), () -> true);
                failure.complete(null);
            } catch (Exception e) {
                failure.complete(e);
            }
        });
        Thread.sleep(50);
        reader.interrupt();
        assertThat(failure.get(5, java.util.concurrent.TimeUnit.SECONDS)).isInstanceOf(InterruptedException.class);
    }

    @Test
    void aMissingFileFails() {
        assertThatThrownBy(() -> logs.read(
                        dir.resolve("none.log"), PodLogOptions.DEFAULTS, new ByteArrayOutputStream(), () -> false))
                .isInstanceOf(IOException.class);
    }

    private String read(String log, Map<String, String> query) throws Exception {
        var out = new ByteArrayOutputStream();
        logs.read(write(log), options(query), out, () -> false);
        return out.toString(StandardCharsets.UTF_8);
    }

    private static PodLogOptions options(Map<String, String> query) {
        var multi = new java.util.HashMap<String, List<String>>();
        query.forEach((k, v) -> multi.put(k, List.of(v)));
        return PodLogOptions.fromQuery(multi);
    }

    private Path write(String log) throws IOException {
        return Files.writeString(Files.createTempFile(dir, "c", ".log"), log);
    }

    private static void append(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardOpenOption.APPEND);
    }
}
