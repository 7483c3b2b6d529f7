package dev.capstan.node.containerd;

import dev.capstan.node.runtime.ContainerRuntimeException;
import dev.capstan.node.runtime.cri.CriRuntime;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * A containerd that the node agent starts for itself: {@code containerd --config FILE} with the configuration of
 * {@link ContainerdConfig}, its output in {@code containerd.log} beside it. {@link #start} returns once CRI answers;
 * {@link #close} stops that process (by its PID) and waits for it. Containers that are still running keep their
 * shims after containerd stops: remove pods before closing when nothing should be left.
 */
public final class ContainerdProcess implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ContainerdProcess.class);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

    private final ContainerdConfig config;
    /** The process when this JVM started it (its exit code explains a failed start), else null. */
    private final Process process;

    private final ProcessHandle handle;

    private ContainerdProcess(ContainerdConfig config, Process process, ProcessHandle handle) {
        this.config = config;
        this.process = process;
        this.handle = handle;
    }

    /**
     * The containerd that {@code pidFile} names when it still runs with this configuration (the node agent restarted
     * while its containers kept running), else a new one whose PID is written to {@code pidFile}. Either way the
     * process outlives this JVM unless {@link #close} stops it.
     */
    public static ContainerdProcess adoptOrStart(ContainerdConfig config, Path pidFile, Duration timeout) {
        try {
            if (Files.exists(pidFile)) {
                long pid = Long.parseLong(Files.readString(pidFile).strip());
                var handle = ProcessHandle.of(pid)
                        .filter(h -> h.info()
                                .arguments()
                                .map(args -> List.of(args)
                                        .contains(config.configFile().toString()))
                                .orElse(false));
                if (handle.isPresent()) {
                    var adopted = new ContainerdProcess(config, null, handle.get());
                    adopted.awaitReady(timeout);
                    LOG.infof("containerd %d runs already: socket %s", pid, config.socket());
                    return adopted;
                }
            }
            ContainerdProcess started = start(config, timeout);
            Files.createDirectories(pidFile.getParent());
            Files.writeString(pidFile, Long.toString(started.pid()));
            return started;
        } catch (IOException | NumberFormatException e) {
            throw new IllegalStateException("cannot read or write containerd's PID file " + pidFile, e);
        }
    }

    /** Starts containerd with {@code config}, waiting at most {@code timeout} for its CRI service to answer. */
    public static ContainerdProcess start(ContainerdConfig config, Duration timeout) {
        Path binary = requireInstalled(System.getenv("PATH"));
        Process process;
        try {
            Files.createDirectories(config.cniConfDir());
            Files.createDirectories(config.root());
            Files.createDirectories(config.state());
            Files.writeString(config.configFile(), config.render(), StandardCharsets.UTF_8);
            // A socket left by a crashed instance would look like a live one; containerd replaces it anyway.
            Files.deleteIfExists(config.socket());
            var builder = new ProcessBuilder(
                    binary.toString(), "--config", config.configFile().toString());
            // Its shims look runc up on PATH; Debian installs runc in /usr/sbin, which a non-login PATH may lack.
            builder.environment().merge("PATH", "/usr/sbin:/sbin", (path, sbin) -> path + ":" + sbin);
            process = builder.redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(
                            ProcessBuilder.Redirect.appendTo(config.logFile().toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start containerd under " + config.stateDir(), e);
        }
        var containerd = new ContainerdProcess(config, process, process.toHandle());
        try {
            containerd.awaitReady(timeout);
        } catch (RuntimeException e) {
            containerd.close();
            throw e;
        }
        LOG.infof("containerd %d started: socket %s", process.pid(), config.socket());
        return containerd;
    }

    public ContainerdConfig config() {
        return config;
    }

    public Path socket() {
        return config.socket();
    }

    public long pid() {
        return handle.pid();
    }

    public boolean isAlive() {
        return handle.isAlive();
    }

    /** Sends SIGTERM to this containerd and waits; SIGKILL if it has not gone within 10 s. */
    @Override
    public void close() {
        if (!handle.isAlive()) {
            return;
        }
        handle.destroy();
        try {
            try {
                handle.onExit().get(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                LOG.warnf("containerd %d did not stop within %s; killing it", handle.pid(), STOP_TIMEOUT);
                handle.destroyForcibly();
                handle.onExit().get(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
            LOG.warnf("containerd %d did not stop: %s", handle.pid(), e.getMessage());
        } catch (InterruptedException e) {
            handle.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** Waits for the socket, then for CRI's Version to answer (the CRI plugin initialises after the socket opens). */
    private void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        RuntimeException last = null;
        while (System.nanoTime() < deadline) {
            if (!handle.isAlive()) {
                throw new IllegalStateException("containerd exited with code "
                        + (process == null ? "?" : Integer.toString(process.exitValue()))
                        + " at start-up; its log " + config.logFile() + " ends with:\n" + logTail());
            }
            if (Files.exists(config.socket())) {
                try (var cri = CriRuntime.connect(config.socket(), Duration.ofSeconds(2))) {
                    cri.version();
                    return;
                } catch (ContainerRuntimeException e) {
                    last = e;
                }
            }
            sleep(Duration.ofMillis(50));
        }
        throw new IllegalStateException(
                "containerd did not answer on " + config.socket() + " within " + timeout + " ("
                        + (last == null ? "no socket" : last.getMessage()) + "); its log " + config.logFile()
                        + " ends with:\n" + logTail(),
                last);
    }

    private String logTail() {
        try {
            List<String> lines = Files.readAllLines(config.logFile(), StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    /** containerd's binary, checking that runc is there too; or a failure that says what to install. */
    static Path requireInstalled(String pathEnv) {
        Path containerd = findOnPath("containerd", pathEnv)
                .orElseThrow(() -> new IllegalStateException("containerd is not installed (not on PATH " + pathEnv
                        + "): apt-get install containerd runc containernetworking-plugins"));
        if (findOnPath("runc", pathEnv + ":/usr/sbin").isEmpty()) {
            throw new IllegalStateException(
                    "runc is not installed (not on PATH " + pathEnv + "): apt-get install runc");
        }
        return containerd;
    }

    static Optional<Path> findOnPath(String command, String pathEnv) {
        for (String dir : (pathEnv == null ? "" : pathEnv).split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, command))) {
                return Optional.of(Path.of(dir, command));
            }
        }
        return Optional.empty();
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for containerd", e);
        }
    }
}
