package dev.capstan.netproxy.policy;

import dev.capstan.client.informer.ResourceEventHandler;
import dev.capstan.client.informer.SharedInformer;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Keeps the policy table in step with the informers: any change of a pod, namespace or NetworkPolicy asks for a
 * sync; syncs start at least {@code minSyncPeriod} apart (a burst of changes becomes one render), render the table
 * from the caches and apply it only when the text differs from what was last applied. Every {@code syncPeriod}
 * it applies even unchanged text, repairing a table someone else altered or deleted (upstream's
 * --iptables-sync-period). A failed apply is retried with back-off, from {@code minSyncPeriod} doubling to 30 s.
 */
public final class PolicySyncer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(PolicySyncer.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(35);

    /** The informers the table is a function of (all namespaces, cluster-wide). */
    public record Sources(
            SharedInformer<Pod> pods, SharedInformer<Namespace> namespaces, SharedInformer<NetworkPolicy> policies) {}

    private final Sources sources;
    private final String nodeName;
    private final PolicyTable table;
    private final Duration minSyncPeriod;
    private final Duration syncPeriod;
    /** A pending request for a sync; requests made while one is pending collapse into it. */
    private final BlockingQueue<Boolean> kick = new ArrayBlockingQueue<>(1);

    private final AtomicLong applies = new AtomicLong();
    private volatile boolean closed;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile String applied;
    /** After failed applies, the wait before the next try (doubling from minSyncPeriod); zero after a success. */
    private Duration backoff = Duration.ZERO;

    private Thread loop;

    /** @param nodeName the node whose pods the table guards */
    public PolicySyncer(
            Sources sources, String nodeName, PolicyTable table, Duration minSyncPeriod, Duration syncPeriod) {
        this.sources = sources;
        this.nodeName = nodeName;
        this.table = table;
        this.minSyncPeriod = minSyncPeriod;
        this.syncPeriod = syncPeriod;
    }

    /** Registers the handlers and starts syncing; the first sync happens at once. */
    public synchronized void start() {
        if (loop != null) {
            return;
        }
        sources.pods().addEventHandler(ResourceEventHandler.onAny(o -> requestSync()));
        sources.namespaces().addEventHandler(ResourceEventHandler.onAny(o -> requestSync()));
        sources.policies().addEventHandler(ResourceEventHandler.onAny(o -> requestSync()));
        requestSync();
        loop = Thread.ofVirtual().name("policy-sync").start(this::run);
    }

    /** Asks for a sync; cheap, and safe from any thread. */
    public void requestSync() {
        kick.offer(Boolean.TRUE);
    }

    /** How many times the table was loaded. */
    public long applies() {
        return applies.get();
    }

    /** The text last loaded, or null before the first load (and after a failed one). */
    public String appliedText() {
        return applied;
    }

    /** Stops syncing (an apply under way finishes first) and removes the table. */
    @Override
    public void close() {
        closed = true;
        stopped.countDown();
        requestSync();
        Thread l;
        synchronized (this) {
            l = loop;
        }
        if (l != null) {
            try {
                if (!l.join(CLOSE_WAIT)) {
                    l.interrupt();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            table.close();
        } catch (RuntimeException e) {
            LOG.warnf("could not remove the policy table %s: %s", table.name(), e.getMessage());
        }
    }

    private void run() {
        long last = 0;
        long lastFull = System.nanoTime();
        while (!closed) {
            try {
                long wait = Math.max(0, syncPeriod.toNanos() - (System.nanoTime() - lastFull));
                kick.poll(wait, TimeUnit.NANOSECONDS);
                long gap = Math.max(minSyncPeriod.toNanos(), backoff.toNanos()) - (System.nanoTime() - last);
                if (last != 0 && gap > 0) {
                    stopped.await(gap, TimeUnit.NANOSECONDS);
                }
                if (closed) {
                    return;
                }
                kick.clear(); // what arrived while waiting is covered by this sync
                last = System.nanoTime();
                boolean full = last - lastFull >= syncPeriod.toNanos();
                if (full) {
                    lastFull = last;
                }
                sync(full);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void sync(boolean full) {
        long start = System.nanoTime();
        try {
            String text = PolicyRenderer.render(
                    table.name(),
                    new PolicyInputs(
                            nodeName,
                            sources.policies().cache().list(),
                            sources.pods().cache().list(),
                            sources.namespaces().cache().list()));
            if (!full && text.equals(applied)) {
                return;
            }
            table.apply(text);
            applied = text;
            applies.incrementAndGet();
            backoff = Duration.ZERO;
            LOG.debugf("policy table %s loaded in %d ms", table.name(), (System.nanoTime() - start) / 1_000_000);
        } catch (RuntimeException e) {
            // a render that throws is a bug, but the loop must live on to load the next good text
            applied = null;
            backoff = backoff.isZero() ? minSyncPeriod : min(backoff.multipliedBy(2), MAX_BACKOFF);
            LOG.errorf(e, "could not sync the policy table %s; retrying in %d ms", table.name(), backoff.toMillis());
            requestSync();
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
