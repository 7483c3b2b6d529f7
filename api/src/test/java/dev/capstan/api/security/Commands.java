package dev.capstan.api.security;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/** Runs kubectl and curl for tests, isolated from the developer's kubeconfig, caches and proxies. */
final class Commands {
    record Result(int exitCode, String stdout, String stderr) {}

    private Commands() {}

    static boolean onPath(String name) {
        String path = System.getenv("PATH");
        return path != null
                && List.of(path.split(File.pathSeparator)).stream()
                        .anyMatch(dir -> !dir.isEmpty() && Files.isExecutable(Path.of(dir, name)));
    }

    /** Runs command with HOME set to home (kubectl writes caches there) and no proxy, so traffic stays local. */
    static Result run(Path home, List<String> command) throws IOException, InterruptedException {
        Path out = Files.createTempFile(home, "stdout", ".txt");
        Path err = Files.createTempFile(home, "stderr", ".txt");
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(home.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        builder.environment()
                .keySet()
                .removeIf(key -> key.toLowerCase(Locale.ROOT).endsWith("_proxy") || key.equals("KUBECONFIG"));
        builder.environment().put("HOME", home.toString());
        Process process = builder.start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("timed out: " + command);
        }
        return new Result(
                process.exitValue(),
                Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }
}
