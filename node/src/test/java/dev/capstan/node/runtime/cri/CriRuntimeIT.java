package dev.capstan.node.runtime.cri;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.capstan.node.images.LocalImages;
import dev.capstan.node.runtime.ContainerConfig;
import dev.capstan.node.runtime.ContainerRuntimeException;
import dev.capstan.node.runtime.ContainerState;
import dev.capstan.node.runtime.ContainerStats;
import dev.capstan.node.runtime.ContainerStatus;
import dev.capstan.node.runtime.LinuxResources;
import dev.capstan.node.runtime.PodSandboxConfig;
import dev.capstan.node.runtime.SandboxState;
import dev.capstan.node.stats.NodeUsage;
import dev.capstan.node.stats.ResourceMetricsText;
import dev.capstan.node.stats.ResourceStatsCollector;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * CriRuntime on a real containerd that the test starts (ContainerdProcess) in a temporary directory, with the local
 * images imported and a pod network on a bridge of its own. Test traffic goes only to pod IPs on that bridge; a guard
 * rule drops anything from the pod CIDR leaving through another interface. Everything is removed at the end, and
 * checked to be gone. Without containerd (or root) it skips, except under CI, where it fails.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CriRuntimeIT {

    private static final String CASE_LABEL = ContainerdFixture.CASE_LABEL;

    private ContainerdFixture fixture;
    private CriRuntime runtime;
    private String busyboxId;

    @BeforeAll
    void startContainerd() throws IOException {
        fixture = ContainerdFixture.start("capstan-cri-it", TestPodNetwork.Names.CRI_IT);
        runtime = fixture.runtime();
        Path images = fixture.dir().resolve("images");
        assertThat(LocalImages.ensureImported(runtime, fixture.containerd().socket(), images))
                .containsExactly(LocalImages.BUSYBOX, LocalImages.PAUSE);
        assertThat(LocalImages.ensureImported(runtime, fixture.containerd().socket(), images))
                .as("a second import is skipped")
                .isEmpty();
        busyboxId = runtime.imageStatus(LocalImages.BUSYBOX).orElseThrow().id();
    }

    @AfterAll
    void stopContainerd() throws IOException {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void versionIsContainerdOnCriV1() {
        var version = runtime.version();
        assertThat(version.runtimeName()).isEqualTo("containerd");
        assertThat(version.runtimeApiVersion()).isEqualTo("v1");
    }

    @Test
    void podGetsAnIpServesHttpExecsAndLeavesNothingBehind() throws Exception {
        String testCase = "http-" + UUID.randomUUID().toString().substring(0, 8);
        var sandboxConfig = sandboxConfig("web", testCase);
        String sandbox = runtime.runPodSandbox(sandboxConfig);

        var sandboxStatus = runtime.podSandboxStatus(sandbox);
        assertThat(sandboxStatus.state()).isEqualTo(SandboxState.READY);
        assertThat(sandboxStatus.metadata().name()).isEqualTo("web");
        assertThat(sandboxStatus.ip()).startsWith("10.244.250.");
        assertThat(runtime.listPodSandboxes(Map.of(CASE_LABEL, testCase))).hasSize(1);

        var config = ContainerConfig.builder("httpd", LocalImages.BUSYBOX)
                .command("httpd", "-f", "-p", "8080", "-h", "/")
                .logPath("httpd.log")
                .label(CASE_LABEL, testCase)
                .build();
        String container = runtime.createContainer(sandbox, config, sandboxConfig);
        runtime.startContainer(container);
        ContainerStatus running = runtime.containerStatus(container);
        assertThat(running.state()).isEqualTo(ContainerState.RUNNING);
        assertThat(running.startedAt()).isNotNull();
        assertThat(running.imageRef()).isEqualTo(busyboxId);

        // Only to the pod IP on the test bridge, with the guard in place.
        assertThat(fixture.network().guardInstalled()).isTrue();
        var http = HttpClient.newBuilder()
                .proxy(HttpClient.Builder.NO_PROXY)
                .connectTimeout(Duration.ofSeconds(2))
                .build();
        var request = HttpRequest.newBuilder(URI.create("http://" + sandboxStatus.ip() + ":8080/etc/passwd"))
                .timeout(Duration.ofSeconds(5))
                .build();
        HttpResponse<String> response = await().atMost(Duration.ofSeconds(15))
                .pollInterval(Duration.ofMillis(100))
                .ignoreExceptions()
                .until(() -> http.send(request, HttpResponse.BodyHandlers.ofString()), r -> r.statusCode() == 200);
        assertThat(response.body()).startsWith("root:x:0:0:");

        var exit3 = runtime.execSync(container, List.of("sh", "-c", "exit 3"), Duration.ofSeconds(10));
        assertThat(exit3.exitCode()).isEqualTo(3);
        var hello = runtime.execSync(container, List.of("echo", "hello"), Duration.ofSeconds(10));
        assertThat(hello.exitCode()).isZero();
        assertThat(hello.stdoutText()).isEqualTo("hello\n");
        assertThat(runtime.exec(container, List.of("sh"), true, false).toString())
                .startsWith("http://127.0.0.1:");
        assertThat(runtime.portForward(sandbox, List.of(8080)).toString()).startsWith("http://127.0.0.1:");

        // httpd as PID 1 ignores SIGTERM: stopped by SIGKILL after the grace period.
        runtime.stopContainer(container, Duration.ofSeconds(1));
        ContainerStatus exited = runtime.containerStatus(container);
        assertThat(exited.state()).isEqualTo(ContainerState.EXITED);
        assertThat(exited.exitCode()).isEqualTo(137);
        assertThat(exited.finishedAt()).isAfterOrEqualTo(exited.startedAt());
        assertThat(fixture.dir().resolve("logs/web/httpd.log"))
                .as("CRI log file")
                .exists();

        runtime.removeContainer(container);
        runtime.stopPodSandbox(sandbox);
        runtime.stopPodSandbox(sandbox);
        runtime.removePodSandbox(sandbox);
        runtime.removePodSandbox(sandbox);
        assertThat(runtime.listContainers(null, Map.of(CASE_LABEL, testCase))).isEmpty();
        assertThat(runtime.listPodSandboxes(Map.of(CASE_LABEL, testCase))).isEmpty();
        Assertions.assertThrows(
                dev.capstan.node.runtime.ContainerRuntimeException.class, () -> runtime.podSandboxStatus(sandbox));
    }

    @Test
    void containerOverItsMemoryLimitIsOomKilled() throws Exception {
        String testCase = "oom-" + UUID.randomUUID().toString().substring(0, 8);
        var sandboxConfig = sandboxConfig("hog", testCase);
        String sandbox = runtime.runPodSandbox(sandboxConfig);
        try {
            var config = ContainerConfig.builder("hog", LocalImages.BUSYBOX)
                    // The string doubles until it no longer fits in 16 MiB.
                    .command("sh", "-c", "x=0123456789abcdef; while true; do x=$x$x; done")
                    .resources(LinuxResources.memoryLimit(16 * 1024 * 1024))
                    .logPath("hog.log")
                    .label(CASE_LABEL, testCase)
                    .build();
            String container = runtime.createContainer(sandbox, config, sandboxConfig);
            runtime.startContainer(container);
            ContainerStatus status = await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> runtime.containerStatus(container), s -> s.state() == ContainerState.EXITED);
            assertThat(status.reason()).isEqualTo("OOMKilled");
            assertThat(status.exitCode()).isEqualTo(137);
            runtime.removeContainer(container);
        } finally {
            runtime.stopPodSandbox(sandbox);
            runtime.removePodSandbox(sandbox);
        }
        assertThat(runtime.listContainers(null, Map.of(CASE_LABEL, testCase))).isEmpty();
        assertThat(runtime.listPodSandboxes(Map.of(CASE_LABEL, testCase))).isEmpty();
    }

    @Test
    void runningContainerHasCpuAndMemoryStatsThatTheResourceMetricsCarry() throws Exception {
        String testCase = "stats-" + UUID.randomUUID().toString().substring(0, 8);
        var sandboxConfig = sandboxConfig("busy", testCase);
        String sandbox = runtime.runPodSandbox(sandboxConfig);
        try {
            var config = ContainerConfig.builder("spin", LocalImages.BUSYBOX)
                    // a bounded burst of CPU, then idle: the cumulative CPU time stays above zero
                    .command("sh", "-c", "i=0; while [ $i -lt 300000 ]; do i=$((i+1)); done; exec sleep 3600")
                    .logPath("spin.log")
                    .label(CASE_LABEL, testCase)
                    .label("io.kubernetes.pod.namespace", "default")
                    .label("io.kubernetes.pod.name", "busy")
                    .label("io.kubernetes.pod.uid", sandboxConfig.metadata().uid())
                    .build();
            String container = runtime.createContainer(sandbox, config, sandboxConfig);
            runtime.startContainer(container);
            Instant started = Instant.now();

            ContainerStats stats = await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(200))
                    .until(
                            () -> runtime.listContainerStats().stream()
                                    .filter(s -> s.id().equals(container))
                                    .findFirst()
                                    .orElse(null),
                            s -> s != null && s.usage().usageCoreNanoSeconds().orElse(0) > 100_000_000L);
            assertThat(stats.metadata().name()).isEqualTo("spin");
            assertThat(stats.labels()).containsEntry("io.kubernetes.pod.name", "busy");
            assertThat(stats.usage().workingSetBytes().orElse(0)).isPositive();
            assertThat(stats.usage().timestamp())
                    .isAfter(started.minusSeconds(5))
                    .isBefore(Instant.now().plusSeconds(5));

            // containerd 1.6 may or may not implement ListPodSandboxStats: the collector copes either way
            try {
                var sandboxStats = runtime.listPodSandboxStats();
                System.out.println("ListPodSandboxStats: " + sandboxStats.size() + " sandbox(es), busy: "
                        + sandboxStats.stream()
                                .filter(s -> s.id().equals(sandbox))
                                .findFirst()
                                .map(s -> s.usage()));
            } catch (ContainerRuntimeException e) {
                System.out.println("ListPodSandboxStats unavailable: " + e.getMessage());
            }

            var collector = new ResourceStatsCollector(
                    runtime,
                    (namespace, name, uid) -> name.equals("busy"),
                    new NodeUsage(Path.of("/proc"), java.time.Clock.systemUTC()));
            String text = ResourceMetricsText.render(collector.collect());
            assertThat(text)
                    .contains("\nresource_scrape_error 0\n")
                    .containsPattern("\ncontainer_cpu_usage_seconds_total\\{container=\"spin\",namespace=\"default\","
                            + "pod=\"busy\"} (?:0\\.[1-9][0-9]*|[1-9][0-9.e+]*) \\d{13}\n")
                    .containsPattern("\ncontainer_memory_working_set_bytes\\{container=\"spin\",namespace=\"default\","
                            + "pod=\"busy\"} [1-9][0-9.e+]* \\d{13}\n")
                    .containsPattern(
                            "\npod_cpu_usage_seconds_total\\{namespace=\"default\",pod=\"busy\"} [0-9.e+]+ \\d{13}\n")
                    .containsPattern("\nnode_cpu_usage_seconds_total [1-9][0-9.e+]* \\d{13}\n");
            runtime.stopContainer(container, Duration.ZERO);
            runtime.removeContainer(container);
        } finally {
            runtime.stopPodSandbox(sandbox);
            runtime.removePodSandbox(sandbox);
        }
        assertThat(runtime.listContainers(null, Map.of(CASE_LABEL, testCase))).isEmpty();
    }

    private PodSandboxConfig sandboxConfig(String name, String testCase) throws IOException {
        return fixture.sandboxConfig(name, testCase);
    }
}
