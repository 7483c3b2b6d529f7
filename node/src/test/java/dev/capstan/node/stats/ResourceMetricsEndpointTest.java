package dev.capstan.node.stats;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capstan.node.logs.ContainerLogs;
import dev.capstan.node.logs.LogFixtures;
import dev.capstan.node.runtime.ContainerConfig;
import dev.capstan.node.runtime.FakeContainerRuntime;
import dev.capstan.node.runtime.PodMetadata;
import dev.capstan.node.runtime.PodSandboxConfig;
import dev.capstan.node.runtime.ResourceUsage;
import dev.capstan.node.server.KubeletServer;
import dev.capstan.node.server.ServingCertificate;
import dev.capstan.node.streams.StreamingHandler;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GET /metrics/resource on the agent's HTTPS endpoint, behind its token, with a running pod of the fake runtime. */
class ResourceMetricsEndpointTest {
    private static final String TOKEN = "metrics-token";

    @TempDir
    static Path dir;

    private static Vertx vertx;
    private static KubeletServer server;
    private static HttpClient client;
    private static int port;

    @BeforeAll
    static void start() throws Exception {
        var runtime = new FakeContainerRuntime().addImage("busybox");
        var sandboxConfig = PodSandboxConfig.of(new PodMetadata("web", "default", "uid-1", 0), dir.toString());
        String sandbox = runtime.runPodSandbox(sandboxConfig);
        String container = runtime.createContainer(
                sandbox,
                ContainerConfig.builder("app", "busybox")
                        .label(ResourceStatsCollector.POD_NAMESPACE, "default")
                        .label(ResourceStatsCollector.POD_NAME, "web")
                        .label(ResourceStatsCollector.POD_UID, "uid-1")
                        .build(),
                sandboxConfig);
        runtime.startContainer(container);
        runtime.usage(
                container,
                new ResourceUsage(
                        Instant.ofEpochMilli(1_796_544_000_123L),
                        OptionalLong.of(1_500_000_000L),
                        OptionalLong.empty(),
                        OptionalLong.of(2048)));
        var collector = new ResourceStatsCollector(
                runtime,
                (namespace, name, uid) -> uid.equals("uid-1"),
                new NodeUsage(Path.of("/proc"), Clock.systemUTC()));

        var certificate = ServingCertificate.ensure(dir.resolve("pki"), "node-1", List.of());
        vertx = Vertx.vertx();
        server = new KubeletServer(
                        vertx,
                        List.of("127.0.0.1"),
                        0,
                        certificate,
                        TOKEN,
                        LogFixtures.pods(LogFixtures.pod(null), List.of(), id -> false),
                        new ContainerLogs(Clock.systemUTC(), Duration.ofMillis(20)),
                        new StreamingHandler(
                                vertx,
                                new FakeContainerRuntime(),
                                LogFixtures.pods(LogFixtures.pod(null), List.of(), id -> false),
                                pod -> java.util.Optional.empty()))
                .route(ResourceMetricsHandler.PATH, new ResourceMetricsHandler(collector));
        port = server.start();
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (var in = java.nio.file.Files.newInputStream(certificate.certificate())) {
            trust.setCertificateEntry(
                    "kubelet", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        var factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, factory.getTrustManagers(), null);
        client = HttpClient.newBuilder().sslContext(ssl).build();
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static HttpResponse<String> get(String token) throws Exception {
        var request = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + ResourceMetricsHandler.PATH))
                .timeout(Duration.ofSeconds(10));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesTheResourceMetricsToTheTokensHolderOnly() throws Exception {
        assertThat(get(null).statusCode()).isEqualTo(401);
        assertThat(get("other").statusCode()).isEqualTo(403);
        var response = get(TOKEN);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue(ResourceMetricsText.CONTENT_TYPE);
        assertThat(response.body())
                .contains("\ncontainer_cpu_usage_seconds_total{container=\"app\",namespace=\"default\",pod=\"web\"}"
                        + " 1.5 1796544000123\n")
                .contains("\ncontainer_memory_working_set_bytes{container=\"app\",namespace=\"default\",pod=\"web\"}"
                        + " 2048 1796544000123\n")
                .containsPattern("\nnode_cpu_usage_seconds_total [0-9.e+]+ \\d{13}\n")
                .endsWith("\nscrape_error 0\n");
    }
}
