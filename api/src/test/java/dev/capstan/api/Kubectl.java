package dev.capstan.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the installed kubectl against the test's server, with its own kubeconfig and discovery cache. */
final class Kubectl {
    record Result(int exitCode, String out) {}

    private final Path kubeconfig;
    private final Path cacheDir;

    Kubectl(Path kubeconfig) {
        this.kubeconfig = kubeconfig;
        try {
            this.cacheDir = Files.createTempDirectory("kubectl-cache");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static boolean installed() {
        return Files.isExecutable(Path.of("/usr/bin/kubectl")) || Files.isExecutable(Path.of("/usr/local/bin/kubectl"));
    }

    Result run(String... args) {
        return runWithInput(null, args);
    }

    /** Runs kubectl with {@code stdin} as its input (for -f -), waiting at most 60 s. */
    Result runWithInput(String stdin, String... args) {
        List<String> command = new ArrayList<>(
                List.of("kubectl", "--kubeconfig", kubeconfig.toString(), "--cache-dir", cacheDir.toString()));
        command.addAll(List.of(args));
        try {
            Process process =
                    new ProcessBuilder(command).redirectErrorStream(true).start();
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
    Process start(String... args) throws IOException {
        List<String> command = new ArrayList<>(
                List.of("kubectl", "--kubeconfig", kubeconfig.toString(), "--cache-dir", cacheDir.toString()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }
}
