package dev.capstan.node.streams;

import dev.capstan.node.images.LocalImages;
import dev.capstan.node.logs.ContainerLogs;
import dev.capstan.node.logs.LogTarget;
import dev.capstan.node.runtime.ContainerConfig;
import dev.capstan.node.runtime.ContainerState;
import dev.capstan.node.runtime.ContainerStatus;
import dev.capstan.node.runtime.PodSandboxConfig;
import dev.capstan.node.runtime.cri.ContainerdFixture;
import dev.capstan.node.runtime.cri.CriRuntime;
import dev.capstan.node.runtime.cri.TestPodNetwork;
import dev.capstan.node.server.KubeletServer;
import dev.capstan.node.server.ServingCertificate;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The streaming ITs' world: a real containerd ({@link ContainerdFixture}) with one pod default/web (a busybox httpd
 * on :8080 serving /etc, and "talker", which reads a line from its stdin (stdinOnce), echoes it and exits 4; "echoer", cat with stdin), and the agent's
 * HTTPS endpoint (KubeletServer with the StreamingHandler) on 127.0.0.1 that knows that pod.
 */
final class StreamsTestPod implements AutoCloseable {
    static final String TOKEN = "streams-it-token";

    final ContainerdFixture fixture;
    final CriRuntime runtime;
    final Vertx vertx = Vertx.vertx();
    final String sandbox;
    final int port;
    private final Map<String, String> containers = new ConcurrentHashMap<>();
    private final KubeletServer server;
    private final StreamingHandler streams;

    StreamsTestPod(String name, TestPodNetwork.Names network) throws Exception {
        fixture = ContainerdFixture.start(name, network);
        runtime = fixture.runtime();
        LocalImages.ensureImported(
                runtime, fixture.containerd().socket(), fixture.dir().resolve("images"));
        String testCase = "streams-" + UUID.randomUUID().toString().substring(0, 8);
        PodSandboxConfig sandboxConfig = fixture.sandboxConfig("web", testCase);
        sandbox = runtime.runPodSandbox(sandboxConfig);
        start(
                sandboxConfig,
                ContainerConfig.builder("httpd", LocalImages.BUSYBOX)
                        .command("httpd", "-f", "-p", "8080", "-h", "/etc"));
        start(
                sandboxConfig,
                ContainerConfig.builder("talker", LocalImages.BUSYBOX)
                        .command("sh", "-c", "read line; echo got $line; exit 4")
                        .stdin(true)
                        .stdinOnce(true));
        start(
                sandboxConfig,
                ContainerConfig.builder("echoer", LocalImages.BUSYBOX)
                        .command("cat")
                        .stdin(true));
        var certificate = ServingCertificate.ensure(fixture.dir().resolve("pki"), "node-1", List.of());
        var pods = new Pods();
        streams = new StreamingHandler(vertx, runtime, pods, pod -> Optional.of(sandbox));
        server = new KubeletServer(
                vertx,
                List.of("127.0.0.1"),
                0,
                certificate,
                TOKEN,
                pods,
                new ContainerLogs(Clock.systemUTC(), Duration.ofMillis(50)),
                streams);
        port = server.start();
    }

    private void start(PodSandboxConfig sandboxConfig, ContainerConfig.Builder config) {
        String id = runtime.createContainer(
                sandbox, config.logPath(UUID.randomUUID() + ".log").build(), sandboxConfig);
        runtime.startContainer(id);
        containers.put(runtime.containerStatus(id).metadata().name(), id);
    }

    /** The pod as the API would show it. */
    static Pod pod() {
        return new PodBuilder()
                .withNewMetadata()
                .withNamespace("default")
                .withName("web")
                .withUid("uid-web")
                .endMetadata()
                .withNewSpec()
                .withNodeName("node-1")
                .addNewContainer()
                .withName("httpd")
                .withImage(LocalImages.BUSYBOX)
                .endContainer()
                .addNewContainer()
                .withName("talker")
                .withImage(LocalImages.BUSYBOX)
                .withStdin(true)
                .withStdinOnce(true)
                .endContainer()
                .addNewContainer()
                .withName("echoer")
                .withImage(LocalImages.BUSYBOX)
                .withStdin(true)
                .endContainer()
                .endSpec()
                .withNewStatus()
                .withPhase("Running")
                .endStatus()
                .build();
    }

    /** The test pod, its containers as they run in containerd. */
    private final class Pods implements LogTarget.Pods {
        @Override
        public Optional<Pod> pod(String namespace, String name) {
            return namespace.equals("default") && name.equals("web")
                    ? Optional.of(StreamsTestPod.pod())
                    : Optional.empty();
        }

        @Override
        public List<ContainerStatus> attempts(Pod pod, String container) {
            String id = containers.get(container);
            return id == null ? List.of() : List.of(runtime.containerStatus(id));
        }

        @Override
        public boolean running(String containerId) {
            return runtime.containerStatus(containerId).state() == ContainerState.RUNNING;
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        streams.close();
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Vert.x did not close", e);
        } finally {
            fixture.close();
        }
    }
}
