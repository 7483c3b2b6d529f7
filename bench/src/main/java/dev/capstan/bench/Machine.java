package dev.capstan.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** What a run was measured on, for the report. */
final class Machine {
    private Machine() {}

    static List<String> describe() {
        return List.of(
                "cpus: " + Runtime.getRuntime().availableProcessors() + ", memory: " + memory() + ", os: "
                        + osRelease(),
                "java: " + System.getProperty("java.vm.vendor") + " " + System.getProperty("java.runtime.version")
                        + ", max heap " + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MiB");
    }

    private static String memory() {
        return firstLine("/proc/meminfo", "MemTotal:")
                .map(l -> String.format("%.1f GiB", Long.parseLong(l.replaceAll("[^0-9]", "")) / (1024.0 * 1024.0)))
                .orElse("unknown");
    }

    private static String osRelease() {
        String kernel = System.getProperty("os.name") + " " + System.getProperty("os.version");
        return firstLine("/etc/os-release", "PRETTY_NAME=")
                .map(l -> l.substring("PRETTY_NAME=".length()).replace("\"", "") + " (" + kernel + ")")
                .orElse(kernel);
    }

    private static Optional<String> firstLine(String file, String prefix) {
        try (Stream<String> lines = Files.lines(Path.of(file))) {
            return lines.filter(l -> l.startsWith(prefix)).findFirst();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
