package dev.capstan.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * CPU time from /proc/PID/stat (user + system, in clock ticks of 10 ms), to show how the 2 cores were shared
 * between the API server, its PostgreSQL and the harness itself while a load ran.
 */
final class ProcessCpu {
    /** Linux reports /proc times in USER_HZ, which is 100 on every mainstream architecture. */
    private static final double TICKS_PER_SECOND = 100.0;

    /** Ticks used so far by the API server, by PostgreSQL (the postmaster and its children) and by this JVM. */
    record Sample(long nanos, long server, long postgres, long harness) {
        static Sample take(long serverPid, OptionalLong postmaster) {
            long postgres = 0;
            if (postmaster.isPresent()) {
                postgres = ticks(postmaster.getAsLong());
                for (long child : ProcessMemory.children(postmaster.getAsLong())) {
                    postgres += ticks(child);
                }
            }
            return new Sample(
                    System.nanoTime(),
                    ticks(serverPid),
                    postgres,
                    ticks(ProcessHandle.current().pid()));
        }
    }

    /** Cores used on average between two samples. */
    record Use(double server, double postgres, double harness) {
        static Use between(Sample a, Sample b) {
            double seconds = (b.nanos() - a.nanos()) / 1e9;
            return new Use(
                    (b.server() - a.server()) / TICKS_PER_SECOND / seconds,
                    (b.postgres() - a.postgres()) / TICKS_PER_SECOND / seconds,
                    (b.harness() - a.harness()) / TICKS_PER_SECOND / seconds);
        }

        String line() {
            return String.format(
                    "cores used: API server %.2f, PostgreSQL %.2f, harness %.2f", server, postgres, harness);
        }
    }

    private ProcessCpu() {}

    /** Ticks the whole machine was busy so far (every core; /proc/stat's first line less idle and iowait). */
    static long machineBusyTicks() {
        try {
            String[] fields = Files.readAllLines(Path.of("/proc/stat"), StandardCharsets.UTF_8)
                    .getFirst()
                    .trim()
                    .split("\\s+");
            long busy = 0;
            for (int i = 1; i < Math.min(fields.length, 9); i++) {
                if (i != 4 && i != 5) { // idle, iowait
                    busy += Long.parseLong(fields[i]);
                }
            }
            return busy;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** utime + stime of pid (fields 14 and 15 of /proc/PID/stat), or 0 if it is gone. */
    static long ticks(long pid) {
        return ticks(Path.of("/proc", Long.toString(pid), "stat"));
    }

    private static long ticks(Path statFile) {
        try {
            String stat = Files.readString(statFile, StandardCharsets.UTF_8);
            String[] rest = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // rest[0] is field 3 (state), so field N is rest[N - 3]
            return Long.parseLong(rest[11]) + Long.parseLong(rest[12]);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /**
     * Ticks used so far by each thread of pid, summed by thread name with its digits dropped (so a pool's threads add
     * up); the kernel keeps the first 15 characters of a Java thread's name.
     */
    static Map<String, Long> ticksByThread(long pid) {
        Map<String, Long> out = new TreeMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            tasks.forEach(task -> {
                try {
                    String name = Files.readString(task.resolve("comm"), StandardCharsets.UTF_8)
                            .strip()
                            .replaceAll("[0-9]+", "N");
                    out.merge(name, ticks(pid, task.getFileName().toString()), Long::sum);
                } catch (IOException e) {
                    // the thread ended between the listing and the read
                }
            });
        } catch (IOException e) {
            return out;
        }
        return out;
    }

    private static long ticks(long pid, String tid) {
        return ticks(Path.of("/proc", Long.toString(pid), "task", tid, "stat"));
    }
}
