package dev.capstan.node.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.capstan.node.logs.ContainerLogs;
import dev.capstan.node.logs.LogFixtures;
import dev.capstan.node.runtime.ContainerState;
import dev.capstan.node.runtime.FakeContainerRuntime;
import dev.capstan.node.streams.StreamingHandler;
import io.vertx.core.Vertx;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The endpoint over real TLS on 127.0.0.1, with a client that trusts only the agent's own certificate. */
class KubeletServerTest {
    private static final String TOKEN = "s3cret-token";

    @TempDir
    static Path dir;

    private static Vertx vertx;
    private static KubeletServer server;
    private static HttpClient client;
    private static int port;
    private static Path log;
    private static final AtomicBoolean RUNNING = new AtomicBoolean(true);
    /** How often the endpoint asked whether the container runs. */
    private static final AtomicInteger CHECKS = new AtomicInteger();

    @BeforeAll
    static void start() throws Exception {
        var certificate = ServingCertificate.ensure(dir.resolve("pki"), "node-1", List.of());
        assertThat(Files.getPosixFilePermissions(certificate.key()).toString()).isEqualTo("[OWNER_READ, OWNER_WRITE]");
        // a second start keeps the certificate
        assertThat(ServingCertificate.ensure(dir.resolve("pki"), "node-1", List.of()))
                .isEqualTo(certificate);
        log = Files.writeString(dir.resolve("0.log"), """
                2026-12-06T07:00:00Z stdout F hello
                2026-12-06T07:00:01Z stderr F world
                """);
        var pods = LogFixtures.pods(
                LogFixtures.pod(null),
                List.of(LogFixtures.attempt("c0", 0, ContainerState.RUNNING, log.toString())),
                id -> {
                    CHECKS.incrementAndGet();
                    return id.equals("c0") && RUNNING.get();
                });
        vertx = Vertx.vertx();
        server = new KubeletServer(
                vertx,
                List.of("127.0.0.1"),
                0,
                certificate,
                TOKEN,
                pods,
                new ContainerLogs(Clock.systemUTC(), Duration.ofMillis(20)),
                new StreamingHandler(vertx, new FakeContainerRuntime(), pods, pod -> Optional.empty()));
        port = server.start();
        client = HttpClient.newBuilder()
                .sslContext(trusting(certificate.certificate()))
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void everyRequestNeedsTheToken() throws Exception {
        assertThat(get("/containerLogs/default/web/app", null).statusCode()).isEqualTo(401);
        assertThat(get("/containerLogs/default/web/app", "Basic eDp5").statusCode())
                .isEqualTo(401);
        var wrong = get("/containerLogs/default/web/app", "Bearer " + TOKEN + "x");
        assertThat(wrong.statusCode()).isEqualTo(403);
        assertThat(wrong.body()).isEqualTo("Forbidden");
        assertThat(get("/nothing", "Bearer nope").statusCode()).isEqualTo(403);
        assertThat(get("/nothing", "Bearer " + TOKEN).statusCode()).isEqualTo(404);
    }

    @Test
    void servesTheLog() throws Exception {
        var response = get("/containerLogs/default/web/app", "Bearer " + TOKEN);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("hello\nworld\n");
        assertThat(get("/containerLogs/default/web/app?tailLines=1&timestamps=true", "Bearer " + TOKEN)
                        .body())
                .isEqualTo("2026-12-06T07:00:01Z world\n");
        assertThat(get("/containerLogs/default/web/app?limitBytes=3", "Bearer " + TOKEN)
                        .body())
                .isEqualTo("hel");
    }

    @Test
    void badRequestsAndUnknownPodsAndContainers() throws Exception {
        var bad = get("/containerLogs/default/web/app?tailLines=x", "Bearer " + TOKEN);
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).isEqualTo("tailLines: cannot parse \"x\" as an integer");
        var invalid = get("/containerLogs/default/web/app?tailLines=-1", "Bearer " + TOKEN);
        assertThat(invalid.statusCode()).isEqualTo(400);
        assertThat(invalid.body())
                .isEqualTo("invalid log options: tailLines: Invalid value: -1: must be greater than or equal to 0");
        var noPod = get("/containerLogs/default/db/app", "Bearer " + TOKEN);
        assertThat(noPod.statusCode()).isEqualTo(404);
        assertThat(noPod.body()).isEqualTo("pod \"db\" does not exist");
        var noContainer = get("/containerLogs/default/web/side", "Bearer " + TOKEN);
        assertThat(noContainer.statusCode()).isEqualTo(404);
        assertThat(noContainer.body()).isEqualTo("container \"side\" not found in pod \"web\"");
        var noPrevious = get("/containerLogs/default/web/app?previous=true", "Bearer " + TOKEN);
        assertThat(noPrevious.statusCode()).isEqualTo(400);
        assertThat(noPrevious.body()).isEqualTo("previous terminated container \"app\" in pod \"web\" not found");
    }

    @Test
    void followStreamsLinesUntilTheContainerStops() throws Exception {
        RUNNING.set(true);
        var request = HttpRequest.newBuilder(uri("/containerLogs/default/web/app?follow=true&tailLines=1"))
                .header("Authorization", "Bearer " + TOKEN)
                .build();
        HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        List<String> lines = new CopyOnWriteArrayList<>();
        Thread reader = Thread.ofVirtual().start(() -> {
            try (var in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    lines.add(line);
                }
                lines.add("<end>");
            } catch (java.io.IOException e) {
                lines.add("<error " + e.getMessage() + ">");
            }
        });
        await().atMost(Duration.ofSeconds(5)).until(() -> lines.equals(List.of("world")));
        Files.writeString(log, "2026-12-06T07:00:02Z stdout F again\n", StandardOpenOption.APPEND);
        await().atMost(Duration.ofSeconds(5)).until(() -> lines.equals(List.of("world", "again")));
        RUNNING.set(false);
        reader.join(Duration.ofSeconds(5));
        assertThat(lines).containsExactly("world", "again", "<end>");
    }

    @Test
    void aClientThatGoesEndsTheFollowing() throws Exception {
        RUNNING.set(true);
        var request = HttpRequest.newBuilder(uri("/containerLogs/default/web/app?follow=true"))
                .header("Authorization", "Bearer " + TOKEN)
                .build();
        HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body().read()).isNotEqualTo(-1);
        await().atMost(Duration.ofSeconds(5)).until(() -> CHECKS.get() > 0);
        response.body().close();
        Thread.sleep(1500); // the reader asks at least once a second while it follows
        int after = CHECKS.get();
        Thread.sleep(2500);
        assertThat(CHECKS.get()).isEqualTo(after);
    }

    @Test
    void aClientThatDoesNotTrustTheCertificateIsRefused() {
        var untrusting = HttpClient.newHttpClient();
        var request = HttpRequest.newBuilder(uri("/containerLogs/default/web/app"))
                .header("Authorization", "Bearer " + TOKEN)
                .build();
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> untrusting.send(request, HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(SSLHandshakeException.class);
    }

    private static HttpResponse<String> get(String path, String authorization) throws Exception {
        var request = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static URI uri(String path) {
        return URI.create("https://127.0.0.1:" + port + path);
    }

    private static SSLContext trusting(Path pem) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(pem)) {
            trust.setCertificateEntry(
                    "kubelet", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        var factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }
}
