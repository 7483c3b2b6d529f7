package dev.capstan.netproxy.proxy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Keeps the table in line with the informers' state, as upstream's BoundedFrequencyRunner around syncProxyRules:
 * {@link #requestSync()} only marks the state dirty; one thread syncs at most once per {@code minSyncPeriod}
 * (changes arriving meanwhile coalesce into the next sync) and at least once per {@code syncPeriod}.
 *
 * <p>A sync renders the whole {@link Ruleset} (cheap) and applies its difference from the last applied one (only
 * the changed chains, elements and sets; nothing when nothing changed), or a full rewrite: {@link NftScripts#full}
 * the first time and after a failure (the table's state is unknown then), {@link NftScripts#refresh} (keeps
 * session-affinity state) once per max(syncPeriod, 1 h), as upstream's nftables mode.
 */
public final class ProxySyncer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ProxySyncer.class);
    static final Duration FULL_SYNC_PERIOD = Duration.ofHours(1);
    private static final Duration RETRY = Duration.ofSeconds(1);

    /** What one sync did. */
    public record SyncResult(String kind, Duration renderTime, Duration applyTime, int scriptLines) {}

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
    private Ruleset applied; // null: the table's content is unknown
    private Instant lastFull = Instant.MIN;
    private volatile SyncResult lastResult;

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
     * Renders and applies now, on the caller's thread (the loop calls it; tests and the benchmark too).
     *
     * @param full rewrite everything rather than apply the difference
     */
    public synchronized SyncResult syncNow(boolean full) {
        long t0 = System.nanoTime();
        ProxySettings settings = this.settings.get();
        ProxyInputs snapshot = inputs.get();
        Ruleset next = ProxyRenderer.ruleset(snapshot, settings);
        long t1 = System.nanoTime();
        String kind;
        String script;
        if (applied == null) {
            kind = "full";
            script = NftScripts.full(next, settings);
        } else if (full) {
            kind = "refresh";
            script = NftScripts.refresh(applied, next, settings);
        } else {
            kind = "incremental";
            script = NftScripts.diff(applied, next, settings);
        }
        try {
            if (kind.equals("incremental")) {
                if (!script.isEmpty()) {
                    nft.applyCommands(table, script); // one command per line: the long-lived session may take it
                }
            } else {
                nft.apply(script);
            }
        } catch (RuntimeException e) {
            applied = null; // unknown now: the next sync replaces the table
            throw e;
        }
        applied = next;
        if (full || kind.equals("full")) {
            lastFull = clock.instant();
        }
        long t2 = System.nanoTime();
        SyncResult result = new SyncResult(kind, Duration.ofNanos(t1 - t0), Duration.ofNanos(t2 - t1), (int)
                script.lines().count());
        lastResult = result;
        afterSync.accept(snapshot);
        return result;
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
                        "synced table %s: %s, render %d µs, apply %d µs, %d lines",
                        table,
                        r.kind(),
                        r.renderTime().toNanos() / 1000,
                        r.applyTime().toNanos() / 1000,
                        r.scriptLines());
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
