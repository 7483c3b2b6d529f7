package dev.capstan.netproxy.proxy;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;

/** What tests that run nft need: root and nft, else skip (fail under CI, where they must run). */
final class NftTestSupport {
    private NftTestSupport() {}

    static void requireRootAndNft() {
        boolean nft = Files.isExecutable(Path.of("/usr/sbin/nft")) || Files.isExecutable(Path.of("/sbin/nft"));
        boolean root = "root".equals(System.getProperty("user.name"));
        if (nft && root) {
            return;
        }
        String why = "needs root and nft (apt-get install nftables): root=" + root + " nft=" + nft;
        if (System.getenv("CI") != null) {
            fail(why);
        }
        Assumptions.abort(why);
    }

    /**
     * A table's listing, its lines stripped of indentation and trailing commas and sorted: two tables with the same
     * content list alike although the kernel orders map elements by its own hash.
     */
    static List<String> sortedLines(String listing) {
        return listing.lines()
                .map(String::strip)
                .map(l -> l.endsWith(",") ? l.substring(0, l.length() - 1) : l)
                .sorted()
                .toList();
    }

    /** {@code nft -c -f FILE}: checks that the kernel would take the script, without applying it. */
    static String check(Path file) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("nft", "-c", "-f", file.toString())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes());
        return p.waitFor() == 0 ? null : out;
    }

    /** Each chain's rules in order (the listing of maps' elements is in the kernel's order, so compare sorted). */
    static Map<String, List<String>> chains(String listing) {
        Map<String, List<String>> chains = new LinkedHashMap<>();
        List<String> current = null;
        for (String line : listing.lines().map(String::strip).toList()) {
            if (line.startsWith("chain ")) {
                current = new ArrayList<>();
                chains.put(line, current);
            } else if (line.equals("}")) {
                current = null;
            } else if (current != null) {
                current.add(line);
            }
        }
        return chains;
    }
}
