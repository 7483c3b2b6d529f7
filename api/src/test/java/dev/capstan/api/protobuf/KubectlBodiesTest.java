package dev.capstan.api.protobuf;

import static dev.capstan.api.protobuf.Bodies.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.capstan.api.Kubectl;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Real bodies from kubectl 1.32: each decodes to the JSON kubectl would have sent. The fixtures in
 * kubectl/ were captured from kubectl against a loopback stub, the JSON from the same command with --dry-run=client
 * -o json (see kubectl/README.md); a live check runs the installed kubectl when there is one.
 */
class KubectlBodiesTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "autoscale",
                "can-i",
                "can-i-subresource",
                "clusterrole",
                "clusterrolebinding",
                "configmap",
                "cronjob",
                "deployment",
                "deployment-zero-replicas",
                "ingress",
                "job",
                "namespace",
                "pdb",
                "priorityclass",
                "quota",
                "role",
                "rolebinding",
                "secret-docker-registry",
                "secret-generic",
                "service",
                "service-nodeport",
                "serviceaccount",
                "token"
            })
    void capturedBodyDecodesToTheJsonKubectlWouldSend(String name) {
        byte[] body = fixture(name + ".pb");
        String expected = new String(fixture(name + ".json"), StandardCharsets.UTF_8);

        assertThat(ProtobufBodies.decode(body)).isEqualTo(json(expected));
    }

    @Test
    void installedKubectlBodiesDecodeToItsOwnJson(@TempDir Path dir) throws Exception {
        Path kubectl = Kubectl.require();
        BlockingQueue<Request> requests = new LinkedBlockingQueue<>();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            if (exchange.getRequestMethod().equals("POST")) {
                requests.add(new Request(exchange.getRequestHeaders().getFirst("Content-Type"), body));
            }
            // Answers everything (kubectl only asks GET /version first) with a 404 Status, which ends the command.
            byte[] status = "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"code\":404}"
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(404, status.length);
            exchange.getResponseBody().write(status);
            exchange.close();
        });
        server.start();
        try {
            Path kubeconfig = Files.createFile(dir.resolve("kubeconfig"));
            List<String> base = List.of(
                    kubectl.toString(),
                    "--kubeconfig=" + kubeconfig,
                    "--cache-dir=" + dir.resolve("cache"),
                    "--server=http://127.0.0.1:" + server.getAddress().getPort());
            List<List<String>> commands = List.of(
                    List.of("create", "configmap", "live", "--from-literal=a=b", "--from-literal=empty="),
                    List.of("create", "secret", "generic", "live", "--from-literal=token=s3cr3t"),
                    List.of("create", "deployment", "live", "--image=nginx:1.27", "--replicas=3", "--port=8080"),
                    List.of("create", "namespace", "live"),
                    List.of("create", "job", "live", "--image=busybox"));
            for (List<String> command : commands) {
                run(dir, concat(base, command));
                Request request = requests.poll(30, TimeUnit.SECONDS);
                assertThat(request).as("request from kubectl %s", command).isNotNull();
                assertThat(request.contentType()).isEqualTo(ProtobufBodies.MEDIA_TYPE);
                String dryRun = run(dir, concat(base, concat(command, List.of("--dry-run=client", "-o", "json"))));

                assertThat(ProtobufBodies.decode(request.body()))
                        .as("%s", command)
                        .isEqualTo(json(dryRun));
            }
        } finally {
            server.stop(0);
        }
    }

    private record Request(String contentType, byte[] body) {}

    /** Runs a command and returns its standard output; kubectl's exit status is ignored (the stub answers 404). */
    private static String run(Path dir, List<String> command) throws IOException, InterruptedException {
        Path out = Files.createTempFile(dir, "out", ".txt");
        Process process = new ProcessBuilder(command)
                .redirectOutput(out.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("timed out: " + command);
        }
        return Files.readString(out);
    }

    private static List<String> concat(List<String> first, List<String> second) {
        List<String> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }

    private static byte[] fixture(String name) {
        try (InputStream in = KubectlBodiesTest.class.getResourceAsStream("kubectl/" + name)) {
            assertThat(in).as("fixture %s", name).isNotNull();
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
