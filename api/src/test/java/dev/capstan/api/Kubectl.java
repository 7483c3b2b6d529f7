package dev.capstan.api;

import dev.capstan.model.files.FileTrees;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs the installed kubectl against the test's server, with its own kubeconfig and discovery cache; the one place
 * tests find kubectl.
 */
public final class Kubectl {
    public record Result(int exitCode, String out) {}

    private final Path kubeconfig;
    private final Path cacheDir;

    public Kubectl(Path kubeconfig) {
        this.kubeconfig = kubeconfig;
        try {
            this.cacheDir = Files.createTempDirectory("kubectl-cache");
            FileTrees.deleteAtExit(cacheDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The kubectl on PATH, if there is one. */
    public static Optional<Path> find() {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        return Stream.of(path.split(File.pathSeparator))
                .filter(dir -> !dir.isEmpty())
                .map(dir -> Path.of(dir, "kubectl"))
                .filter(Files::isExecutable)
                .findFirst();
    }

    /**
     * The kubectl on PATH. Without one a test is skipped on a developer's machine, but fails when {@code CI} is set:
     * CI installs kubectl, so its absence there is a broken setup, not a reason to pass.
     */
    public static Path require() {
        Optional<Path> kubectl = find();
        if (kubectl.isEmpty() && System.getenv("CI") != null) {
            Assertions.fail("kubectl is not on PATH, and CI is set: install kubectl 1.32 (see .ci/run)");
        }
        Assumptions.assumeTrue(kubectl.isPresent(), "kubectl is not on PATH");
        return kubectl.get();
    }

    public Result run(String... args) {
        return runWithInput(null, args);
    }

    /** Runs kubectl with more environment variables (such as KUBE_EDITOR). */
    public Result runWithEnv(java.util.Map<String, String> env, String... args) {
        return execute(null, env, args);
    }

    /** Runs kubectl with {@code stdin} as its input (for -f -), waiting at most 60 s. */
    public Result runWithInput(String stdin, String... args) {
        return execute(stdin, java.util.Map.of(), args);
    }

    private Result execute(String stdin, java.util.Map<String, String> env, String... args) {
        List<String> command = new ArrayList<>(
                List.of("kubectl", "--kubeconfig", kubeconfig.toString(), "--cache-dir", cacheDir.toString()));
        command.addAll(List.of(args));
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            builder.environment().putAll(env);
            Process process = builder.start();
            if (stdin != null) {
                process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            process.getOutputStream().close();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("kubectl " + String.join(" ", args) + " did not finish in 60 s");
            }
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return new Result(process.exitValue(), out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Starts a long-running kubectl (such as get -w); the caller ends it. */
    public Process start(String... args) throws IOException {
        List<String> command = new ArrayList<>(
                List.of("kubectl", "--kubeconfig", kubeconfig.toString(), "--cache-dir", cacheDir.toString()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }
}
