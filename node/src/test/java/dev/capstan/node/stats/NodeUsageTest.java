package dev.capstan.node.stats;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class NodeUsageTest {

    @Test
    void cpuIsTheNonIdleJiffiesAndMemoryTotalLessAvailable() {
        String stat = """
                cpu  100 20 30 4000 500 6 7 8 9 10
                cpu0 50 10 15 2000 250 3 3 4 4 5
                intr 12345
                """;
        String meminfo = """
                MemTotal:        8000000 kB
                MemFree:         1000000 kB
                MemAvailable:    5000000 kB
                """;
        Instant now = Instant.parse("2026-12-06T08:00:00Z");
        var usage = NodeUsage.parse(stat, meminfo, now);
        // user 100 + nice 20 + system 30 + irq 6 + softirq 7 + steal 8 = 171 jiffies of 10 ms
        assertThat(usage.usageCoreNanoSeconds()).hasValue(1_710_000_000L);
        assertThat(usage.workingSetBytes()).hasValue(3_000_000L * 1024);
        assertThat(usage.timestamp()).isEqualTo(now);
    }

    @Test
    void readsThisMachinesProc() {
        var first = new NodeUsage(Path.of("/proc"), Clock.systemUTC()).get();
        assertThat(first.usageCoreNanoSeconds().getAsLong()).isPositive();
        assertThat(first.workingSetBytes().getAsLong()).isPositive();
    }
}
