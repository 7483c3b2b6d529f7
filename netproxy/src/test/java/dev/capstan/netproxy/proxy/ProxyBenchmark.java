package dev.capstan.netproxy.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Render + apply times for 1,000 ClusterIP Services × 10 endpoints, in a namespace of its own: a full sync (table
 * replaced) and an incremental one after one endpoint changed. Not part of the normal test run (the name does not
 * end in Test); run it with
 * {@code ./mvnw -B -o test -pl netproxy -Dtest=ProxyBenchmark -Dproxy.bench=true -Dspotless.check.skip=true}
 * ({@code -Dbench.changes=N} times N endpoint changes rather than 14, {@code -Dbench.netlink=false} applies them with nft
 * alone; {@code -Dbench.dump=DIR} also writes the full and a one-change script there, to time nft by hand). Goals: full ≤ 200 ms,
 * one change ≤ 20 ms.
 */
class ProxyBenchmark {
    private static final int SERVICES = 1000;
    private static final int ENDPOINTS = 10;
    private static final int ROUNDS = 7;
    /** {@code -Dbench.netlink=false}: every change through nft, as before netlink, to compare. */
    private static final boolean NETLINK = !"false".equals(System.getProperty("bench.netlink"));

    @Test
    void renderAndApply() throws InterruptedException {
        Assumptions.assumeTrue(Boolean.getBoolean("proxy.bench"), "a benchmark: run with -Dproxy.bench=true");
        NftTestSupport.requireRootAndNft();
        List<Service> services = new ArrayList<>();
        List<EndpointSlice> slices = new ArrayList<>();
        for (int i = 0; i < SERVICES; i++) {
            String name = "svc-" + i;
            services.add(Fixtures.service(
                            "bench", name, "10.96." + (i / 250) + "." + (i % 250 + 1), Fixtures.port("http", 80, 8080))
                    .build());
            slices.add(slice(name, i, 0));
        }
        AtomicReference<ProxyInputs> inputs = new AtomicReference<>(Fixtures.inputs(services, slices));
        try (TestNetns ns = new TestNetns()) {
            ProxySyncer syncer = new ProxySyncer(
                    inputs::get,
                    Fixtures.SETTINGS,
                    new Nft(ns.prefix(), NETLINK),
                    Duration.ZERO,
                    Duration.ofHours(1),
                    Clock.systemUTC());
            long[][] full = new long[ROUNDS][];
            long[][] incremental = new long[Integer.getInteger("bench.changes", 2 * ROUNDS)][];
            int lines = 0;
            int changeLines = 0;
            int throughNetlink = 0;
            for (int round = 0; round < ROUNDS; round++) {
                // full: from scratch (the table is replaced) as at start-up or after a failure
                syncer.close();
                syncer = new ProxySyncer(
                        inputs::get,
                        Fixtures.SETTINGS,
                        new Nft(ns.prefix(), NETLINK),
                        Duration.ZERO,
                        Duration.ofHours(1),
                        Clock.systemUTC());
                ProxySyncer.SyncResult f = syncer.syncNow(true);
                assertThat(f.kind()).isEqualTo("full");
                full[round] =
                        new long[] {f.renderTime().toNanos(), f.applyTime().toNanos()};
                lines = f.scriptLines();
            }
            // the kernel frees the replaced tables' chains in the background: let it finish before timing changes
            Thread.sleep(3000);
            // incremental, on the last syncer as in steady state: one endpoint of one Service moves, then back
            for (int change = 0; change < incremental.length; change++) {
                if (change % 2 == 0) {
                    List<EndpointSlice> changed = new ArrayList<>(slices);
                    int victim = change * 97 % SERVICES;
                    changed.set(victim, slice("svc-" + victim, victim, change + 1));
                    inputs.set(Fixtures.inputs(services, changed));
                } else {
                    inputs.set(Fixtures.inputs(services, slices));
                }
                ProxySyncer.SyncResult c = syncer.syncNow(false);
                assertThat(c.kind()).isEqualTo("incremental");
                incremental[change] =
                        new long[] {c.renderTime().toNanos(), c.applyTime().toNanos()};
                changeLines = c.scriptLines();
                throughNetlink += c.netlink() ? 1 : 0;
            }
            // the same count of changes of two other kinds: a Service's endpoints all go, then come back (a
            // Deployment scaled to 0 and up, or a one-pod Service failing readiness); a Service added, then removed
            long[][] emptied = new long[incremental.length][];
            long[][] serviceAdded = new long[incremental.length][];
            int otherNetlink = 0;
            for (int change = 0; change < incremental.length; change++) {
                int victim = (change / 2) * 89 % SERVICES;
                List<EndpointSlice> changed = new ArrayList<>(slices);
                if (change % 2 == 0) {
                    changed.set(
                            victim,
                            Fixtures.slice(
                                    "bench",
                                    "svc-" + victim,
                                    "svc-" + victim + "-1",
                                    List.of(Fixtures.slicePort("http", "TCP", 8080))));
                }
                inputs.set(Fixtures.inputs(services, changed));
                ProxySyncer.SyncResult c = syncer.syncNow(false);
                emptied[change] =
                        new long[] {c.renderTime().toNanos(), c.applyTime().toNanos()};
                otherNetlink += c.netlink() ? 1 : 0;
            }
            for (int change = 0; change < incremental.length; change++) {
                List<Service> more = new ArrayList<>(services);
                List<EndpointSlice> moreSlices = new ArrayList<>(slices);
                if (change % 2 == 0) {
                    more.add(Fixtures.service("bench", "extra", "10.96.250.1", Fixtures.port("http", 80, 8080))
                            .build());
                    moreSlices.add(slice("extra", SERVICES, 0));
                }
                inputs.set(Fixtures.inputs(more, moreSlices));
                ProxySyncer.SyncResult c = syncer.syncNow(false);
                serviceAdded[change] =
                        new long[] {c.renderTime().toNanos(), c.applyTime().toNanos()};
                otherNetlink += c.netlink() ? 1 : 0;
            }
            inputs.set(Fixtures.inputs(services, slices));
            if (System.getProperty("bench.dump") != null) {
                dump(inputs.get(), slices, services);
            }
            System.out.println("incremental render + apply times (ms): "
                    + Arrays.stream(incremental)
                            .map(t -> String.format("%.1f+%.1f", t[0] / 1e6, t[1] / 1e6))
                            .toList());
            System.out.println("emptied / refilled apply times (ms): "
                    + Arrays.stream(emptied)
                            .map(t -> String.format("%.1f", t[1] / 1e6))
                            .toList());
            System.out.printf(
                    "  every endpoint of a Service goes, or comes back: render %.1f ms + apply %.1f ms%n"
                            + "  a Service is added or removed: render %.1f ms + apply %.1f ms (%d of %d through"
                            + " netlink)%n",
                    median(emptied, 0),
                    median(emptied, 1),
                    median(serviceAdded, 0),
                    median(serviceAdded, 1),
                    otherNetlink,
                    2 * incremental.length);
            ProxySyncer.SyncResult refresh = syncer.syncNow(true);
            syncer.close();
            System.out.printf(
                    "ProxyBenchmark %d services x %d endpoints (%d script lines or netlink commands), medians of %d full, %d changes:%n"
                            + "  full:        render %.1f ms + apply %.1f ms = %.1f ms%n"
                            + "  incremental: render %.1f ms + apply %.1f ms = %.1f ms (%d script lines or netlink"
                            + " commands; %d of %d through netlink)%n"
                            + "  refresh (periodic resync): render %.1f ms + apply %.1f ms%n",
                    SERVICES,
                    ENDPOINTS,
                    lines,
                    ROUNDS,
                    incremental.length,
                    median(full, 0),
                    median(full, 1),
                    median(full, 0) + median(full, 1),
                    median(incremental, 0),
                    median(incremental, 1),
                    median(incremental, 0) + median(incremental, 1),
                    changeLines,
                    throughNetlink,
                    incremental.length,
                    refresh.renderTime().toNanos() / 1e6,
                    refresh.applyTime().toNanos() / 1e6);
        }
    }

    /** Service i's slice; {@code generation} > 0 moves its first endpoint to another address. */
    private static EndpointSlice slice(String service, int i, int generation) {
        Endpoint[] endpoints = new Endpoint[ENDPOINTS];
        for (int e = 0; e < ENDPOINTS; e++) {
            int host = e == 0 && generation > 0 ? 100 + generation : e + 1;
            endpoints[e] = Fixtures.ready(
                    "10." + (100 + i / 250) + "." + (i % 250) + "." + host, e % 2 == 0 ? Fixtures.NODE : "node-b");
        }
        return Fixtures.slice(
                "bench", service, service + "-1", List.of(Fixtures.slicePort("http", "TCP", 8080)), endpoints);
    }

    /** Writes the full and a one-change script to the directory named by bench.dump, for timing nft by hand. */
    private static void dump(ProxyInputs inputs, List<EndpointSlice> slices, List<Service> services) {
        try {
            var dir = java.nio.file.Path.of(System.getProperty("bench.dump"));
            Ruleset before = ProxyRenderer.ruleset(inputs, Fixtures.SETTINGS);
            List<EndpointSlice> changed = new ArrayList<>(slices);
            changed.set(3, slice("svc-3", 3, 9));
            Ruleset after = ProxyRenderer.ruleset(Fixtures.inputs(services, changed), Fixtures.SETTINGS);
            java.nio.file.Files.writeString(dir.resolve("full.nft"), NftScripts.full(before, Fixtures.SETTINGS));
            java.nio.file.Files.writeString(dir.resolve("diff.nft"), NftScripts.diff(before, after, Fixtures.SETTINGS));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static double median(long[][] samples, int column) {
        long[] values =
                Arrays.stream(samples).mapToLong(s -> s[column]).sorted().toArray();
        return values[values.length / 2] / 1e6;
    }
}
