package dev.capstan.netproxy.proxy;

import dev.capstan.netproxy.proxy.ProxyRenderer.ServicePart;
import dev.capstan.netproxy.proxy.netlink.NetlinkSocket;
import dev.capstan.netproxy.proxy.netlink.NftBatch;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Keeps the table in line with the informers' state, as upstream's BoundedFrequencyRunner around syncProxyRules:
 * {@link #requestSync()} only marks the state dirty; one thread syncs at most once per {@code minSyncPeriod}
 * (changes arriving meanwhile coalesce into the next sync) and at least once per {@code syncPeriod}.
 *
 * <p>A sync renders each Service's part of the table (reusing the parts of unchanged Services) and applies the
 * difference from the last applied parts (only the changed chains, elements and sets; nothing when nothing changed):
 * through netlink when only endpoints changed ({@link NetlinkDiff}), else with nft. Or a full rewrite, through
 * netlink ({@link NetlinkTable}) where it can be used, else with nft: {@link NftScripts#full} the first time and after
 * a failure (the table's state is unknown then), {@link NftScripts#refresh} (keeps session-affinity state, renders
 * everything afresh) once per max(syncPeriod, 1 h), as upstream's nftables mode.
 */
public final class ProxySyncer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ProxySyncer.class);
    static final Duration FULL_SYNC_PERIOD = Duration.ofHours(1);
    private static final Duration RETRY = Duration.ofSeconds(1);

    /**
     * What one sync did.
     *
     * @param scriptLines lines of the nft script, or commands of the netlink batch
     * @param netlink applied through netlink ({@link NetlinkDiff}) rather than nft
     */
    public record SyncResult(String kind, Duration renderTime, Duration applyTime, int scriptLines, boolean netlink) {}

    /** Besides a Service and its slices, what its part of the table depends on. */
    private record RenderedFor(ProxySettings settings, String nodeName, List<String> nodeAddresses) {}

    private final Supplier<ProxyInputs> inputs;
    private final Supplier<ProxySettings> settings;
    private final String table;
    private final Consumer<ProxyInputs> afterSync;
    private final Nft nft;
    private final Duration minSyncPeriod;
    private final Duration syncPeriod;
    private final Clock clock;
    private final Object lock = new Object();
    private boolean dirty = true;
    private boolean closed;
    private Thread thread;
    private Map<String, ServicePart> appliedParts; // what the table holds, by Service; null: unknown
    private Ruleset appliedRules; // the same merged, when a sync needed it; else null
    private RenderedFor appliedFor; // what appliedParts were rendered with, besides the Services and slices
    private Instant lastFull = Instant.MIN;
    private volatile SyncResult lastResult;
    private volatile SyncResult lastIncrementalChange;

    public ProxySyncer(
            Supplier<ProxyInputs> inputs,
            ProxySettings settings,
            Nft nft,
            Duration minSyncPeriod,
            Duration syncPeriod,
            Clock clock) {
        this(inputs, () -> settings, nft, minSyncPeriod, syncPeriod, clock, in -> {});
    }

    /**
     * @param inputs a snapshot of the informers' state, taken at each sync
     * @param settings the settings at each sync (the pod CIDR comes from the Node and may change); the table name
     *     must not change
     * @param afterSync called with the inputs of each successful sync (health-check ports follow them)
     */
    public ProxySyncer(
            Supplier<ProxyInputs> inputs,
            Supplier<ProxySettings> settings,
            Nft nft,
            Duration minSyncPeriod,
            Duration syncPeriod,
            Clock clock,
            Consumer<ProxyInputs> afterSync) {
        this.inputs = Objects.requireNonNull(inputs, "inputs");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.table = settings.get().table();
        this.afterSync = Objects.requireNonNull(afterSync, "afterSync");
        this.nft = Objects.requireNonNull(nft, "nft");
        this.minSyncPeriod = minSyncPeriod;
        this.syncPeriod = syncPeriod;
        this.clock = clock;
    }

    /** Starts the sync thread; the first sync runs at once. */
    public synchronized void start() {
        if (thread != null) {
            throw new IllegalStateException("already started");
        }
        thread = Thread.ofVirtual().name("netproxy-proxy-sync").start(this::loop);
    }

    /** Something the table depends on changed. Cheap; call it from informer handlers. */
    public void requestSync() {
        synchronized (lock) {
            dirty = true;
            lock.notifyAll();
        }
    }

    public SyncResult lastResult() {
        return lastResult;
    }

    /**
     * The last incremental sync that had something to apply; unlike {@link #lastResult()}, a sync that found the
     * table already right (woken by a change that renders the same rules, or by the periodic sync) leaves it be.
     */
    public SyncResult lastIncrementalChange() {
        return lastIncrementalChange;
    }

    /**
     * Renders and applies now, on the caller's thread (the loop calls it; tests and the benchmark too).
     *
     * @param full rewrite everything rather than apply the difference
     */
    public synchronized SyncResult syncNow(boolean full) {
        long t0 = System.nanoTime();
        ProxySettings settings = this.settings.get();
        ProxyInputs snapshot = inputs.get();
        // an incremental sync reuses the unchanged Services' parts; a full one renders everything afresh
        RenderedFor renderedFor = new RenderedFor(settings, snapshot.nodeName(), snapshot.nodeAddresses());
        boolean reuse = appliedParts != null && !full && renderedFor.equals(appliedFor);
        Map<String, ServicePart> next = ProxyRenderer.parts(snapshot, settings, reuse ? appliedParts : Map.of());
        Ruleset nextRules = appliedParts == null || full ? ProxyRenderer.merge(next) : null;
        long t1 = System.nanoTime();
        String kind;
        String script = null;
        NftBatch batch = null;
        try {
            if (appliedParts == null) {
                kind = "full";
                Ruleset rules = nextRules;
                batch = throughNetlink(() -> NetlinkTable.full(rules, settings), kind);
                if (batch == null) {
                    script = NftScripts.full(nextRules, settings);
                    nft.apply(script);
                }
            } else if (full) {
                kind = "refresh";
                Ruleset old = appliedRules();
                Ruleset rules = nextRules;
                batch = throughNetlink(() -> NetlinkTable.refresh(old, rules, settings), kind);
                if (batch == null) {
                    script = NftScripts.refresh(appliedRules(), nextRules, settings);
                    nft.apply(script);
                }
            } else {
                kind = "incremental";
                // endpoint changes straight through netlink; the rest, or without netlink, through nft
                NftBatch endpointsOnly =
                        NetlinkDiff.batch(appliedParts, next, table).orElse(null);
                if (endpointsOnly != null && nft.applyBatch(endpointsOnly)) {
                    batch = endpointsOnly;
                } else {
                    nextRules = ProxyRenderer.merge(next);
                    script = NftScripts.diff(appliedRules(), nextRules, settings);
                    if (!script.isEmpty()) {
                        nft.applyCommands(table, script); // one command per line: the long-lived session may take it
                    }
                }
            }
        } catch (RuntimeException e) {
            appliedParts = null; // unknown now: the next sync replaces the table
            appliedRules = null;
            throw e;
        }
        appliedParts = next;
        appliedRules = nextRules;
        appliedFor = renderedFor;
        if (full || kind.equals("full")) {
            lastFull = clock.instant();
        }
        long t2 = System.nanoTime();
        SyncResult result = new SyncResult(
                kind,
                Duration.ofNanos(t1 - t0),
                Duration.ofNanos(t2 - t1),
                batch != null ? batch.commands() : (int) script.lines().count(),
                batch != null);
        lastResult = result;
        if (kind.equals("incremental") && result.scriptLines() > 0) {
            lastIncrementalChange = result;
        }
        afterSync.accept(snapshot);
        return result;
    }

    /**
     * Builds and applies a whole-table batch through netlink; null if netlink cannot be used here (then nothing is
     * built), if there is no batch, or if the kernel refused it (nothing of it applied): nft's script then does the
     * same, and says what is wrong if it is the input.
     */
    private NftBatch throughNetlink(Supplier<java.util.Optional<NftBatch>> build, String kind) {
        if (!nft.netlinkAvailable()) {
            return null;
        }
        java.util.Optional<NftBatch> batch = build.get();
        if (batch.isEmpty()) {
            return null;
        }
        try {
            return nft.applyBatch(batch.get()) ? batch.get() : null;
        } catch (NetlinkSocket.NetlinkException e) {
            LOG.warnf("the %s sync through netlink failed, nft applies it instead: %s", kind, e.getMessage());
            return null;
        }
    }

    /** The table's content as one ruleset, for the scripts that need it. */
    private Ruleset appliedRules() {
        if (appliedRules == null) {
            appliedRules = ProxyRenderer.merge(appliedParts);
        }
        return appliedRules;
    }

    private void loop() {
        Instant lastSync = Instant.MIN;
        while (true) {
            try {
                synchronized (lock) {
                    // wake for a change, or for the periodic sync
                    while (!closed && !dirty && clock.instant().isBefore(lastSync.plus(syncPeriod))) {
                        long millis = Duration.between(clock.instant(), lastSync.plus(syncPeriod))
                                .toMillis();
                        lock.wait(Math.max(1, millis));
                    }
                    if (closed) {
                        return;
                    }
                }
                Duration wait = lastSync == Instant.MIN
                        ? Duration.ZERO
                        : Duration.between(clock.instant(), lastSync.plus(minSyncPeriod));
                if (wait.isPositive()) {
                    Thread.sleep(wait); // coalesce: changes arriving meanwhile ride along
                }
                synchronized (lock) {
                    dirty = false;
                }
                lastSync = clock.instant();
                boolean full = !lastSync.isBefore(lastFull.plus(fullSyncPeriod()));
                SyncResult r = syncNow(full);
                LOG.debugf(
                        "synced table %s: %s, render %d µs, apply %d µs, %d %s",
                        table,
                        r.kind(),
                        r.renderTime().toNanos() / 1000,
                        r.applyTime().toNanos() / 1000,
                        r.scriptLines(),
                        r.netlink() ? "netlink commands" : "lines");
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.error("syncing the Service table failed; retrying: " + e.getMessage());
                synchronized (lock) {
                    dirty = true;
                }
                try {
                    Thread.sleep(minSyncPeriod.compareTo(RETRY) > 0 ? minSyncPeriod : RETRY);
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    /**
     * How often the periodic sync rewrites everything rather than applying the (usually empty) difference:
     * upstream's nftables fullSyncPeriod, one hour; a rewrite of 10,000 endpoint chains costs about a second.
     */
    private Duration fullSyncPeriod() {
        return syncPeriod.compareTo(FULL_SYNC_PERIOD) > 0 ? syncPeriod : FULL_SYNC_PERIOD;
    }

    /** Stops the thread and deletes the table. */
    @Override
    public void close() {
        Thread running;
        synchronized (lock) {
            closed = true;
            lock.notifyAll();
        }
        synchronized (this) {
            running = thread;
        }
        if (running != null) {
            running.interrupt();
            try {
                running.join(Duration.ofSeconds(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            nft.apply("add table ip " + table + "\ndelete table ip " + table + "\n");
        } catch (RuntimeException e) {
            LOG.warn("could not delete table " + table + ": " + e.getMessage());
        }
        nft.close();
    }
}
