package dev.capstan.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.capstan.api.Kubectl;
import dev.capstan.client.ApiClient;
import dev.capstan.client.Kinds;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Unmodified kubectl against {@code ./capstan up --node}: logs, exec, cp and port-forward go from kubectl to the API
 * server, which sends them on to the node agent, which reads CRI log files or uses containerd's streaming server.
 * One pod serves them all; an OOM pod shows what the kernel did. Needs root, containerd and kubectl: skipped without
 * them on a developer's machine, failing under CI.
 */
class NodeStreamsIT {
    private static final NodeMachine NODE = new NodeMachine("10.246.0.0/16", "capstane2e2", "capstan_e2e_guard2");
    private static final String TOOLBOX = "toolbox";

    @TempDir
    static Path tmp;

    private static Cluster cluster;
    private static ApiClient api;
    private static Kubectl kubectl;
    private static final List<Process> started = new ArrayList<>();

    @BeforeAll
    static void up() throws Exception {
        Kubectl.require();
        NODE.guard("NodeStreamsIT");
        cluster = NODE.up(tmp);
        api = cluster.admin();
        kubectl = new Kubectl(cluster.kubeconfig());
        api.resources(Kinds.PODS)
                .create(new PodBuilder()
                        .withNewMetadata()
                        .withName(TOOLBOX)
                        .withNamespace("default")
                        .endMetadata()
                        .withNewSpec()
                        .withTerminationGracePeriodSeconds(1L)
                        .addToContainers(NodeMachine.busybox(
                                "ticker", "i=0; while true; do i=$((i+1)); echo tick $i; sleep 1; done"))
                        .addToContainers(NodeMachine.busybox(
                                "web",
                                "mkdir -p /www && echo forwarded > /www/index.html && exec httpd -f -p 8080 -h /www"))
                        .endSpec()
                        .build());
        NodeMachine.awaitPod(
                api,
                "default",
                TOOLBOX,
                p -> "Running".equals(p.getStatus().getPhase())
                        && p.getStatus().getContainerStatuses().stream()
                                .allMatch(s -> Boolean.TRUE.equals(s.getReady())));
    }

    @AfterAll
    static void down() throws Exception {
        try {
            for (Process process : started) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            if (cluster != null) {
                cluster.close();
            }
        } finally {
            NODE.unguard();
        }
    }

    private static Kubectl.Result ok(String... args) {
        Kubectl.Result result = kubectl.run(args);
        assertThat(result.exitCode())
                .as("kubectl %s: %s", String.join(" ", args), result.out())
                .isZero();
        return result;
    }

    private static Process start(String... args) throws Exception {
        Process process = kubectl.start(args);
        started.add(process);
        return process;
    }

    @Test
    void logsFollowTailAndNameTheContainer() throws Exception {
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(ok("logs", TOOLBOX, "-c", "ticker", "--tail=2")
                                .out()
                                .lines())
                        .hasSize(2)
                        .allMatch(l -> l.startsWith("tick ")));
        Kubectl.Result unnamed = kubectl.run("logs", TOOLBOX);
        assertThat(unnamed.out()).contains("Defaulted container \"ticker\" out of: ticker, web");
        Kubectl.Result unknown = kubectl.run("logs", TOOLBOX, "-c", "nosuch");
        assertThat(unknown.exitCode()).isNotZero();
        assertThat(unknown.out()).contains("container nosuch is not valid for pod toolbox");
        assertThat(ok("logs", TOOLBOX, "-c", "ticker", "--tail=1", "--timestamps")
                        .out())
                .matches("\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z tick \\d+\\n");

        // -f keeps the stream open: lines written after it started arrive through the API server.
        Process follow = start("logs", "-f", TOOLBOX, "-c", "ticker", "--tail=0");
        var reader = new BufferedReader(new InputStreamReader(follow.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<List<String>> lines = CompletableFuture.supplyAsync(() -> {
            List<String> read = new ArrayList<>();
            try {
                while (read.size() < 3) {
                    read.add(reader.readLine());
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return read;
        });
        assertThat(lines.get(20, TimeUnit.SECONDS)).allMatch(l -> l != null && l.startsWith("tick "));
        assertThat(follow.isAlive()).as("logs -f still follows").isTrue();
        follow.destroy();
    }

    @Test
    void execReturnsOutputAndExitCodesAndTakesStdin() throws Exception {
        Kubectl.Result failed =
                kubectl.run("exec", TOOLBOX, "-c", "web", "--", "sh", "-c", "echo out; echo err >&2; exit 3");
        assertThat(failed.exitCode()).isEqualTo(3);
        assertThat(failed.out()).contains("out", "err", "command terminated with exit code 3");
        assertThat(ok("exec", TOOLBOX, "-c", "web", "--", "cat", "/www/index.html")
                        .out())
                .isEqualTo("forwarded\n");
        Kubectl.Result echoed =
                kubectl.runWithInput("through stdin\n", "exec", "-i", TOOLBOX, "-c", "web", "--", "cat");
        assertThat(echoed.exitCode()).as(echoed.out()).isZero();
        assertThat(echoed.out()).isEqualTo("through stdin\n");
        // -it in a terminal (script(1) gives kubectl one): a TTY in the container, the exit code back
        Process tty = new ProcessBuilder(
                        "script",
                        "-qec",
                        "kubectl --kubeconfig " + cluster.kubeconfig() + " exec -it " + TOOLBOX
                                + " -c web -- sh -c 'tty; exit 5'",
                        "/dev/null")
                .redirectErrorStream(true)
                .start();
        started.add(tty);
        tty.getOutputStream().close();
        assertThat(tty.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(new String(tty.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                .contains("/dev/pts/", "command terminated with exit code 5");
        assertThat(tty.exitValue()).isEqualTo(5);
        Kubectl.Result missing = kubectl.run("exec", TOOLBOX, "-c", "web", "--", "/no/such/binary");
        assertThat(missing.exitCode()).isNotZero();
        Kubectl.Result wrong = kubectl.run("exec", TOOLBOX, "-c", "nosuch", "--", "true");
        assertThat(wrong.exitCode()).isNotZero();
        assertThat(wrong.out()).contains("container nosuch is not valid for pod toolbox");
    }

    @Test
    void fabric8sExecAndPortForwardGoThroughTheApiServerToo() throws Exception {
        var config = io.fabric8.kubernetes.client.Config.fromKubeconfig(Files.readString(cluster.kubeconfig()));
        try (var client = new io.fabric8.kubernetes.client.KubernetesClientBuilder()
                .withConfig(config)
                .build()) {
            var out = new java.io.ByteArrayOutputStream();
            try (var watch = client.pods()
                    .inNamespace("default")
                    .withName(TOOLBOX)
                    .inContainer("web")
                    .writingOutput(out)
                    .exec("sh", "-c", "cat /www/index.html; exit 4")) {
                assertThat(watch.exitCode().get(30, TimeUnit.SECONDS)).isEqualTo(4);
            }
            assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("forwarded\n");
            try (var forward =
                    client.pods().inNamespace("default").withName(TOOLBOX).portForward(8080)) {
                var response = HttpClient.newBuilder()
                        .proxy(HttpClient.Builder.NO_PROXY)
                        .build()
                        .send(
                                HttpRequest.newBuilder(URI.create(
                                                "http://127.0.0.1:" + forward.getLocalPort() + "/index.html"))
                                        .timeout(Duration.ofSeconds(10))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
                assertThat(response.body()).isEqualTo("forwarded\n");
            }
        }
    }

    @Test
    void cpCopiesAFileIntoThePodAndBack() throws Exception {
        Path local = tmp.resolve("upload.txt");
        Files.writeString(local, "copied both ways\n");
        ok("cp", local.toString(), "default/" + TOOLBOX + ":/tmp/upload.txt", "-c", "web");
        assertThat(ok("exec", TOOLBOX, "-c", "web", "--", "cat", "/tmp/upload.txt")
                        .out())
                .isEqualTo("copied both ways\n");
        Path back = tmp.resolve("back.txt");
        ok("cp", "default/" + TOOLBOX + ":/tmp/upload.txt", back.toString(), "-c", "web");
        assertThat(Files.readString(back)).isEqualTo("copied both ways\n");
    }

    @Test
    void portForwardCarriesHttpToThePod() throws Exception {
        Process forward = start("port-forward", "pod/" + TOOLBOX, ":8080", "--address", "127.0.0.1");
        var reader = new BufferedReader(new InputStreamReader(forward.getInputStream(), StandardCharsets.UTF_8));
        Pattern forwarding = Pattern.compile("Forwarding from 127\\.0\\.0\\.1:(\\d+) -> 8080");
        int port = CompletableFuture.supplyAsync(() -> {
                    try {
                        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                            Matcher m = forwarding.matcher(line);
                            if (m.find()) {
                                return Integer.parseInt(m.group(1));
                            }
                        }
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                    throw new AssertionError("port-forward ended without forwarding");
                })
                .get(30, TimeUnit.SECONDS);
        for (int i = 0; i < 3; i++) { // a client each: a new connection, so a new forwarded stream each time
            var response = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/index.html"))
                                    .timeout(Duration.ofSeconds(10))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("forwarded\n");
        }
        forward.destroy();
    }

    private static String nodeName() {
        return api.resources(Kinds.NODES)
                .list("", dev.capstan.client.ListOptions.ALL)
                .items()
                .getFirst()
                .getMetadata()
                .getName();
    }

    @Test
    void topShowsTheUsageOfTheNodeAndOfEachContainer() {
        String node = nodeName();
        // The first answer needs two scrapes of the agent's counters, as metrics-server's does.
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> assertThat(ok("top", "node").out())
                        .containsPattern("(?m)^" + Pattern.quote(node) + "\\s+\\d+m\\s+\\d+%\\s+\\d+Mi\\s+\\d+%"));
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> assertThat(
                                ok("top", "pod", TOOLBOX, "--containers").out())
                        .containsPattern("(?m)^toolbox\\s+ticker\\s+\\d+m\\s+\\d+Mi")
                        .containsPattern("(?m)^toolbox\\s+web\\s+\\d+m\\s+\\d+Mi"));
        Kubectl.Result missing = kubectl.run("top", "pod", "nosuch");
        assertThat(missing.exitCode()).isNotZero();
        assertThat(missing.out()).contains("pods \"nosuch\" not found");
    }

    @Test
    void aSidecarAndALocalVolumeLiveWithThePodAndPreStopRunsBeforeTheStop() throws Exception {
        Path disk = Files.createDirectories(tmp.resolve("disk"));
        String manifest = """
                apiVersion: v1
                kind: PersistentVolume
                metadata: {name: e2e-disk}
                spec:
                  capacity: {storage: 1Gi}
                  accessModes: [ReadWriteOnce]
                  persistentVolumeReclaimPolicy: Retain
                  storageClassName: local
                  local: {path: %s}
                  nodeAffinity:
                    required:
                      nodeSelectorTerms:
                      - matchExpressions:
                        - {key: kubernetes.io/hostname, operator: In, values: [%s]}
                ---
                apiVersion: v1
                kind: PersistentVolumeClaim
                metadata: {name: data, namespace: default}
                spec:
                  accessModes: [ReadWriteOnce]
                  storageClassName: local
                  resources: {requests: {storage: 100Mi}}
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: sidecar, namespace: default}
                spec:
                  terminationGracePeriodSeconds: 10
                  volumes: [{name: data, persistentVolumeClaim: {claimName: data}}]
                  initContainers:
                  - name: proxy
                    image: %s
                    restartPolicy: Always
                    command: [sh, -c, "trap 'echo proxy-term >> /data/log; exit 0' TERM; echo proxy-start >> /data/log; while true; do sleep 1; done"]
                    volumeMounts: [{name: data, mountPath: /data}]
                  containers:
                  - name: app
                    image: %s
                    command: [sh, -c, "trap 'echo app-term >> /data/log; exit 0' TERM; echo app-start >> /data/log; while true; do sleep 1; done"]
                    lifecycle:
                      preStop:
                        exec: {command: [sh, -c, "echo prestop >> /data/log"]}
                    volumeMounts: [{name: data, mountPath: /data}]
                """.formatted(disk, nodeName(), NodeMachine.IMAGE, NodeMachine.IMAGE);
        Kubectl.Result applied = kubectl.runWithInput(manifest, "apply", "-f", "-");
        assertThat(applied.exitCode()).as(applied.out()).isZero();
        NodeMachine.awaitPod(api, "default", "sidecar", p -> dev.capstan.model.pod.PodConditions.isReady(p));
        assertThat(ok("get", "pvc", "data").out()).containsPattern("data\\s+Bound\\s+e2e-disk");
        assertThat(ok("get", "pod", "sidecar").out()).containsPattern("sidecar\\s+2/2\\s+Running");
        ok("delete", "pod", "sidecar");
        assertThat(Files.readAllLines(disk.resolve("log")))
                .as("the sidecar starts first and stops last; the preStop hook runs before the container's signal")
                .containsExactly("proxy-start", "app-start", "prestop", "app-term", "proxy-term");
        ok("delete", "pvc", "data");
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(
                        () -> assertThat(ok("get", "pv", "e2e-disk").out()).contains("Released"));
    }

    @Test
    void aContainerOverItsMemoryLimitIsOomKilled() throws Exception {
        Pod pod = api.resources(Kinds.PODS)
                .create(new PodBuilder()
                        .withNewMetadata()
                        .withName("oom")
                        .withNamespace("default")
                        .endMetadata()
                        .withNewSpec()
                        .withRestartPolicy("Never")
                        .withTerminationGracePeriodSeconds(1L)
                        .addToContainers(new io.fabric8.kubernetes.api.model.ContainerBuilder(
                                        NodeMachine.busybox("eat", "exec dd if=/dev/zero of=/dev/null bs=100M count=1"))
                                .withNewResources()
                                .withLimits(Map.of("memory", new Quantity("20Mi")))
                                .endResources()
                                .build())
                        .endSpec()
                        .build());
        Pod failed = NodeMachine.awaitPod(
                api, "default", "oom", p -> "Failed".equals(p.getStatus().getPhase()));
        var terminated =
                failed.getStatus().getContainerStatuses().get(0).getState().getTerminated();
        assertThat(terminated.getReason()).isEqualTo("OOMKilled");
        assertThat(terminated.getExitCode()).isEqualTo(137);
        assertThat(ok("get", "pod", "oom").out()).contains("OOMKilled");
        NodeMachine.deleteFinishedAndAwaitCleanUp(api, cluster, failed);
    }
}
