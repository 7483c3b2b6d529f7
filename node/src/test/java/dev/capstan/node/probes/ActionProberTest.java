package dev.capstan.node.probes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.capstan.node.probes.health.v1.HealthCheckRequest;
import dev.capstan.node.probes.health.v1.HealthCheckResponse;
import dev.capstan.node.probes.health.v1.HealthGrpc;
import dev.capstan.node.runtime.ContainerConfig;
import dev.capstan.node.runtime.ExecResult;
import dev.capstan.node.runtime.FakeContainerRuntime;
import dev.capstan.node.runtime.PodMetadata;
import dev.capstan.node.runtime.PodSandboxConfig;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The probe actions against real sockets on 127.0.0.1 (an HTTP server, a listener, a gRPC health server). */
class ActionProberTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final FakeContainerRuntime runtime = new FakeContainerRuntime().addImage("img");
    private final ActionProber prober = new ActionProber(runtime);
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private HttpServer http;

    @BeforeEach
    void startHttp() throws IOException {
        http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.createContext("/", exchange -> {
            requests.add(exchange.getRequestURI() + " "
                    + exchange.getRequestHeaders().getFirst("User-Agent") + " "
                    + exchange.getRequestHeaders().getFirst("X-Probe"));
            String path = exchange.getRequestURI().getPath();
            int code = path.startsWith("/status/") ? Integer.parseInt(path.substring(8)) : 200;
            if (path.equals("/moved")) {
                exchange.getResponseHeaders().add("Location", "/status/200");
                code = 302;
            } else if (path.equals("/away")) {
                exchange.getResponseHeaders().add("Location", "http://192.0.2.1/elsewhere");
                code = 302;
            }
            byte[] body = "ok".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(code, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        http.start();
    }

    @AfterEach
    void stopHttp() {
        http.stop(0);
    }

    private static Pod pod() {
        return new PodBuilder()
                .withNewMetadata()
                .withName("p")
                .withNamespace("default")
                .withUid("u")
                .endMetadata()
                .build();
    }

    private static Container container() {
        return new ContainerBuilder()
                .withName("app")
                .addNewPort()
                .withName("web")
                .withContainerPort(8080)
                .endPort()
                .addNewEnv()
                .withName("FILE")
                .withValue("/tmp/healthy")
                .endEnv()
                .build();
    }

    private Prober.Outcome probe(Probe spec) {
        return prober.probe(new Prober.Target(pod(), container(), "c1", "127.0.0.1"), spec, TIMEOUT);
    }

    private Probe httpGet(String path, int port) {
        return new ProbeBuilder()
                .withNewHttpGet()
                .withPath(path)
                .withPort(new IntOrString(port))
                .addNewHttpHeader("X-Probe", "yes")
                .endHttpGet()
                .build();
    }

    @Test
    void httpGetSucceedsFrom200To399AndFailsOtherwise() {
        int port = http.getAddress().getPort();
        assertThat(probe(httpGet("/healthz", port))).isEqualTo(Prober.Outcome.success("ok"));
        assertThat(requests).containsExactly("/healthz kube-probe/1.32 yes");
        assertThat(probe(httpGet("/status/399", port)).result()).isEqualTo(ProbeResult.SUCCESS);
        assertThat(probe(httpGet("/status/500", port)))
                .isEqualTo(Prober.Outcome.failure("HTTP probe failed with statuscode: 500"));
        assertThat(probe(httpGet("/status/404", port)).result()).isEqualTo(ProbeResult.FAILURE);
    }

    @Test
    void httpGetFollowsRedirectsOnTheSameHostOnly() {
        int port = http.getAddress().getPort();
        assertThat(probe(httpGet("/moved", port))).isEqualTo(Prober.Outcome.success("ok"));
        var away = probe(httpGet("/away", port));
        assertThat(away.result()).isEqualTo(ProbeResult.SUCCESS);
        assertThat(away.warning()).isTrue();
        assertThat(away.output()).isEqualTo("Probe terminated redirects, Response body: ok");
    }

    @Test
    void aRefusedConnectionFailsWithGosMessage() throws IOException {
        int closed = freePort();
        assertThat(probe(httpGet("/", closed)).output())
                .isEqualTo("Get \"http://127.0.0.1:" + closed + "/\": dial tcp 127.0.0.1:" + closed
                        + ": connect: connection refused");
        Probe tcp = new ProbeBuilder()
                .withNewTcpSocket()
                .withPort(new IntOrString(closed))
                .endTcpSocket()
                .build();
        assertThat(probe(tcp))
                .isEqualTo(Prober.Outcome.failure("dial tcp 127.0.0.1:" + closed + ": connect: connection refused"));
    }

    @Test
    void tcpSocketSucceedsWhenSomethingListens() {
        Probe tcp = new ProbeBuilder()
                .withNewTcpSocket()
                .withPort(new IntOrString(http.getAddress().getPort()))
                .endTcpSocket()
                .build();
        assertThat(probe(tcp)).isEqualTo(Prober.Outcome.success(""));
    }

    @Test
    void portNamesResolveToTheContainersPorts() {
        assertThat(ActionProber.resolvePort(new IntOrString("web"), container()))
                .isEqualTo(8080);
        assertThat(ActionProber.resolvePort(new IntOrString(80), container())).isEqualTo(80);
        assertThatThrownBy(() -> ActionProber.resolvePort(new IntOrString("db"), container()))
                .isInstanceOf(Prober.ProbeException.class)
                .hasMessage("port \"db\" not found");
        assertThatThrownBy(() -> ActionProber.resolvePort(new IntOrString(70000), container()))
                .hasMessage("invalid port number: 70000");
    }

    @Test
    void execRunsTheCommandWithLiteralEnvAndExitZeroIsSuccess() {
        String id = runningContainer();
        List<List<String>> commands = new CopyOnWriteArrayList<>();
        runtime.onExec(command -> {
            commands.add(command);
            return command.contains("/tmp/healthy")
                    ? new ExecResult(
                            1, "".getBytes(StandardCharsets.UTF_8), "missing\n".getBytes(StandardCharsets.UTF_8))
                    : new ExecResult(0, "fine".getBytes(StandardCharsets.UTF_8), new byte[0]);
        });
        Probe exec = new ProbeBuilder()
                .withNewExec()
                .withCommand("cat", "$(FILE)")
                .endExec()
                .build();
        var outcome = prober.probe(new Prober.Target(pod(), container(), id, "127.0.0.1"), exec, TIMEOUT);
        assertThat(commands).containsExactly(List.of("cat", "/tmp/healthy"));
        assertThat(outcome).isEqualTo(Prober.Outcome.failure("missing\n"));
        Probe ok =
                new ProbeBuilder().withNewExec().withCommand("true").endExec().build();
        assertThat(prober.probe(new Prober.Target(pod(), container(), id, "127.0.0.1"), ok, TIMEOUT))
                .isEqualTo(Prober.Outcome.success("fine"));
    }

    @Test
    void grpcCallsTheHealthCheck() throws Exception {
        Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(new HealthGrpc.HealthImplBase() {
                    @Override
                    public void check(HealthCheckRequest request, StreamObserver<HealthCheckResponse> response) {
                        var status = request.getService().equals("db")
                                ? HealthCheckResponse.ServingStatus.NOT_SERVING
                                : HealthCheckResponse.ServingStatus.SERVING;
                        response.onNext(HealthCheckResponse.newBuilder()
                                .setStatus(status)
                                .build());
                        response.onCompleted();
                    }
                })
                .build()
                .start();
        try {
            int port = server.getPort();
            Probe healthy =
                    new ProbeBuilder().withNewGrpc().withPort(port).endGrpc().build();
            assertThat(probe(healthy)).isEqualTo(Prober.Outcome.success("service healthy"));
            Probe db = new ProbeBuilder()
                    .withNewGrpc()
                    .withPort(port)
                    .withService("db")
                    .endGrpc()
                    .build();
            assertThat(probe(db))
                    .isEqualTo(Prober.Outcome.failure("service unhealthy (responded with \"NOT_SERVING\")"));
        } finally {
            server.shutdownNow().awaitTermination();
        }
        int http1 = http.getAddress().getPort();
        Probe notGrpc =
                new ProbeBuilder().withNewGrpc().withPort(http1).endGrpc().build();
        assertThat(probe(notGrpc).result()).isEqualTo(ProbeResult.FAILURE);
    }

    private String runningContainer() {
        var sandboxConfig = new PodSandboxConfig(
                new PodMetadata("p", "default", "u", 0), "p", "/tmp", null, List.of(), Map.of(), Map.of(), "");
        String sandbox = runtime.runPodSandbox(sandboxConfig);
        String id = runtime.createContainer(
                sandbox, ContainerConfig.builder("app", "img").build(), sandboxConfig);
        runtime.startContainer(id);
        return id;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
