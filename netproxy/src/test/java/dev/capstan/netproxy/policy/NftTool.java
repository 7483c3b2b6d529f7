package dev.capstan.netproxy.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/** The machine's nft and root, which the checks of golden files and the IT need: under CI missing fails, else skips. */
final class NftTool {
    private NftTool() {}

    /** Root, nft and the other {@code tools} (looked up in the usual bin directories). */
    static void require(String... tools) {
        String missing = "root".equals(System.getProperty("user.name")) ? null : "root";
        for (String tool : Stream.concat(Stream.of("nft"), Stream.of(tools)).toList()) {
            if (missing == null && !installed(tool)) {
                missing = tool + (tool.equals("nft") ? " (apt-get install nftables)" : "");
            }
        }
        if (missing != null) {
            if (System.getenv("CI") != null) {
                throw new AssertionError("CI is set but " + missing + " is missing");
            }
            Assumptions.abort(missing + " is missing");
        }
    }

    private static boolean installed(String tool) {
        return Stream.of("/usr/sbin", "/sbin", "/usr/bin", "/bin").anyMatch(d -> Files.isExecutable(Path.of(d, tool)));
    }

    /** {@code command} with stdin; answers stdout and stderr together; fails on a non-zero exit. */
    static String run(List<String> command, String stdin) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            if (stdin != null) {
                p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("%s ended", command).isTrue();
            assertThat(p.exitValue()).as("%s: %s", command, out).isZero();
            return out;
        } catch (IOException e) {
            throw new AssertionError(command + " could not run", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
