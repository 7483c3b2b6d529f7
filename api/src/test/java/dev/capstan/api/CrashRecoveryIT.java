package dev.capstan.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged server, started by {@code ./capstan up} on a state directory of its own: PostgreSQL killed under it
 * comes back by itself, and the server killed mid-write comes back with {@code ./capstan up} alone.
 * The jar is the one {@code package} built; the script is told not to build ({@code CAPSTAN_NO_BUILD=1}).
 */
class CrashRecoveryIT {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final ObjectMapper JSON = new ObjectMapper();

    private Path state;
    private int port;
    private String javaOpts;
    private int grpcPort;
    private HttpClient client;
    private String token;

    @Test
    void recoversFromKill9OfPostgresAndOfTheApiServer(@TempDir Path tmp) throws Exception {
        state = tmp.resolve("state");
        port = freePort();
        javaOpts = "-Dquarkus.http.port=" + freePort();
        grpcPort = freePort();
        List<Long> started = new ArrayList<>(); // API servers and postmasters to end if the test fails half-way
        try {
            capstan("up");
            started.add(apiServerPid());
            token = Files.readString(state.resolve("data/admin-token")).trim();
            client = HttpClient.newBuilder().sslContext(trustingCa()).build();

            postmasterKilledWhileServing(started);
            apiServerKilledMidWrite(started);
        } finally {
            try {
                capstan("down");
            } finally {
                for (long pid : started) {
                    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
                }
            }
        }
    }

    private void postmasterKilledWhileServing(List<Long> started) throws Exception {
        createNamespace("watched");
        createNamespace("doomed");
        for (int i = 0; i < 100; i++) {
            assertThat(create("doomed", "content-" + i)).isEqualTo(201);
        }
        long from = Long.parseLong(get("/api/v1/namespaces/watched/configmaps")
                .path("metadata")
                .path("resourceVersion")
                .asText());
        Map<String, Integer> seen = new ConcurrentHashMap<>();
        AtomicInteger rewatches = new AtomicInteger();
        AtomicBoolean stop = new AtomicBoolean();
        Thread watcher = Thread.ofVirtual().start(() -> watch("watched", from, seen, rewatches, stop));

        Set<String> written = ConcurrentHashMap.newKeySet();
        for (int i = 0; i < 20; i++) {
            assertThat(create("watched", "before-" + i)).isEqualTo(201);
            written.add("before-" + i);
        }
        assertThat(send("DELETE", "/api/v1/namespaces/doomed", null).statusCode())
                .isBetween(200, 202);
        long postmaster = postmasterPid();
        started.add(postmaster);
        ProcessHandle.of(postmaster).orElseThrow().destroyForcibly(); // kill -9
        long killed = System.nanoTime();

        // /readyz answers promptly (false while PostgreSQL is away, not a hang)
        HttpResponse<String> ready = send("GET", "/readyz", null);
        assertThat(Duration.ofNanos(System.nanoTime() - killed)).isLessThan(Duration.ofSeconds(5));
        assertThat(ready.statusCode()).isIn(200, 500, 503);

        int status = 0;
        for (int i = 0; status != 201; i++) {
            assertThat(Duration.ofNanos(System.nanoTime() - killed))
                    .as("writes fail for less than 10 s after kill -9 of PostgreSQL")
                    .isLessThan(Duration.ofSeconds(10));
            status = create("watched", "after-" + i);
            if (status == 201) {
                written.add("after-" + i);
            } else {
                Thread.sleep(100);
            }
        }
        started.add(postmasterPid());
        for (int i = 0; i < 20; i++) {
            assertThat(create("watched", "later-" + i)).isEqualTo(201);
            written.add("later-" + i);
        }
        await().atMost(Duration.ofSeconds(10))
                .until(() -> send("GET", "/readyz", null).body().equals("ok"));

        // The deletion interrupted by the outage completes by itself.
        await().atMost(Duration.ofSeconds(60))
                .until(() -> send("GET", "/api/v1/namespaces/doomed", null).statusCode() == 404);

        // The watch opened before the crash delivered every object once, in order of revision.
        await().atMost(Duration.ofSeconds(30)).until(() -> seen.keySet().containsAll(written));
        stop.set(true);
        assertThat(seen).allSatisfy((name, count) -> assertThat(count).as(name).isEqualTo(1));
        assertThat(rewatches.get()).as("times the watch had to be opened again").isZero();
        watcher.interrupt();
    }

    private void apiServerKilledMidWrite(List<Long> started) throws Exception {
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> writers = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            int writer = w;
            writers.add(Thread.ofVirtual().start(() -> {
                for (int i = 0; !stop.get(); i++) {
                    String name = "w" + writer + "-" + i;
                    try {
                        if (create("watched", name) == 201) {
                            acknowledged.add(name);
                        }
                    } catch (IOException e) {
                        return; // the server is gone
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }));
        }
        Thread.sleep(1500);
        long server = apiServerPid();
        long postmaster = postmasterPid();
        ProcessHandle.of(server).orElseThrow().destroyForcibly(); // kill -9, while the writers write
        assertThat(ProcessHandle.of(server)
                        .orElseThrow()
                        .onExit()
                        .get(30, TimeUnit.SECONDS)
                        .isAlive())
                .isFalse();
        stop.set(true);
        for (Thread writer : writers) {
            writer.join(Duration.ofSeconds(30));
        }
        assertThat(acknowledged).hasSizeGreaterThan(10);
        assertThat(ProcessHandle.of(postmaster).map(ProcessHandle::isAlive))
                .as("the killed server's PostgreSQL is left running (the case to recover from)")
                .contains(true);

        capstan("up"); // nothing else: no kill of the orphan, no removal of PID files
        started.add(apiServerPid());
        for (String name : acknowledged) {
            assertThat(send("GET", "/api/v1/namespaces/watched/configmaps/" + name, null)
                            .statusCode())
                    .as("acknowledged write %s", name)
                    .isEqualTo(200);
        }
        assertThat(ProcessHandle.of(postmaster).map(ProcessHandle::isAlive).orElse(false))
                .as("the orphaned postmaster was replaced")
                .isFalse();
    }

    private void watch(
            String namespace, long from, Map<String, Integer> seen, AtomicInteger rewatches, AtomicBoolean stop) {
        AtomicReference<String> last = new AtomicReference<>(Long.toString(from));
        while (!stop.get()) {
            try {
                HttpResponse<InputStream> response = client.send(
                        request(
                                        "GET",
                                        "/api/v1/namespaces/" + namespace + "/configmaps?watch=1&resourceVersion="
                                                + last.get(),
                                        null)
                                .build(),
                        HttpResponse.BodyHandlers.ofInputStream());
                try (Stream<String> lines = new java.io.BufferedReader(
                                new java.io.InputStreamReader(response.body(), StandardCharsets.UTF_8))
                        .lines()) {
                    lines.forEach(line -> {
                        try {
                            JsonNode event = JSON.readTree(line);
                            JsonNode meta = event.path("object").path("metadata");
                            if (event.path("type").asText().equals("ADDED")) {
                                seen.merge(meta.path("name").asText(), 1, Integer::sum);
                            }
                            last.set(meta.path("resourceVersion").asText());
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    });
                }
            } catch (IOException | RuntimeException e) {
                // ended: open it again from the last revision seen, as an informer would
            } catch (InterruptedException e) {
                return;
            }
            if (!stop.get()) {
                rewatches.incrementAndGet();
            }
        }
    }

    private void createNamespace(String name) throws Exception {
        assertThat(send("POST", "/api/v1/namespaces", "{\"metadata\":{\"name\":\"" + name + "\"}}")
                        .statusCode())
                .isEqualTo(201);
    }

    private int create(String namespace, String name) throws IOException, InterruptedException {
        return send(
                        "POST",
                        "/api/v1/namespaces/" + namespace + "/configmaps",
                        "{\"metadata\":{\"name\":\"" + name + "\"},\"data\":{\"k\":\"v\"}}")
                .statusCode();
    }

    private JsonNode get(String path) throws Exception {
        HttpResponse<String> response = send("GET", path, null);
        assertThat(response.statusCode()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private HttpResponse<String> send(String method, String path, String body)
            throws IOException, InterruptedException {
        return client.send(request(method, path, body).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder request(String method, String path, String body) {
        return HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + path))
                .timeout(path.contains("watch=1") ? Duration.ofMinutes(5) : Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    }

    private void capstan(String command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(ROOT.resolve("capstan").toString(), command)
                .directory(ROOT.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(Files.createDirectories(state)
                        .resolve("capstan-script.log")
                        .toFile()));
        Map<String, String> env = builder.environment();
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.put("CAPSTAN_STATE", state.toString());
        env.put("CAPSTAN_API_PORT", Integer.toString(port));
        env.put("CAPSTAN_AOT", "0");
        env.put("CAPSTAN_NO_BUILD", "1");
        env.put("CAPSTAN_JAVA_OPTS", javaOpts);
        env.put("CAPSTAN_GRPC_PORT", Integer.toString(grpcPort));
        // The API's own tests run before the scheduler and controller manager are built.
        env.put("CAPSTAN_API_ONLY", "1");
        Process script = builder.start();
        boolean finished = script.waitFor(3, TimeUnit.MINUTES);
        if (!finished) {
            script.destroyForcibly();
        }
        assertThat(finished && script.exitValue() == 0)
                .as(
                        "./capstan %s succeeded; its output and the server log:\n%s\n%s",
                        command, Files.readString(state.resolve("capstan-script.log")), serverLog())
                .isTrue();
    }

    private String serverLog() throws IOException {
        Path log = state.resolve("logs/apiserver.log");
        return Files.exists(log) ? Files.readString(log) : "(no server log)";
    }

    private long apiServerPid() throws IOException {
        return Long.parseLong(
                Files.readString(state.resolve("run/apiserver.pid")).trim());
    }

    private long postmasterPid() throws IOException {
        return Long.parseLong(Files.readAllLines(state.resolve("data/postgres/postmaster.pid"))
                .getFirst()
                .trim());
    }

    private SSLContext trustingCa() throws Exception {
        try (var in = Files.newInputStream(state.resolve("data/pki/ca.crt"))) {
            KeyStore keys = KeyStore.getInstance(KeyStore.getDefaultType());
            keys.load(null, null);
            keys.setCertificateEntry(
                    "ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(keys);
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, trust.getTrustManagers(), null);
            return ssl;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
