package dev.capstan.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A single-member etcd on loopback with its data in a fresh temporary directory. Closing stops this process
 * (by its own PID: SIGTERM, then SIGKILL) and removes the directory.
 */
final class EtcdServer implements AutoCloseable {
    private static final Duration STARTUP = Duration.ofSeconds(30);

    private final Process process;
    private final Path directory;
    private final String endpoint;
    private final Thread killer;

    private EtcdServer(Process process, Path directory, String endpoint, Thread killer) {
        this.process = process;
        this.directory = directory;
        this.endpoint = endpoint;
        this.killer = killer;
    }

    static EtcdServer start(String binary) throws IOException, InterruptedException {
        int clientPort = freePort();
        int peerPort = freePort();
        String client = "http://127.0.0.1:" + clientPort;
        String peer = "http://127.0.0.1:" + peerPort;
        Path directory = Files.createTempDirectory("capstan-bench-etcd-");
        Path log = directory.resolve("etcd.log");
        List<String> command = List.of(
                binary,
                "--name=capstan-bench",
                "--data-dir=" + directory.resolve("data"),
                "--listen-client-urls=" + client,
                "--advertise-client-urls=" + client,
                "--listen-peer-urls=" + peer,
                "--initial-advertise-peer-urls=" + peer,
                "--initial-cluster=capstan-bench=" + peer,
                "--logger=zap",
                "--log-outputs=stderr");
        Process process;
        try {
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
        } catch (IOException e) {
            BenchStore.deleteTree(directory);
            throw new IOException("cannot run " + binary + " (install etcd-server or pass --etcd=PATH): " + e, e);
        }
        Thread killer = new Thread(process::destroyForcibly, "etcd-killer");
        Runtime.getRuntime().addShutdownHook(killer);
        EtcdServer server = new EtcdServer(process, directory, client, killer);
        try {
            server.awaitHealthy(log);
        } catch (IOException | InterruptedException | RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    String endpoint() {
        return endpoint;
    }

    long pid() {
        return process.pid();
    }

    /** "3.4.23", from {@code etcd --version}. */
    static String version(String binary) {
        return Processes.output(binary, "--version")
                .flatMap(text -> text.lines()
                        .filter(l -> l.startsWith("etcd Version:"))
                        .map(l -> l.substring("etcd Version:".length()).strip())
                        .findFirst())
                .orElse("unknown");
    }

    private void awaitHealthy(Path log) throws IOException, InterruptedException {
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest health = HttpRequest.newBuilder(URI.create(endpoint + "/health"))
                .timeout(Duration.ofSeconds(2))
                .build();
        long deadline = System.nanoTime() + STARTUP.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("etcd exited with status " + process.exitValue() + "; its log:\n" + tail(log));
            }
            try {
                HttpResponse<String> response = http.send(health, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200 && response.body().contains("\"health\":\"true\"")) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new IOException("etcd was not healthy within " + STARTUP.toSeconds() + " s; its log:\n" + tail(log));
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e + ")";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(15, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(killer);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down and runs the hook itself
        }
        BenchStore.deleteTree(directory);
    }
}
