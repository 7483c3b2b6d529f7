package dev.capstan.store.embedded;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;

/** PostgreSQL server processes seen from outside: whose they are, whether they live, and how to stop them. */
final class Postmasters {
    private static final Logger LOG = Logger.getLogger(Postmasters.class);
    private static final Duration STOP_WAIT = Duration.ofSeconds(60);

    private Postmasters() {}

    /** Fast shutdown (SIGINT); after STOP_WAIT an immediate one (SIGQUIT), then SIGKILL. */
    static void shutDown(ProcessHandle process, Path dataDirectory, Path logFile) {
        for (String signal : List.of("INT", "QUIT", "KILL")) {
            signal(process.pid(), signal);
            Duration wait = signal.equals("INT") ? STOP_WAIT : Duration.ofSeconds(10);
            if (awaitExit(process, wait)) {
                return;
            }
            LOG.warnf(
                    "PostgreSQL (pid %d) did not stop within %d s after SIG%s; see %s",
                    process.pid(), wait.toSeconds(), signal, logFile);
        }
        throw new IllegalStateException(
                "PostgreSQL (pid " + process.pid() + ") for " + dataDirectory + " survived SIGKILL; see " + logFile);
    }

    private static void signal(long pid, String signal) {
        try {
            // ProcessHandle only sends TERM and KILL; PostgreSQL's TERM is the smart shutdown that waits for clients
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            kill.waitFor(10, TimeUnit.SECONDS);
        } catch (IOException e) {
            LOG.warnf("cannot run kill -%s %d: %s", signal, pid, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean awaitExit(ProcessHandle process, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (isLive(process)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                process.onExit().get(50, TimeUnit.MILLISECONDS);
            } catch (TimeoutException | ExecutionException e) {
                // poll again: an orphan that init has not reaped yet stays a zombie, which counts as gone
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return !isLive(process);
            }
        }
        return true;
    }

    /** Alive and not a zombie (an exited orphan waits for init to reap it). */
    static boolean isLive(ProcessHandle process) {
        if (!process.isAlive()) {
            return false;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (IOException | RuntimeException e) {
            return process.isAlive();
        }
    }

    /** Whether pid runs bin/postgres with -D dir, as every launcher of this class and zonky's pg_ctl start it. */
    static boolean isPostmasterOf(long pid, Path dir) {
        String cmdline;
        try {
            cmdline = Files.readString(Path.of("/proc", Long.toString(pid), "cmdline"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return false;
        }
        List<String> args = List.of(cmdline.split("\0"));
        if (args.isEmpty() || !args.getFirst().endsWith("postgres")) {
            return false;
        }
        int d = args.indexOf("-D");
        return d >= 0
                && d + 1 < args.size()
                && Path.of(args.get(d + 1)).toAbsolutePath().normalize().equals(dir);
    }
}
