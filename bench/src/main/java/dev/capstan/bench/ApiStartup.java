package dev.capstan.bench;

import dev.capstan.model.files.FileTrees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Time from launching the API server to /readyz answering "ok", polled every 20 ms: from a fresh data directory
 * (the first start, with initdb and the PKI) and from the directory the fresh start left (PostgreSQL already
 * initialised). Each of {@code starts} rounds takes a new directory, starts fresh, stops, starts warm and stops;
 * every stop is SIGTERM by PID. One launch before the rounds is not counted: it warms the harness's own TLS
 * client, which would otherwise add its class loading to the first figure.
 */
final class ApiStartup {
    record Start(
            Duration ready,
            long listeningMillis,
            long quarkusMillis,
            Duration stop,
            int exit,
            Duration postgresLingered) {
        String line() {
            return String.format(
                    "ready after %,d ms (logged 'Kubernetes API on' at %s, Quarkus 'started in %s'), stopped in %,d ms"
                            + " with status %d%s",
                    ready.toMillis(),
                    listeningMillis < 0 ? "?" : String.format("%,d ms", listeningMillis),
                    quarkusMillis < 0 ? "?" : String.format("%,d ms", quarkusMillis),
                    stop.toMillis(),
                    exit,
                    postgresLingered.isZero()
                            ? ""
                            : String.format(", PostgreSQL exited %,d ms later", postgresLingered.toMillis()));
        }
    }

    record Result(String label, List<String> jvmOptions, List<Start> fresh, List<Start> warm) {
        Duration medianFresh() {
            return median(fresh);
        }

        Duration medianWarm() {
            return median(warm);
        }

        private static Duration median(List<Start> starts) {
            List<Duration> sorted = starts.stream().map(Start::ready).sorted().toList();
            return sorted.isEmpty() ? Duration.ZERO : sorted.get(sorted.size() / 2);
        }
    }

    private ApiStartup() {}

    static Result run(String label, Path jar, int port, List<String> jvmOptions, int starts, Path work)
            throws IOException, InterruptedException {
        System.out.println("JVM options beyond ./capstan's: " + (jvmOptions.isEmpty() ? "none" : jvmOptions));
        Path warmup = work.resolve(label + "-warmup");
        Start discarded = once(jar, warmup, port, jvmOptions, work.resolve(label + "-warmup.log"));
        System.out.println("not counted (warms the harness's client): " + discarded.line());
        FileTrees.delete(warmup);
        List<Start> fresh = new ArrayList<>();
        List<Start> warm = new ArrayList<>();
        for (int i = 1; i <= starts; i++) {
            Path dir = work.resolve(label + "-" + i);
            Start first = once(jar, dir, port, jvmOptions, work.resolve(label + "-" + i + "-fresh.log"));
            System.out.println("start " + i + ", fresh data directory:    " + first.line());
            fresh.add(first);
            Start again = once(jar, dir, port, jvmOptions, work.resolve(label + "-" + i + "-warm.log"));
            System.out.println("start " + i + ", existing data directory: " + again.line());
            warm.add(again);
            FileTrees.delete(dir);
        }
        Result result = new Result(label, jvmOptions, fresh, warm);
        System.out.printf(
                "median of %d: fresh %,d ms, existing %,d ms%n",
                starts, result.medianFresh().toMillis(), result.medianWarm().toMillis());
        return result;
    }

    static Start once(Path jar, Path dir, int port, List<String> jvmOptions, Path log)
            throws IOException, InterruptedException {
        try (ApiServerProcess server = ApiServerProcess.launch(jar, dir, port, jvmOptions, log)) {
            Duration ready = server.awaitReady();
            Duration stop = server.stop();
            return new Start(
                    ready,
                    server.listeningMillis(),
                    server.quarkusStartedInMillis(),
                    stop,
                    server.exitValue(),
                    server.postgresLingered());
        }
    }

    /**
     * A training run for the JDK AOT cache (JEP 483/514): starts the server with -XX:AOTCacheOutput, exercises
     * it (discovery, creates, gets, lists, a watch), and stops it with SIGTERM; the JVM writes the cache as it
     * exits. Returns the cache's path.
     */
    static Path trainAotCache(Path jar, int port, Path work, List<String> serverJvm)
            throws IOException, InterruptedException, java.security.GeneralSecurityException {
        Path cache = work.resolve("app.aot").toAbsolutePath();
        Path dir = work.resolve("aot-training");
        List<String> options = new java.util.ArrayList<>(serverJvm);
        options.add("-XX:AOTCacheOutput=" + cache);
        System.out.println("training run with " + options);
        try (ApiServerProcess server =
                ApiServerProcess.launch(jar, dir, port, options, work.resolve("aot-training.log"))) {
            Duration ready = server.awaitReady();
            System.out.println("  ready after " + ready.toMillis() + " ms; exercising it");
            try (ApiClient api = new ApiClient(server.target())) {
                exercise(api);
            }
            Duration stop = server.stop();
            System.out.printf(
                    "  stopped in %,d ms with status %d (the JVM writes the cache as it exits)%n",
                    stop.toMillis(), server.exitValue());
        }
        FileTrees.delete(dir);
        if (!Files.isRegularFile(cache)) {
            throw new IOException(
                    "the training run wrote no AOT cache at " + cache + "; see " + work.resolve("aot-training.log"));
        }
        System.out.printf("  AOT cache %s, %.1f MiB%n", cache, Files.size(cache) / (1024.0 * 1024.0));
        return cache;
    }

    private static void exercise(ApiClient api)
            throws IOException, InterruptedException, java.security.GeneralSecurityException {
        for (String path : List.of("/version", "/api", "/apis", "/api/v1", "/openapi/v3", "/readyz")) {
            api.getPath(path);
        }
        api.createNamespace("aot-training");
        ApiLoad.Result load = ApiLoad.create(api, "aot-training", "cm-", 2_000, 16);
        for (int i = 0; i < 200; i++) {
            api.getConfigMap("aot-training", "cm-" + i);
        }
        for (int i = 0; i < 20; i++) {
            api.listConfigMaps("aot-training", 500, "");
        }
        String rv = api.resourceVersion("aot-training");
        var client = api.newClient();
        try {
            Thread watcher = Thread.ofVirtual().start(() -> {
                try {
                    var response = api.watch(client, "aot-training", rv, Duration.ofSeconds(5));
                    try (var body = response.body()) {
                        body.readAllBytes();
                    }
                } catch (IOException e) {
                    // the watch ends with its timeout
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            ApiLoad.create(api, "aot-training", "watched-", 50, 4);
            watcher.join(Duration.ofSeconds(10));
        } finally {
            client.shutdownNow();
        }
        System.out.printf(
                "  created %,d ConfigMaps (%d errors), got, listed and watched%n", load.created(), load.errors());
    }
}
