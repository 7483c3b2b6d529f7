package dev.capstan.bench;

import dev.capstan.model.files.FileTrees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The API server benchmarks: {@code ApiBench [latency] [watch] [memory] [startup] [aot] [all] [--option=value...]}.
 * Drives the Kubernetes API over HTTPS with {@link java.net.http.HttpClient}, against API servers it launches
 * itself the way {@code ./capstan up} does (or, with --attach, the one {@code ./capstan up} started). Prints each
 * figure as it is measured and a summary with the goals at the end; exits with 1 when something went wrong. See
 * {@link ApiOptions#USAGE} and docs/benchmarks.md.
 */
public final class ApiBench {
    @FunctionalInterface
    private interface Part {
        void run(ApiClient api) throws Exception;
    }

    private final ApiOptions options;
    private final ApiSummary summary = new ApiSummary();
    private final Path work;

    private ApiBench(ApiOptions options, Path work) {
        this.options = options;
        this.work = work;
    }

    public static void main(String[] args) throws IOException {
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            System.out.print(ApiOptions.USAGE);
            System.exit(0);
        }
        ApiOptions options;
        try {
            options = ApiOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("ApiBench: " + e.getMessage());
            System.err.print(ApiOptions.USAGE);
            System.exit(2);
            return;
        }
        Path work = Files.createTempDirectory("capstan-apibench-");
        int status = new ApiBench(options, work).run();
        if (status == 0 && !options.keep()) {
            FileTrees.delete(work);
        } else {
            System.out.println("the servers' logs are kept in " + work);
        }
        System.exit(status);
    }

    private int run() {
        System.out.println("Capstan API server benchmark, " + options);
        Machine.describe().forEach(line -> System.out.println("  " + line));
        System.out.println("  server: " + options.jar().toAbsolutePath()
                + ", launched with the same java, -Xmx1g -XX:G1PeriodicGCInterval=15000 -XX:TieredStopAtLevel=1");
        for (String part : options.parts()) {
            System.out.println();
            System.out.println("== " + part);
            long start = System.nanoTime();
            try {
                switch (part) {
                    case "latency" -> withServer(part, options.attach(), this::latency);
                    case "watch" -> withServer(part, options.attach(), this::watch);
                    case "memory" -> withServer(part, false, this::memory);
                    case "startup" ->
                        summary.startup(ApiStartup.run(
                                "plain", options.jar(), options.port(), options.serverJvm(), options.starts(), work));
                    case "aot" -> aot();
                    default -> throw new IllegalStateException(part);
                }
            } catch (Exception e) {
                System.out.println("FAILED: " + e);
                e.printStackTrace(System.out);
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

    private void latency(ApiClient api) throws Exception {
        summary.latency(
                ApiLatency.run(api, options.clients(), options.warmup(), options.duration(), options.listSize()));
    }

    private void watch(ApiClient api) throws Exception {
        ApiWatchLatency.Result result = ApiWatchLatency.run(
                api, options.watchers(), options.watchRate(), options.warmup(), options.watchDuration());
        result.lines().forEach(System.out::println);
        summary.watch(result);
    }

    private void memory(ApiClient api) throws Exception {
        summary.memory(ApiMemory.run(api, options.objects(), options.loadClients()));
    }

    private void aot() throws Exception {
        Path cache = ApiStartup.trainAotCache(options.jar(), options.port(), work, options.serverJvm());
        summary.startup(ApiStartup.run(
                "aot",
                options.jar(),
                options.port(),
                plus(options.serverJvm(), "-XX:AOTCache=" + cache),
                options.starts(),
                work));
    }

    private static List<String> plus(List<String> options, String option) {
        List<String> all = new java.util.ArrayList<>(options);
        all.add(option);
        return all;
    }

    /** Runs part against the './capstan up' server, or against a fresh one launched for it and stopped after. */
    private void withServer(String name, boolean attach, Part part) throws Exception {
        if (attach) {
            ApiTarget target = ApiTarget.capstanUp(options.capstanState(), options.port());
            System.out.println(
                    "against the './capstan up' server, pid " + target.pid().orElse(-1));
            try (ApiClient api = new ApiClient(target)) {
                part.run(api);
            }
            return;
        }
        Path dir = work.resolve(name);
        Path log = work.resolve(name + ".log");
        try (ApiServerProcess server =
                ApiServerProcess.launch(options.jar(), dir, options.port(), options.serverJvm(), log)) {
            Duration ready = server.awaitReady();
            System.out.printf(
                    "launched the API server (pid %d, PostgreSQL pid %s) in %s: ready after %,d ms%n",
                    server.pid(),
                    server.postmaster().isPresent() ? server.postmaster().getAsLong() : "?",
                    dir,
                    ready.toMillis());
            try (ApiClient api = new ApiClient(server.target())) {
                part.run(api);
            }
            Duration stop = server.stop();
            System.out.printf(
                    "stopped the API server in %,d ms, status %d; PostgreSQL exited %,d ms after it%n",
                    stop.toMillis(),
                    server.exitValue(),
                    server.postgresLingered().toMillis());
            if (server.orphaned()) {
                summary.problem(name + ": PostgreSQL outlived the API server by more than 10 s");
            }
            summary.serverLog(name, log);
        }
        FileTrees.delete(dir);
    }
}
