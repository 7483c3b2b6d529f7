package dev.capstan.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An API server the harness launches itself, with the command line {@code ./capstan up} uses, in a data
 * directory of the harness's choosing; stopped with SIGTERM by its PID. A shutdown hook kills what is still
 * running if the harness exits early.
 */
final class ApiServerProcess implements AutoCloseable {
    /** Quarkus's own HTTP port (health) and its gRPC port, fixed in api's application.properties. */
    static final List<Integer> QUARKUS_PORTS = List.of(6080, 6444);

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration POLL = Duration.ofMillis(20);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration POSTGRES_GRACE = Duration.ofSeconds(10);
    private static final Pattern STARTED_IN = Pattern.compile("started in ([0-9.]+)s");
    private static final Pattern LISTENING =
            Pattern.compile("(?m)^(\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d,\\d{3}) .*Kubernetes API on https");
    private static final DateTimeFormatter LOG_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss,SSS");
    private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(Process::destroyForcibly)));
    }

    private final Path dataDir;
    private final int port;
    private final Path log;
    private final Process process;
    private final long launchedAt;
    private final Instant launchedWall;
    private OptionalLong postmaster = OptionalLong.empty();
    private boolean stopped;
    private Duration postgresLingered = Duration.ZERO;
    private boolean orphaned;

    private ApiServerProcess(Path dataDir, int port, Path log, Process process, long launchedAt) {
        this.dataDir = dataDir;
        this.port = port;
        this.log = log;
        this.process = process;
        this.launchedAt = launchedAt;
        this.launchedWall = Instant.now().minusNanos(System.nanoTime() - launchedAt);
    }

    /**
     * Starts {@code java -Xmx1g -XX:G1PeriodicGCInterval=15000 -XX:TieredStopAtLevel=1 [jvmOptions] -Dcapstan.api.port=PORT -Dcapstan.api.data-dir=DIR
     * -Dcapstan.store.embedded.data-dir=DIR/postgres -jar JAR}, output appended to {@code log}.
     */
    static ApiServerProcess launch(Path jar, Path dataDir, int port, List<String> jvmOptions, Path log)
            throws IOException {
        if (!Files.isRegularFile(jar)) {
            throw new IOException(jar + " is missing: build the API server first (./capstan up builds it, or"
                    + " ./mvnw -B -q -DskipTests -Dspotless.check.skip=true install -pl api -am)");
        }
        requireFree(port);
        for (int fixed : QUARKUS_PORTS) {
            requireFree(fixed);
        }
        Files.createDirectories(dataDir);
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx1g");
        command.add("-XX:G1PeriodicGCInterval=15000"); // as ./capstan: the idle server gives back its unused heap
        command.add("-XX:TieredStopAtLevel=1"); // as ./capstan: the client JIT only
        command.addAll(jvmOptions);
        command.add("-Dcapstan.api.port=" + port);
        command.add("-Dcapstan.api.data-dir=" + dataDir.toAbsolutePath());
        command.add(
                "-Dcapstan.store.embedded.data-dir=" + dataDir.toAbsolutePath().resolve("postgres"));
        command.add("-jar");
        command.add(jar.toAbsolutePath().toString());
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(Redirect.appendTo(log.toFile()));
        long launchedAt = System.nanoTime();
        Process process = builder.start();
        RUNNING.add(process);
        return new ApiServerProcess(dataDir.toAbsolutePath(), port, log, process, launchedAt);
    }

    /**
     * Polls https://127.0.0.1:PORT/readyz every 20 ms (trusting only the server's CA, read once it exists)
     * until it answers "ok"; returns the time from launch.
     */
    Duration awaitReady() throws IOException, InterruptedException {
        URI readyz = URI.create("https://127.0.0.1:" + port + "/readyz");
        HttpClient client = null;
        try {
            while (System.nanoTime() - launchedAt < READY_TIMEOUT.toNanos()) {
                if (!process.isAlive()) {
                    throw new IOException(
                            "the API server exited with status " + process.exitValue() + " during start; see " + log);
                }
                if (client == null) {
                    client = clientOnceCaExists();
                }
                if (client != null && ready(client, readyz)) {
                    long now = System.nanoTime();
                    postmaster = postmasterPid();
                    return Duration.ofNanos(now - launchedAt);
                }
                Thread.sleep(POLL);
            }
        } finally {
            if (client != null) {
                client.shutdownNow();
            }
        }
        throw new IOException("the API server was not ready within " + READY_TIMEOUT.toSeconds() + " s; see " + log);
    }

    private static boolean ready(HttpClient client, URI readyz) throws InterruptedException {
        try {
            HttpResponse<String> response = client.send(
                    HttpRequest.newBuilder(readyz)
                            .timeout(Duration.ofSeconds(2))
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 && response.body().equals("ok");
        } catch (IOException e) {
            return false; // not listening yet
        }
    }

    private HttpClient clientOnceCaExists() {
        Path ca = caCert();
        if (!Files.isRegularFile(ca)) {
            return null;
        }
        try {
            return ApiClient.newHttpClient(ApiClient.trusting(ca), Duration.ofSeconds(1));
        } catch (IOException | UncheckedIOException | java.security.GeneralSecurityException e) {
            return null; // being written
        }
    }

    /** SIGTERM by PID, then waits for the exit; returns how long the stop took. */
    Duration stop() throws InterruptedException {
        if (stopped) {
            return Duration.ZERO;
        }
        stopped = true;
        long start = System.nanoTime();
        process.destroy(); // SIGTERM
        if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            System.out.println("  the API server (pid " + process.pid() + ") did not stop in "
                    + STOP_TIMEOUT.toSeconds() + " s after SIGTERM; killing it");
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        RUNNING.remove(process);
        stopOrphanedPostgres();
        return took;
    }

    /**
     * The API server stops its PostgreSQL as it shuts down. If the postmaster is still there once the server has
     * exited, the harness gives it 10 s to go, then stops it (the harness started it, through the server).
     */
    private void stopOrphanedPostgres() throws InterruptedException {
        if (postmaster.isEmpty()) {
            return;
        }
        long pid = postmaster.getAsLong();
        var handle = ProcessHandle.of(pid);
        if (handle.isEmpty()) {
            return;
        }
        long start = System.nanoTime();
        while (running(pid) && System.nanoTime() - start < POSTGRES_GRACE.toNanos()) {
            Thread.sleep(10);
        }
        if (!running(pid)) {
            postgresLingered = Duration.ofNanos(System.nanoTime() - start);
            return;
        }
        System.out.println("  PostgreSQL (pid " + postmaster.getAsLong() + ") was still running "
                + POSTGRES_GRACE.toSeconds() + " s after the API server exited; stopping it");
        postgresLingered = POSTGRES_GRACE;
        orphaned = true;
        handle.get().destroy();
        for (int i = 0; i < 100 && handle.get().isAlive(); i++) {
            Thread.sleep(100);
        }
        if (handle.get().isAlive()) {
            handle.get().destroyForcibly();
        }
    }

    /**
     * Whether pid runs: an exited postmaster stays a zombie until init reaps it (pg_ctl started it, so init is
     * its parent), which {@link ProcessHandle#isAlive} counts as alive.
     */
    private static boolean running(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.UTF_8);
            return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** How long PostgreSQL outlived the API server's process after the last stop. */
    Duration postgresLingered() {
        return postgresLingered;
    }

    /** Whether the harness had to stop PostgreSQL itself. */
    boolean orphaned() {
        return orphaned;
    }

    @Override
    public void close() {
        try {
            stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            RUNNING.remove(process);
        }
    }

    long pid() {
        return process.pid();
    }

    int exitValue() {
        return process.isAlive() ? -1 : process.exitValue();
    }

    OptionalLong postmaster() {
        return postmaster;
    }

    Path dataDir() {
        return dataDir;
    }

    Path caCert() {
        return dataDir.resolve("pki").resolve("ca.crt");
    }

    Path log() {
        return log;
    }

    ApiTarget target() throws IOException {
        String token = Files.readString(dataDir.resolve("admin-token"), StandardCharsets.UTF_8)
                .trim();
        return new ApiTarget(
                URI.create("https://127.0.0.1:" + port), caCert(), token, OptionalLong.of(pid()), postmaster);
    }

    /** The last "started in N.NNNs" that Quarkus logged, in milliseconds, or -1. */
    long quarkusStartedInMillis() {
        try {
            Matcher m = STARTED_IN.matcher(Files.readString(log, StandardCharsets.UTF_8));
            long last = -1;
            while (m.find()) {
                last = Math.round(Double.parseDouble(m.group(1)) * 1000);
            }
            return last;
        } catch (IOException | UncheckedIOException e) {
            return -1;
        }
    }

    /**
     * When the server logged that the Kubernetes API listens, in milliseconds after launch (log timestamps have
     * millisecond resolution and the machine's time zone), or -1.
     */
    long listeningMillis() {
        try {
            Matcher m = LISTENING.matcher(Files.readString(log, StandardCharsets.UTF_8));
            long found = -1;
            while (m.find()) {
                Instant at = LocalDateTime.parse(m.group(1), LOG_TIME)
                        .atZone(ZoneId.systemDefault())
                        .toInstant();
                found = Duration.between(launchedWall, at).toMillis();
            }
            return found;
        } catch (IOException | UncheckedIOException | DateTimeException e) {
            return -1;
        }
    }

    private OptionalLong postmasterPid() {
        return postmasterPid(dataDir.resolve("postgres"));
    }

    /** The first line of PostgreSQL's postmaster.pid in {@code pgData}. */
    static OptionalLong postmasterPid(Path pgData) {
        try {
            List<String> lines = Files.readAllLines(pgData.resolve("postmaster.pid"), StandardCharsets.UTF_8);
            return lines.isEmpty()
                    ? OptionalLong.empty()
                    : OptionalLong.of(Long.parseLong(lines.get(0).trim()));
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    private static void requireFree(int port) throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress("127.0.0.1", port));
        } catch (IOException e) {
            throw new IOException(
                    "port " + port + " is taken (is './capstan up' running? './capstan down' stops" + " it)", e);
        }
    }
}
