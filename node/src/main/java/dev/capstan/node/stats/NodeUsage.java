package dev.capstan.node.stats;

import dev.capstan.node.runtime.ResourceUsage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.OptionalLong;
import java.util.function.Supplier;

/**
 * The machine's CPU time and working set from /proc, as cAdvisor's root container reports them to the kubelet: CPU
 * is every non-idle jiffy of /proc/stat's "cpu" line (user, nice, system, irq, softirq, steal; guest time is already
 * inside user and nice, iowait is idle), and the working set is MemTotal - MemAvailable.
 */
public final class NodeUsage implements Supplier<ResourceUsage> {
    /** USER_HZ: 100 on every Linux architecture the kernel exposes to user space through /proc. */
    private static final long NANOS_PER_JIFFY = 10_000_000L;

    private final Path proc;
    private final Clock clock;

    public NodeUsage(Path proc, Clock clock) {
        this.proc = proc;
        this.clock = clock;
    }

    @Override
    public ResourceUsage get() {
        try {
            return parse(
                    Files.readString(proc.resolve("stat")), Files.readString(proc.resolve("meminfo")), clock.instant());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the node's usage from " + proc, e);
        }
    }

    static ResourceUsage parse(String stat, String meminfo, Instant now) {
        return new ResourceUsage(now, cpuNanos(stat), OptionalLong.empty(), workingSet(meminfo));
    }

    private static OptionalLong cpuNanos(String stat) {
        for (String line : stat.split("\n")) {
            if (line.startsWith("cpu ")) {
                String[] f = line.trim().split("\\s+");
                // cpu user nice system idle iowait irq softirq steal guest guest_nice
                long busy = 0;
                for (int i : new int[] {1, 2, 3, 6, 7, 8}) {
                    if (i < f.length) {
                        busy += Long.parseLong(f[i]);
                    }
                }
                return OptionalLong.of(busy * NANOS_PER_JIFFY);
            }
        }
        return OptionalLong.empty();
    }

    private static OptionalLong workingSet(String meminfo) {
        long total = -1;
        long available = -1;
        for (String line : meminfo.split("\n")) {
            if (line.startsWith("MemTotal:")) {
                total = kib(line);
            } else if (line.startsWith("MemAvailable:")) {
                available = kib(line);
            }
        }
        return total < 0 || available < 0 ? OptionalLong.empty() : OptionalLong.of((total - available) * 1024);
    }

    private static long kib(String line) {
        return Long.parseLong(line.substring(line.indexOf(':') + 1).trim().split("\\s+")[0]);
    }
}
