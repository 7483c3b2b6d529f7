package dev.capstan.bench;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The store benchmarks: {@code StoreBench [writes] [watch] [list] [etcd] [tuning] [all] [--option=value...]}.
 * Prints each figure as it is measured and a summary against the goals at the end; exits with 1 when
 * something went wrong (errors, lost events, a part that failed), so that odd runs are not mistaken for good
 * ones. See {@link BenchOptions#USAGE} and docs/benchmarks.md.
 */
public final class StoreBench {
    private static final List<Integer> TUNING_WRITERS = List.of(16, 64);

    private final BenchOptions options;
    private final Summary summary = new Summary();

    private StoreBench(BenchOptions options) {
        this.options = options;
    }

    public static void main(String[] args) {
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            System.out.print(BenchOptions.USAGE);
            System.exit(0);
        }
        BenchOptions options;
        try {
            options = BenchOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("StoreBench: " + e.getMessage());
            System.err.print(BenchOptions.USAGE);
            System.exit(2);
            return;
        }
        System.exit(new StoreBench(options).run());
    }

    private int run() {
        System.out.println("Capstan store benchmark, " + options);
        Machine.describe().forEach(line -> System.out.println("  " + line));
        for (String part : options.parts()) {
            System.out.println();
            System.out.println("== " + part);
            long start = System.nanoTime();
            try {
                switch (part) {
                    case "writes" -> writes();
                    case "watch" -> watch();
                    case "list" -> list();
                    case "etcd" -> etcd();
                    case "tuning" -> tuning();
                    default -> throw new IllegalStateException(part);
                }
            } catch (Exception e) {
                System.out.println("FAILED: " + e);
                e.printStackTrace();
                summary.problem(part + " failed: " + e);
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            System.out.printf(
                    "(%s took %d s)%n",
                    part, Duration.ofNanos(System.nanoTime() - start).toSeconds());
        }
        System.out.println();
        summary.print(System.out);
        return summary.problems().isEmpty() ? 0 : 1;
    }

    private void writes() throws IOException, InterruptedException {
        try (BenchStore bench = BenchStore.open(Map.of())) {
            printStore(bench);
            for (int n : options.writers()) {
                WriteLoad.Result result = creates(bench, "/bench/writes/c" + n + "/", n);
                System.out.println("capstan " + result.line());
                summary.capstanWrites(result);
            }
        }
    }

    private void watch() throws IOException, InterruptedException {
        try (BenchStore bench = BenchStore.open(Map.of())) {
            printStore(bench);
            WatchLatency.Result result = WatchLatency.run(
                    bench.store(), options.watchers(), options.watchRate(), options.warmup(), options.watchDuration());
            result.lines().forEach(System.out::println);
            summary.watch(result);
        }
    }

    private void list() throws IOException, InterruptedException {
        try (BenchStore bench = BenchStore.open(Map.of())) {
            printStore(bench);
            ListBench.Result result = ListBench.run(bench.store(), options.listKeys(), options.listWriters());
            result.lines().forEach(System.out::println);
            summary.list(result);
        }
    }

    private void etcd() throws IOException, InterruptedException {
        summary.etcdVersion(EtcdServer.version(options.etcdBinary()));
        for (WriteLoad.Result result :
                EtcdBench.run(options.etcdBinary(), options.writers(), options.warmup(), options.duration())) {
            summary.etcdWrites(result);
        }
    }

    private void tuning() throws IOException, InterruptedException {
        for (int batch : options.batchSizes()) {
            for (int inFlight : options.inFlight()) {
                Map<String, String> settings = Map.of(
                        "capstan.store.batch.max-size", Integer.toString(batch),
                        "capstan.store.batch.max-in-flight", Integer.toString(inFlight));
                try (BenchStore bench = BenchStore.open(settings)) {
                    printStore(bench);
                    for (int n : TUNING_WRITERS) {
                        WriteLoad.Result result = creates(bench, "/bench/tuning/c" + n + "/", n);
                        System.out.printf("max-size %3d, max-in-flight %d: %s%n", batch, inFlight, result.line());
                        summary.tuning(batch, inFlight, result);
                    }
                }
            }
        }
    }

    private WriteLoad.Result creates(BenchStore bench, String prefix, int writers) throws InterruptedException {
        return WriteLoad.run(
                writers,
                options.warmup(),
                options.duration(),
                prefix,
                (key, value) -> bench.store().create(key, value));
    }

    private void printStore(BenchStore bench) {
        if (summary.postgresVersion() == null) {
            summary.postgresVersion(BenchStore.embeddedPostgresVersion().orElse("unknown"));
            System.out.println("embedded " + summary.postgresVersion());
        }
        System.out.println("store settings: " + bench.settings());
    }
}
