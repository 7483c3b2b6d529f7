package dev.capstan.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capstan.client.ApiClient;
import dev.capstan.client.ApiConnection;
import dev.capstan.client.GrpcApiClient;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A cluster of the packaged apps started as a user starts it, {@code ./capstan up}, on a state directory and ports of
 * its own, so that it runs beside a developer's cluster. Closing it runs {@code ./capstan down} and ends any process
 * the test started itself.
 */
final class Cluster implements AutoCloseable {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    private final Path state;
    private final int apiPort = freePort();
    private final int grpcPort = freePort();
    private final int schedulerPort = freePort();
    private final int controllersPort = freePort();
    private final List<ApiConnection> connections = new ArrayList<>();
    private final List<Process> extra = new ArrayList<>();

    private Cluster(Path state) {
        this.state = state;
    }

    /** Starts the cluster with {@code ./capstan up} and the given arguments, such as "--simulated-nodes", "3". */
    static Cluster up(Path tmp, String... args) throws Exception {
        Cluster cluster = new Cluster(tmp.resolve("state"));
        try {
            cluster.capstan("up", args);
        } catch (Exception | AssertionError e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    Path state() {
        return state;
    }

    Path kubeconfig() {
        return state.resolve("kubeconfig");
    }

    int grpcPort() {
        return grpcPort;
    }

    /** The API as the admin sees it, over the internal gRPC API. */
    ApiClient admin() throws IOException {
        return client(Files.readString(state.resolve("data/admin-token")).trim(), "e2e-test");
    }

    ApiClient client(String token, String fieldManager) {
        ApiConnection connection = ApiConnection.connect("127.0.0.1:" + grpcPort, token);
        connections.add(connection);
        return new GrpcApiClient(connection, fieldManager);
    }

    Path tokenFile(String component) {
        return state.resolve("data/tokens").resolve(component);
    }

    long pid(String component) throws IOException {
        return Long.parseLong(Files.readString(state.resolve("run").resolve(component + ".pid"))
                .trim());
    }

    String log(String component) throws IOException {
        Path log = state.resolve("logs").resolve(component + ".log");
        return Files.exists(log) ? Files.readString(log) : "(no log)";
    }

    /**
     * Starts a second instance of the scheduler or the controller manager beside the one {@code up} started, on a
     * port of its own: a standby for leader election.
     */
    Process startStandby(String component, String jar) throws IOException {
        String prefix = component.equals("scheduler") ? "capstan.scheduler" : "capstan.controllers";
        Path log = state.resolve("logs").resolve(component + "-standby.log");
        Process process = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx512m",
                        "-XX:+UseSerialGC",
                        "-Dquarkus.http.port=" + freePort(),
                        "-D" + prefix + ".api=127.0.0.1:" + grpcPort,
                        "-D" + prefix + ".token-file=" + tokenFile(component),
                        "-jar",
                        ROOT.resolve(jar).toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        extra.add(process);
        return process;
    }

    void capstan(String command, String... args) throws IOException, InterruptedException {
        List<String> line = new ArrayList<>(List.of(ROOT.resolve("capstan").toString(), command));
        line.addAll(List.of(args));
        Files.createDirectories(state);
        ProcessBuilder builder = new ProcessBuilder(line)
                .directory(ROOT.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(
                        state.resolve("capstan-script.log").toFile()));
        Map<String, String> env = builder.environment();
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.put("CAPSTAN_STATE", state.toString());
        env.put("CAPSTAN_API_PORT", Integer.toString(apiPort));
        env.put("CAPSTAN_GRPC_PORT", Integer.toString(grpcPort));
        env.put("CAPSTAN_SCHEDULER_PORT", Integer.toString(schedulerPort));
        env.put("CAPSTAN_CONTROLLERS_PORT", Integer.toString(controllersPort));
        env.put("CAPSTAN_AOT", "0");
        env.put("CAPSTAN_NO_BUILD", "1");
        env.put("CAPSTAN_JAVA_OPTS", "-Dquarkus.http.port=" + freePort());
        Process script = builder.start();
        boolean finished = script.waitFor(4, TimeUnit.MINUTES);
        if (!finished) {
            script.destroyForcibly();
        }
        assertThat(finished && script.exitValue() == 0)
                .as(
                        "./capstan %s succeeded; its output:\n%s\nAPI server log:\n%s\nscheduler log:\n%s\n"
                                + "controller manager log:\n%s",
                        command,
                        Files.readString(state.resolve("capstan-script.log")),
                        tail(log("apiserver")),
                        tail(log("scheduler")),
                        tail(log("controller-manager")))
                .isTrue();
    }

    static String tail(String text) {
        return text.length() <= 6000 ? text : text.substring(text.length() - 6000);
    }

    @Override
    public void close() throws IOException {
        connections.forEach(ApiConnection::close);
        try {
            for (Process process : extra) {
                process.destroy();
                if (!process.waitFor(20, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            }
            capstan("down");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while stopping the cluster", e);
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
