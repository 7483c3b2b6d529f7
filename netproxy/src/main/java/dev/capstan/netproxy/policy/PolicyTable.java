package dev.capstan.netproxy.policy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The policy table in the kernel: {@link #apply} replaces it whole in one nft transaction (create if absent, delete,
 * define), so packets see either the old table or the new one, never a mix; {@link #close} removes it. Kept tiny
 * and separate from the Service table's applier in the proxy part; the two are to be folded into one later.
 */
public final class PolicyTable implements AutoCloseable {
    private static final long TIMEOUT_SECONDS = 30;

    private final String table;
    private final List<String> nft;

    /**
     * @param table the table's name (family ip), as in the rendered text
     * @param nft the nft command, e.g. {@code ["nft"]}, or {@code ["ip", "netns", "exec", NS, "nft"]} in tests
     */
    public PolicyTable(String table, List<String> nft) {
        this.table = table;
        this.nft = List.copyOf(nft);
    }

    public String name() {
        return table;
    }

    /** Loads {@code text} (a whole {@code table ip NAME { ... }}) in place of the current table. */
    public void apply(String text) {
        run(preamble() + text);
    }

    /** Removes the table; nothing when it is absent. */
    @Override
    public void close() {
        run(preamble());
    }

    /** Creating the table first makes the delete succeed when it does not exist yet. */
    private String preamble() {
        return "table ip " + table + "\ndelete table ip " + table + "\n";
    }

    private void run(String script) {
        List<String> command = new ArrayList<>(nft);
        command.addAll(List.of("-f", "-"));
        Path output = null;
        try {
            // output to a file, so that a hung nft cannot block the read and the timeout holds
            output = Files.createTempFile("capstan-nft-", ".out");
            Process p = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .start();
            try (var in = p.getOutputStream()) {
                in.write(script.getBytes(StandardCharsets.UTF_8));
            }
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(
                        String.join(" ", command) + " did not end in " + TIMEOUT_SECONDS + " s");
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed (exit " + p.exitValue() + "): "
                        + Files.readString(output).strip());
            }
        } catch (IOException e) {
            throw new IllegalStateException(String.join(" ", command) + " could not run: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while " + String.join(" ", command) + " ran", e);
        } finally {
            if (output != null) {
                output.toFile().delete();
            }
        }
    }
}
