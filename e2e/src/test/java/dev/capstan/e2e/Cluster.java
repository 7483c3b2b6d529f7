package dev.capstan.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capstan.client.ApiClient;
import dev.capstan.client.ApiConnection;
import dev.capstan.client.GrpcApiClient;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
    private final int nodePort = freePort();
    private final int kubeletPort = freePort();
    private final int netproxyPort = freePort();
    /** More JVM options of the node agent ({@code CAPSTAN_NODE_JAVA_OPTS}), e.g. its own pod bridge. */
    private List<String> nodeOptions = List.of();
    /** More JVM options of the netproxy ({@code CAPSTAN_NETPROXY_JAVA_OPTS}), e.g. the node's bridge. */
    private List<String> netproxyOptions = List.of();
    /**
     * Whether the node's components run in a JVM each ({@code CAPSTAN_SEPARATE_JVMS=1}) rather than in the one JVM
     * {@code ./capstan up} gives them with this machine as the node.
     */
    private boolean separateJvms;

    private final List<ApiConnection> connections = new ArrayList<>();
    private final List<Process> extra = new ArrayList<>();
    private final List<String> componentOptions;
    /** Where close() keeps the components' logs: target/e2e-logs/ and the test class. */
    private final Path keptLogs;

    private Cluster(Path state, List<String> componentOptions, String testClass) {
        this.state = state;
        this.componentOptions = List.copyOf(componentOptions);
        this.keptLogs = Path.of("target", "e2e-logs", testClass).toAbsolutePath();
    }

    /** Starts the cluster with {@code ./capstan up} and the given arguments, such as "--simulated-nodes", "3". */
    static Cluster up(Path tmp, String... args) throws Exception {
        return up(tmp, List.of(), args);
    }

    /**
     * Starts the cluster with {@code ./capstan up}, giving the scheduler and the controller manager (and their
     * standbys) more JVM options, such as {@code -Dcapstan.controllers.nodes.monitor-grace-period=10s}, through
     * {@code CAPSTAN_COMPONENT_JAVA_OPTS}. Options may not contain spaces.
     */
    static Cluster up(Path tmp, List<String> componentOptions, String... args) throws Exception {
        Cluster cluster = new Cluster(tmp.resolve("state"), componentOptions, caller());
        try {
            cluster.capstan("up", args);
        } catch (Exception | AssertionError e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    /**
     * Starts the cluster with this machine as its node ({@code up --node}: the node agent and the netproxy), giving
     * the agent and the netproxy more JVM options.
     */
    static Cluster upWithNode(
            Path tmp,
            List<String> componentOptions,
            List<String> nodeOptions,
            List<String> netproxyOptions,
            boolean separateJvms)
            throws Exception {
        Cluster cluster = new Cluster(tmp.resolve("state"), componentOptions, caller());
        cluster.nodeOptions = List.copyOf(nodeOptions);
        cluster.netproxyOptions = List.copyOf(netproxyOptions);
        cluster.separateJvms = separateJvms;
        try {
            cluster.capstan("up", "--node");
        } catch (Exception | AssertionError e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    /** The simple name of the test class that starts the cluster: its logs are kept under that name. */
    private static String caller() {
        return StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE)
                .walk(frames -> frames.map(StackWalker.StackFrame::getDeclaringClass)
                        .filter(c -> c != Cluster.class)
                        .findFirst()
                        .map(Class::getSimpleName)
                        .orElse("unknown"));
    }

    /** The node agent's HTTPS port (logs). */
    int kubeletPort() {
        return kubeletPort;
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

    /**
     * Kills the components that {@code up} started for this cluster with SIGKILL, as a crash would end them: only live
     * processes whose command lines name this cluster's state directory. All are signalled before it waits for any to
     * exit: waiting on a process that is not this JVM's child polls, which had put a second kill over a second later.
     */
    void kill(String... components) throws Exception {
        List<ProcessHandle> killed = new ArrayList<>();
        Set<Long> seen = new HashSet<>();
        for (String component : components) {
            long pid = pid(component);
            if (!seen.add(pid)) {
                continue; // components sharing one JVM: killed once
            }
            ProcessHandle process = ProcessHandle.of(pid)
                    .orElseThrow(() -> new AssertionError("the " + component + " (pid " + pid + ") does not run"));
            String marker = "-Dcapstan.state=" + state;
            assertThat(process.info().arguments().map(List::of).orElse(List.of()))
                    .as("pid %d is the %s of this cluster", pid, component)
                    .contains(marker);
            // ProcessHandle.destroyForcibly is SIGKILL on Linux
            assertThat(process.destroyForcibly()).isTrue();
            killed.add(process);
        }
        for (ProcessHandle process : killed) {
            process.onExit().get(30, TimeUnit.SECONDS);
        }
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
        List<String> line = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m",
                "-XX:+UseSerialGC",
                "-Dquarkus.http.port=" + freePort(),
                "-D" + prefix + ".api=127.0.0.1:" + grpcPort,
                "-D" + prefix + ".token-file=" + tokenFile(component)));
        line.addAll(componentOptions);
        line.addAll(List.of("-jar", ROOT.resolve(jar).toString()));
        Process process = new ProcessBuilder(line)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        extra.add(process);
        return process;
    }

    /** Runs {@code ./capstan command args} against this cluster, asserts it succeeded and returns what it printed. */
    String capstan(String command, String... args) throws IOException, InterruptedException {
        List<String> line = new ArrayList<>(List.of(ROOT.resolve("capstan").toString(), command));
        line.addAll(List.of(args));
        Files.createDirectories(state);
        Path scriptLog = state.resolve("capstan-script.log");
        long before = Files.exists(scriptLog) ? Files.size(scriptLog) : 0;
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
        env.put("CAPSTAN_NODE_PORT", Integer.toString(nodePort));
        env.put("CAPSTAN_KUBELET_PORT", Integer.toString(kubeletPort));
        env.put("CAPSTAN_NODE_JAVA_OPTS", String.join(" ", nodeOptions));
        env.put("CAPSTAN_NETPROXY_PORT", Integer.toString(netproxyPort));
        env.put("CAPSTAN_NETPROXY_JAVA_OPTS", String.join(" ", netproxyOptions));
        env.put("CAPSTAN_AOT", "0");
        env.put("CAPSTAN_NO_BUILD", "1");
        env.put("CAPSTAN_JAVA_OPTS", "-Dquarkus.http.port=" + freePort());
        env.put("CAPSTAN_COMPONENT_JAVA_OPTS", String.join(" ", componentOptions));
        env.put("CAPSTAN_SEPARATE_JVMS", separateJvms ? "1" : "0");
        Process script = builder.start();
        boolean finished = script.waitFor(4, TimeUnit.MINUTES);
        if (!finished) {
            script.destroyForcibly();
        }
        assertThat(finished && script.exitValue() == 0)
                .as(
                        "./capstan %s succeeded; its output:\n%s\nAPI server log:\n%s\nscheduler log:\n%s\n"
                                + "controller manager log:\n%s\nnode log:\n%s\nnetproxy log:\n%s\n"
                                + "log of the components' one JVM:\n%s",
                        command,
                        Files.readString(state.resolve("capstan-script.log")),
                        tail(log("apiserver")),
                        tail(log("scheduler")),
                        tail(log("controller-manager")),
                        tail(log("node")),
                        tail(log("netproxy")),
                        tail(log("components")))
                .isTrue();
        String all = Files.readString(scriptLog);
        return all.substring((int) Math.min(before, all.length()));
    }

    static String tail(String text) {
        return text.length() <= 6000 ? text : text.substring(text.length() - 6000);
    }

    /** Ends the standbys and runs {@code ./capstan down}; an interrupt while waiting is an InterruptedIOException. */
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
            keepLogs();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while stopping the cluster");
        }
    }

    /** Copies the components' logs out of the temporary state directory, to read after a failure. */
    private void keepLogs() throws IOException {
        Path logs = state.resolve("logs");
        if (!Files.isDirectory(logs)) {
            return;
        }
        Files.createDirectories(keptLogs);
        try (var files = Files.list(logs)) {
            for (Path log : files.toList()) {
                Files.copy(log, keptLogs.resolve(log.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Files.copy(
                state.resolve("capstan-script.log"),
                keptLogs.resolve("capstan-script.log"),
                StandardCopyOption.REPLACE_EXISTING);
    }

    /** Every port {@link #freePort} has tried in this JVM: none is tried, or answered, twice. */
    private static final java.util.Set<Integer> HANDED_OUT = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /**
     * A port that is free now, below the kernel's ephemeral range (32768–60999) and the NodePort range: a port from the
     * ephemeral range, as {@code new ServerSocket(0)} gives, can be taken by an outgoing connection before the
     * component binds it, which a CI run saw.
     */
    static int freePort() {
        var random = java.util.concurrent.ThreadLocalRandom.current();
        for (int attempt = 0; attempt < 100; attempt++) {
            int port = random.nextInt(20_000, 30_000);
            // a port is free until its component binds it: never hand out the same one twice (a CI run had the
            // scheduler fail on a port given to another component of its cluster)
            if (!HANDED_OUT.add(port)) {
                continue;
            }
            try (ServerSocket socket = new ServerSocket(port, 1, java.net.InetAddress.getByName("0.0.0.0"))) {
                return socket.getLocalPort();
            } catch (IOException taken) {
                // try another
            }
        }
        throw new IllegalStateException("no free port between 20000 and 30000 after 100 tries");
    }
}
