package dev.capstan.client.component;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capstan.client.component.QuietHeapCollector.Sample;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class QuietHeapCollectorTest {
    private static final long MIB = 1L << 20;

    @Test
    void collectsOnlyWhenQuietAndTheOldGenerationGrewEnough() {
        Sample before = new Sample(100, 40 * MIB, 10 * MIB);
        assertThat(QuietHeapCollector.shouldCollect(before, new Sample(100, 40 * MIB, 10 * MIB), 8 * MIB))
                .isTrue();
        assertThat(QuietHeapCollector.shouldCollect(before, new Sample(101, 40 * MIB, 10 * MIB), 8 * MIB))
                .as("one young collection in the period is still quiet")
                .isTrue();
        assertThat(QuietHeapCollector.shouldCollect(before, new Sample(102, 40 * MIB, 10 * MIB), 8 * MIB))
                .as("a busy period")
                .isFalse();
        assertThat(QuietHeapCollector.shouldCollect(before, new Sample(100, 17 * MIB, 10 * MIB), 8 * MIB))
                .as("less than the threshold promoted since the last full collection")
                .isFalse();
        assertThat(QuietHeapCollector.shouldCollect(before, new Sample(100, 18 * MIB, 10 * MIB), 8 * MIB))
                .isTrue();
    }

    /**
     * A JVM on the serial collector with a small young generation promotes a burst's garbage; once it is quiet, the
     * collector runs a full collection and the old generation shrinks to what is live.
     */
    @Test
    void aQuietSerialJvmGivesBackTheOldGenerationItsBurstTook() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(
                        java,
                        "-XX:+UseSerialGC",
                        "-Xms16m",
                        "-Xmn4m",
                        "-Xmx256m",
                        "-XX:MinHeapFreeRatio=10",
                        "-XX:MaxHeapFreeRatio=30",
                        "-XX:-ShrinkHeapInSteps",
                        "-cp",
                        System.getProperty("java.class.path"),
                        Burst.class.getName())
                .redirectErrorStream(true)
                .start();
        String output;
        try {
            assertThat(child.waitFor(60, TimeUnit.SECONDS))
                    .as("the child JVM ends by itself")
                    .isTrue();
        } finally {
            output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            child.destroyForcibly();
        }
        assertThat(child.exitValue()).as(output).isZero();
        // "burst <committed KiB> <full collections>" then "quiet <committed KiB> <full collections>"
        long[] burst = numbers(output, "burst");
        long[] quiet = numbers(output, "quiet");
        assertThat(quiet[1]).as(output).isGreaterThan(burst[1]);
        assertThat(quiet[0]).as(output).isLessThan(burst[0] / 2);
    }

    private static long[] numbers(String output, String label) {
        for (String line : output.split("\n")) {
            if (line.startsWith(label + " ")) {
                String[] parts = line.trim().split(" ");
                return new long[] {Long.parseLong(parts[1]), Long.parseLong(parts[2])};
            }
        }
        throw new AssertionError("no '" + label + "' line in: " + output);
    }

    /** The child: a burst that promotes 48 MiB of short-lived arrays, then quiet until the collector ran. */
    public static final class Burst {
        public static void main(String[] args) throws IOException, InterruptedException {
            QuietHeapCollector.startOnce(Duration.ofMillis(500), 8 * MIB);
            MemoryPoolMXBean old = ManagementFactory.getMemoryPoolMXBeans().stream()
                    .filter(pool -> pool.getName().equals(QuietHeapCollector.SERIAL_OLD_POOL))
                    .findFirst()
                    .orElseThrow();
            List<byte[]> held = new ArrayList<>();
            for (int i = 0; i < 48; i++) {
                held.add(new byte[(int) MIB]); // each survives young collections until the burst ends
            }
            held.clear();
            System.out.printf("burst %d %d%n", old.getUsage().getCommitted() >> 10, fullCollections());
            long before = fullCollections();
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (fullCollections() == before && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            System.out.printf("quiet %d %d%n", old.getUsage().getCommitted() >> 10, fullCollections());
        }

        private static long fullCollections() {
            long count = 0;
            for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                if (List.of(gc.getMemoryPoolNames()).contains(QuietHeapCollector.SERIAL_OLD_POOL)) {
                    count += gc.getCollectionCount();
                }
            }
            return count;
        }
    }
}
