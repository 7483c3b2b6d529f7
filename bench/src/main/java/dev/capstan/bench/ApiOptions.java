package dev.capstan.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** The API benchmark's command line: which parts to run, against which server, and how long. */
record ApiOptions(
        Set<String> parts,
        Duration warmup,
        Duration duration,
        List<Integer> clients,
        int listSize,
        int watchers,
        int watchRate,
        Duration watchDuration,
        int objects,
        int loadClients,
        int starts,
        int port,
        Path jar,
        List<String> serverJvm,
        boolean attach,
        boolean keep,
        Path capstanState) {

    static final List<String> ALL = List.of("latency", "watch", "memory", "startup", "aot");
    static final List<String> KNOWN = ALL;

    static final String USAGE = """
            usage: ApiBench [part...] [--option=value...]

            parts (default: all):
              latency  create / get / list p50, p99 and throughput at each --clients count (ConfigMaps of 1 KiB)
              watch    --watchers HTTP watches; latency from create returning to each watcher reading the event
              memory   RSS of the API server idle after start and with --objects ConfigMaps stored; PostgreSQL apart
              startup  time from launching the server to /readyz answering ok, fresh and existing data directory
              aot      startup with a JDK AOT cache (-XX:AOTCacheOutput training run, then -XX:AOTCache)
              all      all of the above

            options:
              --warmup=3s  --duration=10s  --clients=1,16,64  --list-size=500
              --watchers=1000  --watch-rate=20  --watch-duration=10s
              --objects=100000  --load-clients=64  --starts=5
              --port=6443  --jar=api/target/quarkus-app/quarkus-run.jar
              --server-jvm="-XX:+UseZGC ..."   JVM options added to every launched server's command line
              --attach   latency and watch run against the server './capstan up' started (.capstan/), instead
                         of one the harness launches in a temporary directory; memory, startup and aot always
                         launch their own
              --keep     keep the harness's temporary directory (the servers' logs) even when all went well

            Every launched server runs as './capstan up' runs it: java -Xmx1g -XX:G1PeriodicGCInterval=15000 -XX:TieredStopAtLevel=1
            -Dcapstan.api.port=PORT
            -Dcapstan.api.data-dir=DIR -Dcapstan.store.embedded.data-dir=DIR/postgres -jar JAR, with DIR a fresh
            temporary directory; it is stopped with SIGTERM by its PID. Quarkus's own ports (6080, 6444) must be free.
            """;

    static ApiOptions parse(String... args) {
        Set<String> parts = new LinkedHashSet<>();
        Duration warmup = Duration.ofSeconds(3);
        Duration duration = Duration.ofSeconds(10);
        List<Integer> clients = List.of(1, 16, 64);
        int listSize = 500;
        int watchers = 1000;
        int watchRate = 20;
        Duration watchDuration = Duration.ofSeconds(10);
        int objects = 100_000;
        int loadClients = 64;
        int starts = 5;
        int port = 6443;
        Path jar = Path.of("api/target/quarkus-app/quarkus-run.jar");
        List<String> serverJvm = List.of();
        boolean attach = false;
        boolean keep = false;
        for (String arg : args) {
            if (!arg.startsWith("--")) {
                String part = arg.toLowerCase(Locale.ROOT);
                if (part.equals("all")) {
                    parts.addAll(ALL);
                } else if (KNOWN.contains(part)) {
                    parts.add(part);
                } else {
                    throw new IllegalArgumentException("unknown part '" + arg + "'");
                }
                continue;
            }
            if (arg.equals("--attach")) {
                attach = true;
                continue;
            }
            if (arg.equals("--keep")) {
                keep = true;
                continue;
            }
            int eq = arg.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("options take a value: --name=value, not '" + arg + "'");
            }
            String name = arg.substring(2, eq);
            String value = arg.substring(eq + 1);
            switch (name) {
                case "warmup" -> warmup = BenchOptions.duration(value);
                case "duration" -> duration = BenchOptions.duration(value);
                case "clients" -> clients = BenchOptions.ints(value);
                case "list-size" -> listSize = BenchOptions.positive(value);
                case "watchers" -> watchers = BenchOptions.positive(value);
                case "watch-rate" -> watchRate = BenchOptions.positive(value);
                case "watch-duration" -> watchDuration = BenchOptions.duration(value);
                case "objects" -> objects = BenchOptions.positive(value);
                case "load-clients" -> loadClients = BenchOptions.positive(value);
                case "starts" -> starts = BenchOptions.positive(value);
                case "port" -> port = BenchOptions.positive(value);
                case "jar" -> jar = Path.of(value);
                case "server-jvm" ->
                    serverJvm =
                            value.isBlank() ? List.of() : List.of(value.trim().split("\\s+"));
                default -> throw new IllegalArgumentException("unknown option '--" + name + "'");
            }
        }
        if (parts.isEmpty()) {
            parts.addAll(ALL);
        }
        return new ApiOptions(
                parts,
                warmup,
                duration,
                clients,
                listSize,
                watchers,
                watchRate,
                watchDuration,
                objects,
                loadClients,
                starts,
                port,
                jar,
                serverJvm,
                attach,
                keep,
                Path.of(".capstan"));
    }

    @Override
    public String toString() {
        return "parts=" + parts + " warmup=" + warmup.toMillis() + "ms duration=" + duration.toMillis()
                + "ms clients=" + clients + " list-size=" + listSize + " watchers="
                + watchers + " watch-rate=" + watchRate + " watch-duration=" + watchDuration.toMillis()
                + "ms objects=" + objects + " load-clients=" + loadClients + " starts=" + starts + " port=" + port
                + " jar=" + jar + (serverJvm.isEmpty() ? "" : " server-jvm=" + serverJvm) + (attach ? " attach" : "")
                + (keep ? " keep" : "");
    }
}
