package dev.capstan.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Gathers the figures of a run and prints them as Markdown tables, with the goals and any problems. */
final class Summary {
    static final int WRITES_GOAL = 10_000;
    static final int WRITES_GOAL_WRITERS = 64;
    static final long WATCH_P99_GOAL_MS = 50;
    /** etcd 3.4 through jetcd, measured earlier on the reference machine; used when this run has no etcd part. */
    static final Map<Integer, Integer> ETCD_REFERENCE = Map.of(1, 1_700, 16, 7_000, 64, 9_700);

    private record Tuned(int batch, int inFlight, WriteLoad.Result result) {}

    private final List<WriteLoad.Result> capstan = new ArrayList<>();
    private final List<WriteLoad.Result> etcd = new ArrayList<>();
    private final List<Tuned> tuning = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private WatchLatency.Result watch;
    private ListBench.Result list;
    private String postgresVersion;
    private String etcdVersion;

    void capstanWrites(WriteLoad.Result result) {
        capstan.add(result);
        checkWrites("capstan, " + result.writers() + " writers", result);
    }

    void etcdWrites(WriteLoad.Result result) {
        etcd.add(result);
        checkWrites("etcd, " + result.writers() + " writers", result);
    }

    void tuning(int batch, int inFlight, WriteLoad.Result result) {
        tuning.add(new Tuned(batch, inFlight, result));
        checkWrites(
                "tuning max-size " + batch + " max-in-flight " + inFlight + ", " + result.writers() + " writers",
                result);
    }

    void watch(WatchLatency.Result result) {
        watch = result;
        if (result.missing() != 0) {
            problem("watch: " + result.missing() + " deliveries missing");
        }
        if (result.outOfOrder() != 0) {
            problem("watch: " + result.outOfOrder() + " events out of revision order");
        }
        if (!result.ends().isEmpty()) {
            problem("watch: watches ended early: " + result.ends());
        }
        if (!result.writeErrors().isEmpty()) {
            problem("watch: write errors: " + result.writeErrors());
        }
        if (result.behindSchedule() != 0) {
            // A measurement caveat rather than a failure: the pacer shares 2 cores with 1,000 watchers.
            notes.add("watch: " + result.behindSchedule() + " of the creates started more than 10 ms late (the pacer"
                    + " thread was starved of CPU)");
        }
    }

    void list(ListBench.Result result) {
        list = result;
        result.problems().forEach(p -> problem("list: " + p));
        if (!result.loadErrors().isEmpty()) {
            problem("list: load errors " + result.loadErrors());
        }
    }

    void postgresVersion(String version) {
        postgresVersion = version;
    }

    String postgresVersion() {
        return postgresVersion;
    }

    void etcdVersion(String version) {
        etcdVersion = version;
    }

    void problem(String problem) {
        problems.add(problem);
    }

    List<String> problems() {
        return problems;
    }

    private void checkWrites(String what, WriteLoad.Result result) {
        if (!result.errors().isEmpty()) {
            problem(what + ": errors " + result.errors());
        }
        if (result.stuck() != 0) {
            problem(what + ": " + result.stuck() + " writers did not finish");
        }
    }

    void print(PrintStream out) {
        out.println("== summary");
        out.println(
                "embedded PostgreSQL: " + Optional.ofNullable(postgresVersion).orElse("not started") + "; etcd: "
                        + Optional.ofNullable(etcdVersion).orElse("not run"));
        if (!capstan.isEmpty() || !etcd.isEmpty()) {
            printWrites(out);
        }
        if (watch != null) {
            out.println();
            out.println("| watchers | creates/s (achieved) | commit ack -> watcher p50 | p99 | max"
                    + " | create call -> watcher p50 | p99 | deliveries |");
            out.println("|---:|---:|---:|---:|---:|---:|---:|---:|");
            out.printf(
                    "| %,d | %d (%.1f) | %s ms | %s ms | %s ms | %s ms | %s ms | %,d of %,d |%n",
                    watch.watchers(),
                    watch.rate(),
                    watch.achievedRate(),
                    ms(watch.fromReturn().percentile(50)),
                    ms(watch.fromReturn().percentile(99)),
                    ms(watch.fromReturn().max()),
                    ms(watch.fromCall().percentile(50)),
                    ms(watch.fromCall().percentile(99)),
                    watch.deliveries(),
                    watch.expectedDeliveries());
        }
        if (list != null) {
            out.println();
            out.println("| objects | load (creates/s) | paginated list, pages of " + ListBench.PAGE
                    + " (median) | first page | last page | unpaginated list (median) |");
            out.println("|---:|---:|---:|---:|---:|---:|");
            out.printf(
                    "| %,d | %,.0f | %,d ms | %,d ms | %,d ms | %,d ms |%n",
                    list.keys(),
                    list.keys() / (list.load().toNanos() / 1e9),
                    ListBench.median(list.paginated()).toMillis(),
                    ListBench.median(list.firstPage()).toMillis(),
                    ListBench.median(list.lastPage()).toMillis(),
                    ListBench.median(list.unpaginated()).toMillis());
        }
        if (!tuning.isEmpty()) {
            out.println();
            out.println("| batch.max-size | batch.max-in-flight | writers | writes/s | p50 | p99 |");
            out.println("|---:|---:|---:|---:|---:|---:|");
            for (Tuned t : tuning) {
                out.printf(
                        "| %d | %d | %d | %,.0f | %s ms | %s ms |%n",
                        t.batch(),
                        t.inFlight(),
                        t.result().writers(),
                        t.result().perSecond(),
                        ms(t.result().latency().percentile(50)),
                        ms(t.result().latency().percentile(99)));
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

    private void printWrites(PrintStream out) {
        out.println();
        out.println("| writers | capstan writes/s | p50 | p99 | etcd writes/s | p50 | p99 | capstan / etcd |");
        out.println("|---:|---:|---:|---:|---:|---:|---:|---:|");
        List<Integer> writers = new ArrayList<>();
        capstan.forEach(r -> writers.add(r.writers()));
        etcd.stream()
                .map(WriteLoad.Result::writers)
                .filter(n -> !writers.contains(n))
                .forEach(writers::add);
        for (int n : writers) {
            Optional<WriteLoad.Result> c = find(capstan, n);
            Optional<WriteLoad.Result> e = find(etcd, n);
            out.printf(
                    "| %d | %s | %s | %s | %s | %s | %s | %s |%n",
                    n,
                    c.map(r -> String.format("%,.0f", r.perSecond())).orElse("-"),
                    c.map(r -> ms(r.latency().percentile(50)) + " ms").orElse("-"),
                    c.map(r -> ms(r.latency().percentile(99)) + " ms").orElse("-"),
                    e.map(r -> String.format("%,.0f", r.perSecond())).orElse("-"),
                    e.map(r -> ms(r.latency().percentile(50)) + " ms").orElse("-"),
                    e.map(r -> ms(r.latency().percentile(99)) + " ms").orElse("-"),
                    c.isPresent() && e.isPresent()
                            ? String.format(
                                    "%.2f", c.get().perSecond() / e.get().perSecond())
                            : "-");
        }
    }

    private void printGoals(PrintStream out) {
        out.println("goals:");
        find(capstan, WRITES_GOAL_WRITERS)
                .ifPresent(r -> out.printf(
                        "  [%s] >= %,d writes/s with %d writers: %,.0f%n",
                        met(r.perSecond() >= WRITES_GOAL), WRITES_GOAL, WRITES_GOAL_WRITERS, r.perSecond()));
        if (watch != null) {
            long p99 = watch.fromReturn().percentile(99);
            out.printf(
                    "  [%s] watch p99 <= %d ms from commit to %,d watchers at %d writes/s: %s ms%n",
                    met(p99 <= WATCH_P99_GOAL_MS * 1_000_000 && watch.missing() == 0),
                    WATCH_P99_GOAL_MS,
                    watch.watchers(),
                    watch.rate(),
                    ms(p99));
        }
        if (!capstan.isEmpty()) {
            boolean measured = !etcd.isEmpty();
            StringBuilder ratios = new StringBuilder();
            boolean all = true;
            for (WriteLoad.Result c : capstan) {
                Optional<Double> base = measured
                        ? find(etcd, c.writers()).map(WriteLoad.Result::perSecond)
                        : Optional.ofNullable(ETCD_REFERENCE.get(c.writers())).map(Integer::doubleValue);
                if (base.isEmpty()) {
                    continue;
                }
                double ratio = c.perSecond() / base.get();
                all &= ratio >= 1.0;
                ratios.append(String.format(" %d writers %.2fx;", c.writers(), ratio));
            }
            out.printf(
                    "  [%s] at least on par with etcd at every concurrency (%s):%s%n",
                    met(all),
                    measured ? "etcd measured in this run" : "etcd reference figures 1,700 / 7,000 / 9,700",
                    ratios);
        }
    }

    private static Optional<WriteLoad.Result> find(List<WriteLoad.Result> results, int writers) {
        return results.stream().filter(r -> r.writers() == writers).findFirst();
    }

    private static String met(boolean met) {
        return met ? "MET" : "NOT MET";
    }

    private static String ms(long nanos) {
        return Histogram.millis(nanos);
    }
}
