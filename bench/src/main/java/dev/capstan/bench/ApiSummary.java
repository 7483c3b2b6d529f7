package dev.capstan.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Gathers the API benchmark's figures and prints them as Markdown tables, with the goals and any problems. */
final class ApiSummary {
    static final long MUTATING_P99_GOAL_MS = 25;
    static final int MUTATING_GOAL_CLIENTS = 64;
    static final long WATCH_P99_GOAL_MS = 50;
    static final long READY_GOAL_MS = 2_000;

    private final List<ApiLatency.Cell> cells = new ArrayList<>();
    private final List<ApiStartup.Result> startups = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private ApiWatchLatency.Result watch;
    private ApiMemory.Result memory;

    void latency(List<ApiLatency.Cell> results) {
        cells.addAll(results);
        for (ApiLatency.Cell cell : results) {
            WriteLoad.Result r = cell.result();
            if (!r.errors().isEmpty()) {
                problem(cell.operation() + " at " + r.writers() + " clients: errors " + r.errors());
            }
            if (r.stuck() != 0) {
                problem(cell.operation() + " at " + r.writers() + " clients: " + r.stuck() + " clients did not finish");
            }
        }
    }

    void watch(ApiWatchLatency.Result result) {
        watch = result;
        if (result.missing() != 0) {
            problem("watch: " + result.missing() + " deliveries missing");
        }
        if (result.duplicates() != 0) {
            problem("watch: " + result.duplicates() + " events delivered twice");
        }
        if (result.outOfOrder() != 0) {
            problem("watch: " + result.outOfOrder() + " events out of resourceVersion order");
        }
        if (!result.ends().isEmpty()) {
            problem("watch: watches ended early: " + result.ends());
        }
        if (!result.writeErrors().isEmpty()) {
            problem("watch: write errors: " + result.writeErrors());
        }
        if (result.behindSchedule() != 0) {
            notes.add("watch: " + result.behindSchedule() + " creates started more than 10 ms late");
        }
    }

    void memory(ApiMemory.Result result) {
        memory = result;
        if (result.load().errors() != 0) {
            problem("memory: " + result.load().errors() + " creates failed, first: "
                    + result.load().firstError());
        }
        if (result.listed() != result.load().created()) {
            problem("memory: the paginated list returned " + result.listed() + " items, expected "
                    + result.load().created());
        }
    }

    void startup(ApiStartup.Result result) {
        startups.add(result);
    }

    /** Notes ERROR and WARN lines of a launched server's log. */
    void serverLog(String part, Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            List<String> bad = lines.stream()
                    .filter(l -> l.contains(" ERROR ") || l.contains(" WARN "))
                    .toList();
            if (!bad.isEmpty()) {
                notes.add(part + ": the server logged " + bad.size() + " ERROR/WARN lines, e.g. "
                        + bad.get(0).substring(0, Math.min(bad.get(0).length(), 240)));
            }
        } catch (IOException e) {
            notes.add(part + ": could not read the server log " + log + ": " + e);
        }
    }

    void problem(String problem) {
        problems.add(problem);
    }

    List<String> problems() {
        return problems;
    }

    void print(PrintStream out) {
        out.println("== summary");
        if (!cells.isEmpty()) {
            out.println();
            out.println(
                    "| operation | clients | requests/s | p50 | p99 | max | cores: server / PostgreSQL / harness |");
            out.println("|---|---:|---:|---:|---:|---:|---|");
            for (ApiLatency.Cell cell : cells) {
                WriteLoad.Result r = cell.result();
                out.printf(
                        "| %s | %d | %,.0f | %s ms | %s ms | %s ms | %.2f / %.2f / %.2f |%n",
                        cell.operation(),
                        r.writers(),
                        r.perSecond(),
                        ms(r.latency().percentile(50)),
                        ms(r.latency().percentile(99)),
                        ms(r.latency().max()),
                        cell.cpu().server(),
                        cell.cpu().postgres(),
                        cell.cpu().harness());
            }
        }
        if (watch != null) {
            out.println();
            out.println("| watchers | creates/s (achieved) | create returned -> watcher p50 | p99 | max"
                    + " | create called -> watcher p50 | p99 | create p99 | deliveries | watchers with every event |");
            out.println("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
            out.printf(
                    "| %,d | %d (%.1f) | %s ms | %s ms | %s ms | %s ms | %s ms | %s ms | %,d of %,d | %,d |%n",
                    watch.watchers(),
                    watch.rate(),
                    watch.achievedRate(),
                    ms(watch.fromReturn().percentile(50)),
                    ms(watch.fromReturn().percentile(99)),
                    ms(watch.fromReturn().max()),
                    ms(watch.fromCall().percentile(50)),
                    ms(watch.fromCall().percentile(99)),
                    ms(watch.createLatency().percentile(99)),
                    watch.deliveries(),
                    watch.expectedDeliveries(),
                    watch.completeWatchers());
        }
        if (memory != null) {
            printMemory(out);
        }
        if (!startups.isEmpty()) {
            out.println();
            out.println("| JVM options | fresh data directory: median | all | existing data directory: median | all |");
            out.println("|---|---:|---|---:|---|");
            for (ApiStartup.Result s : startups) {
                out.printf(
                        "| %s | %,d ms | %s | %,d ms | %s |%n",
                        s.jvmOptions().isEmpty() ? "(as ./capstan up)" : String.join(" ", s.jvmOptions()),
                        s.medianFresh().toMillis(),
                        all(s.fresh()),
                        s.medianWarm().toMillis(),
                        all(s.warm()));
            }
        }
        out.println();
        printGoals(out);
        out.println();
        notes.forEach(n -> out.println("note: " + n));
        if (problems.isEmpty()) {
            out.println("problems: none");
        } else {
            out.println("PROBLEMS:");
            problems.forEach(p -> out.println("  - " + p));
        }
    }

    private void printMemory(PrintStream out) {
        out.println();
        out.println(
                "| state | API server RSS | API server PSS | heap used | PostgreSQL processes | RSS sum | PSS sum |");
        out.println("|---|---:|---:|---:|---:|---:|---:|");
        row(out, "idle, 10 s after ready", memory.idle(), memory.heapIdle());
        row(
                out,
                String.format("%,d ConfigMaps stored, 10 s idle", memory.load().created()),
                memory.loaded(),
                memory.heapLoaded());
        row(out, "after " + memory.paginated().size() + " paginated lists of all", memory.afterList(), "");
        out.printf(
                "%nload: %,d ConfigMaps created in %.1f s (%,.0f/s) by %d clients; paginated list of all (%d pages of"
                        + " %d): %s ms, median %,d ms; first page %,d ms, last page %,d ms (medians)%n",
                memory.load().created(),
                memory.load().took().toMillis() / 1000.0,
                memory.load().perSecond(),
                memory.load().clients(),
                memory.pages(),
                ApiMemory.PAGE,
                memory.paginated().stream()
                        .map(d -> String.format("%,d", d.toMillis()))
                        .toList(),
                median(memory.paginated()).toMillis(),
                median(memory.firstPage()).toMillis(),
                median(memory.lastPage()).toMillis());
    }

    private static void row(PrintStream out, String state, ProcessMemory.Sample s, String heap) {
        out.printf(
                "| %s | %s | %s | %s | %d | %s | %s |%n",
                state,
                ProcessMemory.mib(s.apiRss()),
                ProcessMemory.mib(s.apiPss()),
                heap,
                s.postgresProcesses(),
                ProcessMemory.mib(s.postgresRss()),
                ProcessMemory.mib(s.postgresPss()));
    }

    private void printGoals(PrintStream out) {
        out.println("goals:");
        cells.stream()
                .filter(c -> c.operation().equals("create") && c.result().writers() == MUTATING_GOAL_CLIENTS)
                .findFirst()
                .ifPresent(c -> {
                    long p99 = c.result().latency().percentile(99);
                    out.printf(
                            "  [%s] mutating p99 <= %d ms at %d clients (create): %s ms%n",
                            met(p99 <= MUTATING_P99_GOAL_MS * 1_000_000),
                            MUTATING_P99_GOAL_MS,
                            MUTATING_GOAL_CLIENTS,
                            ms(p99));
                });
        if (watch != null) {
            long p99 = watch.fromReturn().percentile(99);
            out.printf(
                    "  [%s] watch p99 <= %d ms from the create returning to %,d HTTP watchers at %d writes/s: %s ms%n",
                    met(p99 <= WATCH_P99_GOAL_MS * 1_000_000 && watch.missing() == 0),
                    WATCH_P99_GOAL_MS,
                    watch.watchers(),
                    watch.rate(),
                    ms(p99));
        }
        Optional<ApiStartup.Result> plain =
                startups.stream().filter(s -> s.jvmOptions().isEmpty()).findFirst();
        plain.ifPresent(s -> out.printf(
                "  [%s] ready in <= %,d ms on the JVM (median, existing data directory): %,d ms; fresh directory"
                        + " (initdb): %,d ms [%s]%n",
                met(s.medianWarm().toMillis() <= READY_GOAL_MS),
                READY_GOAL_MS,
                s.medianWarm().toMillis(),
                s.medianFresh().toMillis(),
                met(s.medianFresh().toMillis() <= READY_GOAL_MS)));
        startups.stream()
                .filter(s -> !s.jvmOptions().isEmpty())
                .forEach(s -> out.printf(
                        "  (with %s: %,d ms existing, %,d ms fresh)%n",
                        String.join(" ", s.jvmOptions()),
                        s.medianWarm().toMillis(),
                        s.medianFresh().toMillis()));
    }

    private static String all(List<ApiStartup.Start> starts) {
        return String.join(
                " / ",
                starts.stream()
                        .map(s -> String.format("%,d", s.ready().toMillis()))
                        .toList());
    }

    private static Duration median(List<Duration> durations) {
        List<Duration> sorted = durations.stream().sorted().toList();
        return sorted.isEmpty() ? Duration.ZERO : sorted.get(sorted.size() / 2);
    }

    private static String met(boolean met) {
        return met ? "MET" : "NOT MET";
    }

    private static String ms(long nanos) {
        return Histogram.millis(nanos);
    }
}
