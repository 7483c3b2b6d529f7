package dev.capstan.client.component;

import dev.capstan.client.ApiClient;
import dev.capstan.client.ApiConnection;
import dev.capstan.client.informer.InformerFactory;
import dev.capstan.client.leader.LeaderElectionConfig;
import dev.capstan.client.leader.LeaderElector;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Runs a component's loops only while it leads: informers start at once (a standby keeps warm caches, as upstream's
 * components do), the loops start when this replica is elected and its caches have synced, and losing leadership
 * ends the process's work for good ({@code onLost}; upstream's components exit then, and so should the app).
 *
 * <p>Ready means connected and synced, and leading or standing by: a standby is healthy, it just waits.
 */
public final class ComponentRuntime implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ComponentRuntime.class);
    private static final Duration SYNC_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration API_WAIT = Duration.ofMinutes(1);

    /** A component's loops: started once when it leads, closed when it stops leading or shuts down. */
    public interface Loops extends AutoCloseable {
        void start();

        @Override
        void close();
    }

    private final String name;
    private final InformerFactory informers;
    private final Optional<LeaderElector> elector;
    private final Loops loops;
    private final Runnable onLost;
    private volatile boolean running;
    private volatile boolean closed;

    /**
     * @param election empty to run without leader election (a single replica)
     * @param onLost what to do when leadership is lost: the apps exit, as upstream's do
     */
    public ComponentRuntime(
            String name,
            ApiClient api,
            InformerFactory informers,
            Optional<LeaderElectionConfig> election,
            Loops loops,
            Runnable onLost,
            Clock clock) {
        this.name = name;
        this.informers = informers;
        this.elector = election.map(config -> new LeaderElector(api, config, clock));
        this.loops = loops;
        this.onLost = onLost;
    }

    /**
     * Waits (a minute at most) until the API server answers, for a component started beside it rather than after
     * it: its first calls then succeed instead of waiting out the leader election's retry period or an informer's
     * back-off. Past the minute it goes on, and its calls report what is wrong.
     */
    public static void awaitApi(String component, ApiConnection connection) {
        try {
            if (!connection.awaitAvailable(API_WAIT)) {
                LOG.warnf("%s: the API server did not answer in %s; starting anyway", component, API_WAIT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public void start() {
        informers.start();
        if (elector.isEmpty()) {
            Thread.ofVirtual().name(name + "-start").start(this::lead);
            return;
        }
        elector.get().start(new LeaderElector.Callbacks() {
            @Override
            public void onStartedLeading() {
                Thread.ofVirtual().name(name + "-start").start(ComponentRuntime.this::lead);
            }

            @Override
            public void onStoppedLeading() {
                stopLoops();
                if (!closed) {
                    LOG.errorf("%s: leader election lost", name);
                    onLost.run();
                }
            }

            @Override
            public void onNewLeader(String identity) {
                LOG.infof("%s: the leader is now %s", name, identity);
            }
        });
    }

    private void lead() {
        try {
            if (!informers.waitForSync(SYNC_TIMEOUT)) {
                LOG.errorf("%s: caches did not sync in %s", name, SYNC_TIMEOUT);
                onLost.run();
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        synchronized (this) {
            if (closed || running) {
                return;
            }
            running = true;
            loops.start();
        }
        LOG.infof("%s: leading; loops started", name);
    }

    private synchronized void stopLoops() {
        if (running) {
            running = false;
            loops.close();
        }
    }

    /** Whether this replica's loops run. */
    public boolean isLeading() {
        return running;
    }

    /** Caches synced, and leading or standing by. */
    public boolean isReady() {
        return !closed && informers.hasSynced();
    }

    /** "leading", "standby" or "starting", for health reports. */
    public String state() {
        if (running) {
            return "leading";
        }
        return informers.hasSynced() ? "standby" : "starting";
    }

    @Override
    public void close() {
        closed = true;
        stopLoops();
        elector.ifPresent(LeaderElector::close);
        informers.close();
    }
}
