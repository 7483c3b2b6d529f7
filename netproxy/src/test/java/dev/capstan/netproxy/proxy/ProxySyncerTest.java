package dev.capstan.netproxy.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The syncer's rate limit and choice of script, with an "nft" that only records: a shell script as the prefix gets
 * {@code nft -f -} or {@code nft -i} as its arguments; it appends each script to a log (a session's scripts one
 * line each) and answers the session's marker as nft would, with the marker set's listing.
 */
class ProxySyncerTest {
    @TempDir
    Path dir;

    private Nft recorder(Path log) throws Exception {
        Path fake = dir.resolve("fake-nft.sh");
        Files.writeString(fake, """
                if [ "$2" = "-i" ]; then
                  while IFS= read -r line; do
                    case "$line" in
                      "list set ip "*)
                        printf 'table ip capstan-proxy {\n\tset session-marker {\n\t\ttype ipv4_addr\n\t}\n}\n';;
                      *) printf '%s\n===\n' "$line" >> '%LOG%';;
                    esac
                  done
                else
                  cat >> '%LOG%'; echo === >> '%LOG%'
                fi
                """.replace("%LOG%", log.toString()));
        return new Nft(List.of("sh", fake.toString()));
    }

    private static List<String> applies(Path log) throws Exception {
        return Files.exists(log) ? List.of(Files.readString(log).split("===\n")) : List.of();
    }

    @Test
    void changesWithinTheMinimumPeriodCoalesceAndNothingChangedAppliesNothing() throws Exception {
        Path log = dir.resolve("nft.log");
        var inputs = new AtomicReference<>(GoldenCases.CASES.get("clusterip"));
        ProxySyncer syncer = new ProxySyncer(
                inputs::get,
                Fixtures.SETTINGS,
                recorder(log),
                Duration.ofMillis(300),
                Duration.ofMillis(100),
                Clock.systemUTC());
        try {
            syncer.start();
            await().atMost(Duration.ofSeconds(5)).until(() -> applies(log).size() == 1);
            assertThat(applies(log).getFirst()).startsWith("add table ip capstan-proxy\ndelete table");

            for (String name : List.of("session-affinity", "edge-cases", "traffic-policy-local")) {
                inputs.set(GoldenCases.CASES.get(name));
                syncer.requestSync();
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> applies(log).size() >= 2);
            Thread.sleep(800); // several periodic syncs: the state did not change, so nothing more is applied
            assertThat(applies(log)).hasSize(2);
            assertThat(syncer.lastResult().kind()).isEqualTo("incremental");
            // the periodic syncs since had nothing to apply: the change before them stays the last incremental one
            assertThat(syncer.lastResult().scriptLines()).isZero();
            assertThat(syncer.lastIncrementalChange().scriptLines()).isPositive();
            // the one incremental script went straight to the last state
            Ruleset expected = ProxyRenderer.ruleset(GoldenCases.CASES.get("traffic-policy-local"), Fixtures.SETTINGS);
            Ruleset first = ProxyRenderer.ruleset(GoldenCases.CASES.get("clusterip"), Fixtures.SETTINGS);
            assertThat(applies(log).get(1))
                    .isEqualTo(String.join(
                                    "; ",
                                    NftScripts.diff(first, expected, Fixtures.SETTINGS)
                                            .lines()
                                            .toList()) + "\n");
        } finally {
            syncer.close();
        }
        assertThat(applies(log).getLast()).isEqualTo("add table ip capstan-proxy\ndelete table ip capstan-proxy\n");
    }

    @Test
    void aFailedApplyMakesTheNextSyncReplaceTheTable() throws Exception {
        Path log = dir.resolve("nft.log");
        Path fail = dir.resolve("fail");
        Path fake = dir.resolve("flaky-nft.sh");
        // refuses everything while FILE exists (in a session: after reading the script's line), else accepts
        Files.writeString(fake, """
                if [ -e '%FAIL%' ]; then
                  if [ "$2" = "-i" ]; then read -r line; fi
                  echo boom >&2; exit 1
                fi
                cat >> '%LOG%'
                """.replace("%FAIL%", fail.toString()).replace("%LOG%", log.toString()));
        Nft flaky = new Nft(List.of("sh", fake.toString()));
        var inputs = new AtomicReference<>(GoldenCases.CASES.get("clusterip"));
        ProxySyncer syncer = new ProxySyncer(
                inputs::get, Fixtures.SETTINGS, flaky, Duration.ZERO, Duration.ofHours(1), Clock.systemUTC());
        assertThat(syncer.syncNow(false).kind()).isEqualTo("full");
        inputs.set(GoldenCases.CASES.get("edge-cases"));
        Files.createFile(fail);
        assertThatThrownBy(() -> syncer.syncNow(false))
                .isInstanceOf(Nft.NftException.class)
                .hasMessageContaining("boom");
        Files.delete(fail);
        assertThat(syncer.syncNow(false).kind()).isEqualTo("full");
    }
}
