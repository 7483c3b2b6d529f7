package dev.capstan.netproxy.proxy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** A network namespace of the test's own, deleted on close: everything applied to a kernel goes in one. */
final class TestNetns implements AutoCloseable {
    final String name = "capstan-t-" + UUID.randomUUID().toString().substring(0, 8);

    TestNetns() {
        run("ip", "netns", "add", name);
        exec("ip", "link", "set", "lo", "up");
    }

    /** The command words that run something inside. */
    List<String> prefix() {
        return List.of("ip", "netns", "exec", name);
    }

    /** Runs a command inside; answers stdout; throws with stderr on failure. */
    String exec(String... command) {
        List<String> all = new ArrayList<>(prefix());
        all.addAll(List.of(command));
        return run(all.toArray(String[]::new));
    }

    static String run(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        run("ip", "netns", "delete", name);
    }
}
