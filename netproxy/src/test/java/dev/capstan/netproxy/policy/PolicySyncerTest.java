package dev.capstan.netproxy.policy;

import static dev.capstan.netproxy.policy.Fixtures.NODE;
import static dev.capstan.netproxy.policy.Fixtures.labels;
import static dev.capstan.netproxy.policy.Fixtures.namespace;
import static dev.capstan.netproxy.policy.Fixtures.pod;
import static dev.capstan.netproxy.policy.Fixtures.policy;
import static dev.capstan.netproxy.policy.Fixtures.selector;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.capstan.client.Kinds;
import dev.capstan.client.fake.FakeApiClient;
import dev.capstan.client.informer.InformerFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The syncer against informers of a fake API server; "nft" is a shell that appends each script it gets to a file,
 * so the test sees exactly what would have been loaded, and how often.
 */
class PolicySyncerTest {
    private static final String TABLE = "capstan-policy";

    @TempDir
    Path dir;

    private final FakeApiClient api = new FakeApiClient();
    private final InformerFactory factory = new InformerFactory(api, Duration.ZERO);
    private PolicySyncer syncer;
    private Path scripts;

    @BeforeEach
    void start() throws InterruptedException {
        scripts = dir.resolve("scripts");
        api.resources(Kinds.NAMESPACES).create(namespace("shop"));
        api.resources(Kinds.PODS).create(pod("shop", "web", NODE, "10.244.0.10", labels("app", "web")));
        var sources = new PolicySyncer.Sources(
                factory.informer(Kinds.PODS),
                factory.informer(Kinds.NAMESPACES),
                factory.informer(Kinds.NETWORK_POLICIES));
        factory.start();
        assertThat(factory.waitForSync(Duration.ofSeconds(10))).isTrue();
        var table = new PolicyTable(
                TABLE,
                new dev.capstan.netproxy.proxy.Nft(
                        List.of("sh", "-c", "cat >> '" + scripts + "'; echo '#end' >> '" + scripts + "'")));
        syncer = new PolicySyncer(sources, NODE, table, Duration.ofMillis(300), Duration.ofMinutes(10));
        syncer.start();
    }

    @AfterEach
    void stop() {
        if (syncer != null) {
            syncer.close();
        }
        factory.close();
    }

    @Test
    void loadsTheTableAtOnceThenOnlyWhenItsTextChanges() throws IOException {
        await().atMost(Duration.ofSeconds(5)).until(() -> syncer.applies() == 1);
        assertThat(loaded()).hasSize(1);
        assertThat(loaded().getFirst())
                .startsWith("table ip capstan-policy\ndelete table ip capstan-policy\ntable ip capstan-policy {")
                .doesNotContain("chain ingress-shop/web");

        api.resources(Kinds.NETWORK_POLICIES)
                .create(policy("shop", "deny", selector(), List.of("Ingress"), List.of(), List.of()));
        await().atMost(Duration.ofSeconds(5)).until(() -> syncer.applies() == 2);
        assertThat(loaded().getLast()).contains("10.244.0.10 : jump ingress-shop/web", "chain ingress-shop/web");

        // a change that leaves the table as it was loads nothing
        var web = api.resources(Kinds.PODS).get("shop", "web").orElseThrow();
        web.getMetadata().getAnnotations().put("note", "irrelevant");
        api.resources(Kinds.PODS).update(web);
        syncer.requestSync();
        await().pollDelay(Duration.ofMillis(800)).atMost(Duration.ofSeconds(2)).until(() -> true);
        assertThat(syncer.applies()).isEqualTo(2);
        assertThat(syncer.appliedText()).isEqualTo(PolicyRenderer.render(TABLE, inputsNow()));
    }

    @Test
    void aBurstOfChangesBecomesFewSyncs() throws IOException {
        await().atMost(Duration.ofSeconds(5)).until(() -> syncer.applies() == 1);
        api.resources(Kinds.NETWORK_POLICIES)
                .create(policy("shop", "deny", selector(), List.of("Ingress"), List.of(), List.of()));
        for (int i = 0; i < 40; i++) {
            api.resources(Kinds.PODS).create(pod("shop", "p" + i, NODE, "10.244.0." + (100 + i), labels()));
        }
        await().atMost(Duration.ofSeconds(10))
                .until(() ->
                        syncer.appliedText() != null && syncer.appliedText().contains("chain ingress-shop/p39"));
        // 41 changes in well under the 300 ms minimum sync period apart: a handful of loads, not 41
        assertThat(syncer.applies()).isBetween(2L, 5L);
        assertThat(loaded().getLast()).contains("10.244.0.139 : jump ingress-shop/p39");
    }

    @Test
    void everySyncPeriodTheSameTextIsLoadedAgain() {
        await().atMost(Duration.ofSeconds(5)).until(() -> syncer.applies() == 1);
        syncer.close();
        var sources = new PolicySyncer.Sources(
                factory.informer(Kinds.PODS),
                factory.informer(Kinds.NAMESPACES),
                factory.informer(Kinds.NETWORK_POLICIES));
        var table = new PolicyTable(TABLE, new dev.capstan.netproxy.proxy.Nft(List.of("sh", "-c", "cat > /dev/null")));
        syncer = new PolicySyncer(sources, NODE, table, Duration.ofMillis(50), Duration.ofMillis(300));
        syncer.start();
        // nothing changes, yet the table is loaded again and again to repair drift
        await().atMost(Duration.ofSeconds(5)).until(() -> syncer.applies() >= 3);
    }

    @Test
    void closeRemovesTheTable() throws IOException {
        await().atMost(Duration.ofSeconds(5)).until(() -> syncer.applies() == 1);
        syncer.close();
        syncer = null;
        assertThat(loaded().getLast()).isEqualTo("table ip capstan-policy\ndelete table ip capstan-policy\n");
    }

    @Test
    void aFailedLoadIsRetried() throws IOException {
        await().atMost(Duration.ofSeconds(5)).until(() -> syncer.applies() == 1);
        syncer.close();
        Path failures = dir.resolve("failures");
        // fails twice, then works
        var flaky = new PolicyTable(
                TABLE,
                new dev.capstan.netproxy.proxy.Nft(List.of(
                        "sh",
                        "-c",
                        "echo x >> '" + failures + "'; [ $(wc -l < '" + failures + "') -gt 2 ] && cat > /dev/null")));
        var sources = new PolicySyncer.Sources(
                factory.informer(Kinds.PODS),
                factory.informer(Kinds.NAMESPACES),
                factory.informer(Kinds.NETWORK_POLICIES));
        syncer = new PolicySyncer(sources, NODE, flaky, Duration.ofMillis(50), Duration.ofMinutes(10));
        syncer.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> syncer.applies() == 1);
        assertThat(Files.readAllLines(failures)).hasSize(3);
    }

    private PolicyInputs inputsNow() {
        return new PolicyInputs(
                NODE,
                factory.informer(Kinds.NETWORK_POLICIES).cache().list(),
                factory.informer(Kinds.PODS).cache().list(),
                factory.informer(Kinds.NAMESPACES).cache().list());
    }

    /** The scripts "nft" got, in order. */
    private List<String> loaded() throws IOException {
        if (!Files.exists(scripts)) {
            return List.of();
        }
        List<String> out =
                new java.util.ArrayList<>(List.of(Files.readString(scripts).split("#end\n", -1)));
        out.removeLast();
        return out;
    }
}
