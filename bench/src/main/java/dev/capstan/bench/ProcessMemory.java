package dev.capstan.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * Resident memory from /proc: VmRSS of a process (/proc/PID/status) and its proportional share, Pss
 * (/proc/PID/smaps_rollup), which splits shared pages among the processes that map them. Summing RSS over
 * PostgreSQL's processes counts its shared buffers once per process that touched them; the PSS sum does not.
 */
final class ProcessMemory {
    /** Kibibytes; -1 where /proc could not be read. */
    record Sample(long apiRss, long apiPss, int postgresProcesses, long postgresRss, long postgresPss) {
        String line() {
            return String.format(
                    "API server RSS %s (PSS %s); PostgreSQL: %d processes, RSS sum %s, PSS sum %s",
                    mib(apiRss), mib(apiPss), postgresProcesses, mib(postgresRss), mib(postgresPss));
        }
    }

    private ProcessMemory() {}

    static Sample sample(long apiPid, OptionalLong postmaster) {
        long pgRss = 0;
        long pgPss = 0;
        int count = 0;
        if (postmaster.isPresent()) {
            List<Long> pids = new ArrayList<>();
            pids.add(postmaster.getAsLong());
            pids.addAll(children(postmaster.getAsLong()));
            for (long pid : pids) {
                long rss = field(Path.of("/proc", Long.toString(pid), "status"), "VmRSS:");
                if (rss >= 0) {
                    count++;
                    pgRss += rss;
                    pgPss += Math.max(0, field(Path.of("/proc", Long.toString(pid), "smaps_rollup"), "Pss:"));
                }
            }
        }
        return new Sample(
                field(Path.of("/proc", Long.toString(apiPid), "status"), "VmRSS:"),
                field(Path.of("/proc", Long.toString(apiPid), "smaps_rollup"), "Pss:"),
                count,
                postmaster.isPresent() ? pgRss : -1,
                postmaster.isPresent() ? pgPss : -1);
    }

    /** The process's proportional share of resident memory (Pss), in KiB; 0 when it cannot be read. */
    static long pssKib(long pid) {
        return Math.max(0, field(Path.of("/proc", Long.toString(pid), "smaps_rollup"), "Pss:"));
    }

    /** A process's resident set in KiB, or -1 when it is gone. */
    static long rssKib(long pid) {
        return field(Path.of("/proc", Long.toString(pid), "status"), "VmRSS:");
    }

    /** "123.4 MiB" from kibibytes. */
    static String mib(long kib) {
        return kib < 0 ? "?" : String.format("%.1f MiB", kib / 1024.0);
    }

    /** The PIDs whose parent is ppid (from /proc/PID/stat). */
    static List<Long> children(long ppid) {
        List<Long> children = new ArrayList<>();
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path proc : procs) {
                try {
                    String stat = Files.readString(proc.resolve("stat"), StandardCharsets.UTF_8);
                    // pid (comm) state ppid ...; comm may hold spaces and parentheses, so split after the last ')'
                    String[] rest = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    if (Long.parseLong(rest[1]) == ppid) {
                        children.add(Long.parseLong(proc.getFileName().toString()));
                    }
                } catch (IOException | RuntimeException e) {
                    // the process ended while we looked
                }
            }
        } catch (IOException e) {
            return children;
        }
        return children;
    }

    /** The number of kB on the first line starting with prefix, or -1. */
    private static long field(Path file, String prefix) {
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (line.startsWith(prefix)) {
                    return Long.parseLong(
                            line.substring(prefix.length()).replace("kB", "").trim());
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
