package dev.capstan.node.streams;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capstan.node.runtime.cri.TestPodNetwork;
import java.io.IOException;
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
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * kubectl 1.32 itself (where installed) against the agent, through {@link ApiFront}, a byte-for-byte relay standing
 * in for the API server: exec with stdout, stderr and an exit code, stdin ended by kubectl (v5), cp both ways (tar
 * over exec), attach, and port-forward through the SPDY tunnel.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KubectlStreamsIT {
    private static final Path KUBECTL = Path.of("/usr/bin/kubectl");

    private StreamsTestPod world;
    private ApiFront front;
    private Path home;

    /** What a kubectl run gave. */
    record Run(int exit, String stdout, String stderr) {}

    @BeforeAll
    void start() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(KUBECTL), "kubectl is not installed");
        world = new StreamsTestPod(
                "capstan-kubectl-it",
                new TestPodNetwork.Names("capstantest2", "10.244.252.0/24", "capstan_test_guard2"));
        front = new ApiFront(world.vertx, ApiFront.discoveryAndPod(), world.port, StreamsTestPod.TOKEN);
        home = Files.createTempDirectory("capstan-kubectl-it");
        Files.writeString(home.resolve("kubeconfig"), """
                apiVersion: v1
                kind: Config
                clusters:
                - name: front
                  cluster:
                    server: http://127.0.0.1:%d
                contexts:
                - name: front
                  context: {cluster: front, namespace: default, user: nobody}
                users:
                - name: nobody
                  user: {}
                current-context: front
                """.formatted(front.port()));
    }

    @AfterAll
    void stop() throws Exception {
        if (front != null) {
            front.close();
        }
        if (world != null) {
            world.close();
        }
        if (home != null) {
            try (var paths = Files.walk(home)) {
                paths.sorted(java.util.Comparator.reverseOrder())
                        .forEach(p -> p.toFile().delete());
            }
        }
    }

    /** kubectl with {@code args}, or any command when the first argument is an absolute path (script, with kubectl). */
    private ProcessBuilder kubectl(String... args) {
        List<String> command = new ArrayList<>();
        if (!args[0].startsWith("/")) {
            command.add(KUBECTL.toString());
        }
        command.addAll(List.of(args));
        var builder = new ProcessBuilder(command).directory(home.toFile());
        builder.environment().put("KUBECONFIG", home.resolve("kubeconfig").toString());
        builder.environment().put("HOME", home.toString());
        builder.environment().put("KUBECACHEDIR", home.resolve("cache").toString());
        builder.environment().put("KUBECTL_REMOTE_COMMAND_WEBSOCKETS", "true");
        builder.environment().put("KUBECTL_PORT_FORWARD_WEBSOCKETS", "true");
        return builder;
    }

    private Run run(String stdin, String... args) throws Exception {
        Process process = kubectl(args).start();
        try (var in = process.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        }
        var out = process.getInputStream();
        var err = process.getErrorStream();
        var stdout = new java.util.concurrent.CompletableFuture<String>();
        var stderr = new java.util.concurrent.CompletableFuture<String>();
        Thread.ofVirtual().start(() -> stdout.complete(read(out)));
        Thread.ofVirtual().start(() -> stderr.complete(read(err)));
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("kubectl " + String.join(" ", args) + " did not end: " + stderr.getNow(""));
        }
        return new Run(process.exitValue(), stdout.get(5, TimeUnit.SECONDS), stderr.get(5, TimeUnit.SECONDS));
    }

    private static String read(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(" + e + ")";
        }
    }

    @Test
    void execPrintsBothStreamsAndExitsWithTheCommandsCode() throws Exception {
        Run run = run(null, "exec", "web", "-c", "httpd", "--", "sh", "-c", "echo out; echo err >&2; exit 3");
        assertThat(run.stdout()).isEqualTo("out\n");
        assertThat(run.stderr()).startsWith("err\n").contains("command terminated with exit code 3");
        assertThat(run.exit()).isEqualTo(3);
    }

    @Test
    void execInATerminalPassesItsSizeAndExitCode() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/script")), "script(1) gives kubectl a terminal");
        Process process = kubectl(
                        "/usr/bin/script",
                        "-qec",
                        "stty cols 100 rows 40; " + KUBECTL
                                + " exec -it web -c httpd -- sh -c 'sleep 1; stty size; exit 5'",
                        "/dev/null")
                .redirectErrorStream(true)
                .start();
        // stdin stays open: kubectl reads the terminal until the command ends. The sleep: containerd starts the
        // process as soon as the streams are set up, and kubectl sends its size only once connected (as upstream).
        String output = read(process.getInputStream());
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(output).contains("40 100\r\n").contains("command terminated with exit code 5");
        assertThat(process.exitValue()).isEqualTo(5);
        process.getOutputStream().close();
    }

    @Test
    void execWithStdinEndsWhenStdinEnds() throws Exception {
        Run run = run("hi\nthere\n", "exec", "-i", "web", "-c", "httpd", "--", "cat");
        assertThat(run).isEqualTo(new Run(0, "hi\nthere\n", ""));
    }

    @Test
    void cpCopiesIntoThePodAndBack() throws Exception {
        String content = "line\n".repeat(400_000); // 2 MB: many WebSocket and SPDY frames
        Files.writeString(home.resolve("up.txt"), content);
        Run up = run(null, "cp", "up.txt", "web:/tmp/up.txt", "-c", "httpd");
        assertThat(up.exit()).as(up.stderr()).isZero();
        Run check = run(null, "exec", "web", "-c", "httpd", "--", "wc", "-c", "/tmp/up.txt");
        assertThat(check.stdout().strip()).isEqualTo(content.length() + " /tmp/up.txt");
        Run down = run(null, "cp", "web:/tmp/up.txt", "down.txt", "-c", "httpd");
        assertThat(down.exit()).as(down.stderr()).isZero();
        assertThat(Files.readString(home.resolve("down.txt"))).isEqualTo(content);
    }

    @Test
    void attachRelaysStdinAndOutput() throws Exception {
        Run run = run("hi\n", "attach", "-i", "web", "-c", "talker");
        assertThat(run.stdout()).as(run.stderr()).contains("got hi");
        // the container exits 4; kubectl attach, as against upstream's kubelet on containerd, ends with 0
        assertThat(run.exit()).as(run.stderr()).isZero();
    }

    @Test
    void portForwardReachesHttpdThroughTheTunnel() throws Exception {
        Process process = kubectl("port-forward", "pod/web", ":8080").start();
        try {
            var out = new java.io.BufferedReader(
                    new java.io.InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine();
            assertThat(line)
                    .as(() -> "kubectl's first line; its stderr: " + read(process.getErrorStream()))
                    .isNotNull();
            Matcher m = Pattern.compile("Forwarding from 127\\.0\\.0\\.1:(\\d+) -> 8080")
                    .matcher(line);
            assertThat(m.find()).as(line).isTrue();
            var http = HttpClient.newBuilder()
                    .proxy(HttpClient.Builder.NO_PROXY)
                    .connectTimeout(Duration.ofSeconds(5))
                    .build();
            for (int i = 0; i < 3; i++) { // a connection each, over one tunnel
                var response = http.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + m.group(1) + "/hostname"))
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(response.body()).isEqualTo("web\n");
            }
        } finally {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    @Test
    void portForwardToAClosedPortShowsContainerdsError() throws Exception {
        Path errors = home.resolve("port-forward-9999.err");
        Process process = kubectl("port-forward", "pod/web", ":9999")
                .redirectError(errors.toFile())
                .start();
        try {
            String line = new java.io.BufferedReader(
                            new java.io.InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))
                    .readLine();
            Matcher m = Pattern.compile("Forwarding from 127\\.0\\.0\\.1:(\\d+) -> 9999")
                    .matcher(String.valueOf(line));
            assertThat(m.find()).as(line).isTrue();
            try (var socket = new java.net.Socket("127.0.0.1", Integer.parseInt(m.group(1)))) {
                socket.setSoTimeout(10_000);
                socket.getOutputStream().write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.UTF_8));
                int first;
                try {
                    first = socket.getInputStream().read();
                } catch (java.net.SocketException reset) {
                    first = -1;
                }
                assertThat(first).as("nothing comes back").isEqualTo(-1);
            }
            // containerd's message on the error stream, as kubectl reports it
            org.awaitility.Awaitility.await()
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> Files.readString(errors), text -> text.contains("an error occurred forwarding"));
            assertThat(Files.readString(errors)).contains("-> 9999").contains("connection refused");
        } finally {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
