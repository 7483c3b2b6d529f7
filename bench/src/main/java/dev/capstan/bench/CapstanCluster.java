package dev.capstan.bench;

import dev.capstan.client.ApiConnection;
import dev.capstan.client.GrpcApiClient;
import dev.capstan.model.files.FileTrees;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A cluster of the packaged apps brought up by {@code ./capstan up} on a state directory and free ports of its own,
 * so a benchmark runs beside a developer's cluster; {@link #close()} brings it down.
 */
final class CapstanCluster implements AutoCloseable {
    private final Path root;
    private final Path state;
    private final Map<String, String> env;
    private final int grpcPort;
    private final List<ApiConnection> connections = new ArrayList<>();

    private CapstanCluster(Path root, Path state, boolean apiOnly, boolean separateJvms) {
        this.root = root;
        this.state = state;
        this.grpcPort = freePort();
        this.env = Map.ofEntries(
                Map.entry("CAPSTAN_SEPARATE_JVMS", separateJvms ? "1" : "0"),
                Map.entry("JAVA_HOME", System.getProperty("java.home")),
                Map.entry("CAPSTAN_STATE", state.toString()),
                Map.entry("CAPSTAN_API_PORT", Integer.toString(freePort())),
                Map.entry("CAPSTAN_GRPC_PORT", Integer.toString(grpcPort)),
                Map.entry("CAPSTAN_SCHEDULER_PORT", Integer.toString(freePort())),
                Map.entry("CAPSTAN_CONTROLLERS_PORT", Integer.toString(freePort())),
                Map.entry("CAPSTAN_NODE_PORT", Integer.toString(freePort())),
                Map.entry("CAPSTAN_KUBELET_PORT", Integer.toString(freePort())),
                Map.entry("CAPSTAN_NETPROXY_PORT", Integer.toString(freePort())),
                // The caller's own options (a flight recording, say) go to the API server too.
                Map.entry(
                        "CAPSTAN_JAVA_OPTS",
                        ("-Dquarkus.http.port=" + freePort() + " "
                                        + System.getenv().getOrDefault("CAPSTAN_JAVA_OPTS", ""))
                                .strip()),
                Map.entry("CAPSTAN_NO_BUILD", "1"),
                Map.entry("CAPSTAN_API_ONLY", apiOnly ? "1" : "0"));
    }

    /** {@code ./capstan up} with {@code args}; {@code apiOnly} starts the API server alone. */
    static CapstanCluster up(Path root, Path state, boolean apiOnly, String... args)
            throws IOException, InterruptedException {
        return up(root, state, apiOnly, false, args);
    }

    /**
     * As {@link #up(Path, Path, boolean, String...)}; {@code separateJvms} runs the components in a JVM each
     * ({@code CAPSTAN_SEPARATE_JVMS=1}) instead of the one JVM {@code ./capstan up} gives them.
     */
    static CapstanCluster up(Path root, Path state, boolean apiOnly, boolean separateJvms, String... args)
            throws IOException, InterruptedException {
        CapstanCluster cluster = new CapstanCluster(root, state, apiOnly, separateJvms);
        cluster.capstan("up", args);
        return cluster;
    }

    dev.capstan.client.ApiClient admin() throws IOException {
        ApiConnection connection = ApiConnection.connect(
                "127.0.0.1:" + grpcPort,
                Files.readString(state.resolve("data/admin-token")).trim());
        connections.add(connection);
        return new GrpcApiClient(connection, "capstan-bench");
    }

    int grpcPort() {
        return grpcPort;
    }

    Path state() {
        return state;
    }

    long pid(String component) throws IOException {
        return pid(state, component);
    }

    static long pid(Path state, String component) throws IOException {
        return Long.parseLong(Files.readString(state.resolve("run").resolve(component + ".pid"))
                .trim());
    }

    /**
     * The processes running {@code components} in the cluster of {@code state}, each named by the components it runs
     * ("scheduler + controller-manager"): components sharing a JVM share a PID and count once.
     */
    static Map<String, Long> processes(Path state, List<String> components) throws IOException {
        Map<Long, List<String>> names = new LinkedHashMap<>();
        for (String component : components) {
            names.computeIfAbsent(pid(state, component), pid -> new ArrayList<>())
                    .add(component);
        }
        Map<String, Long> processes = new LinkedHashMap<>();
        names.forEach((pid, named) -> processes.put(String.join(" + ", named), pid));
        return processes;
    }

    /**
     * Stops the cluster and starts it again with {@code upArgs}: its JVMs then start from the AOT caches the first start
     * recorded, as every {@code ./capstan up} after a new cluster's first does. Connections made before are dead.
     */
    void restart(String... upArgs) throws IOException, InterruptedException {
        capstan("down");
        capstan("up", upArgs);
    }

    void capstan(String command, String... args) throws IOException, InterruptedException {
        List<String> line = new ArrayList<>(List.of(root.resolve("capstan").toString(), command));
        line.addAll(List.of(args));
        Files.createDirectories(state);
        ProcessBuilder builder = new ProcessBuilder(line)
                .directory(root.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(
                        state.resolve("capstan-script.log").toFile()));
        builder.environment().putAll(env);
        Process script = builder.start();
        if (!script.waitFor(5, TimeUnit.MINUTES) || script.exitValue() != 0) {
            script.destroyForcibly();
            throw new IllegalStateException(
                    "./capstan " + command + " failed; see " + state.resolve("capstan-script.log"));
        }
    }

    @Override
    public void close() throws IOException {
        connections.forEach(ApiConnection::close);
        try {
            capstan("down");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while stopping the cluster", e);
        }
    }

    /**
     * Removes a state directory of a benchmark's clusters once they are down, unless something is still mounted
     * below it (a pod's volume, a containerd snapshot): deleting through a mount would delete its source. Kept, it
     * is named, for its logs or for a look at what {@code down} left.
     */
    static void removeState(Path state) throws IOException {
        String prefix = state.toAbsolutePath().normalize() + "/";
        boolean mounted = Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
                .map(line -> line.split(" ")[4]) // the mount point, with spaces escaped as \040
                .anyMatch(point -> point.startsWith(prefix));
        if (mounted) {
            System.err.println("warning: kept " + state + ": something is still mounted below it");
            return;
        }
        FileTrees.delete(state);
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
