package dev.capstan.node.streams;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capstan.node.runtime.cri.TestPodNetwork;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The fabric8 client's exec and port-forward (v4 channels) against the agent, through {@link ApiFront}, the
 * byte-for-byte relay standing in for the API server.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class Fabric8StreamsIT {
    private StreamsTestPod world;
    private ApiFront front;
    private KubernetesClient client;

    @BeforeAll
    void start() throws Exception {
        world = new StreamsTestPod(
                "capstan-fabric8-it",
                new TestPodNetwork.Names("capstantest3", "10.244.253.0/24", "capstan_test_guard3"));
        front = new ApiFront(world.vertx, ApiFront.discoveryAndPod(), world.port, StreamsTestPod.TOKEN);
        client = new KubernetesClientBuilder()
                // Config.empty(): nothing from the developer's KUBECONFIG, ~/.kube or environment (its CA would win)
                .withConfig(new ConfigBuilder(Config.empty())
                        .withMasterUrl("http://127.0.0.1:" + front.port())
                        .withNamespace("default")
                        .build())
                .build();
    }

    @AfterAll
    void stop() throws Exception {
        if (client != null) {
            client.close();
        }
        if (front != null) {
            front.close();
        }
        if (world != null) {
            world.close();
        }
    }

    @Test
    void execGivesStdoutStderrAndTheExitCode() throws Exception {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        try (var watch = client.pods()
                .withName("web")
                .inContainer("httpd")
                .writingOutput(out)
                .writingError(err)
                .exec("sh", "-c", "echo out; echo err >&2; exit 3")) {
            assertThat(watch.exitCode().get(30, TimeUnit.SECONDS)).isEqualTo(3);
        }
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("out\n");
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("err\n");
    }

    @Test
    void execWithStdinEchoes() throws Exception {
        var out = new ByteArrayOutputStream();
        try (var watch = client.pods()
                .withName("web")
                .inContainer("httpd")
                .redirectingInput()
                .writingOutput(out)
                .exec("sh", "-c", "read line; echo got $line")) {
            watch.getInput().write("hi\n".getBytes(StandardCharsets.UTF_8));
            watch.getInput().flush();
            assertThat(watch.exitCode().get(30, TimeUnit.SECONDS)).isZero();
        }
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("got hi\n");
    }

    @Test
    void portForwardReachesHttpd() throws Exception {
        try (var forward = client.pods().withName("web").portForward(8080)) {
            var http = HttpClient.newBuilder()
                    .proxy(HttpClient.Builder.NO_PROXY)
                    .connectTimeout(Duration.ofSeconds(5))
                    .build();
            for (int i = 0; i < 3; i++) { // a WebSocket (and a CRI PortForward) per connection
                var response = http.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + forward.getLocalPort() + "/hostname"))
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(response.body()).isEqualTo("web\n");
            }
            assertThat(forward.errorOccurred()).isFalse();
        }
    }
}
