package dev.capstan.client.informer;

import dev.capstan.client.ApiError;
import dev.capstan.client.ListOptions;
import dev.capstan.client.ObjectList;
import dev.capstan.client.ResourceClient;
import dev.capstan.client.WatchEvent;
import dev.capstan.client.WatchStream;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * A list+watch of one kind into an {@link Indexer}, shared by every loop of a process (client-go's
 * SharedIndexInformer).
 *
 * <p>Guarantees: the cache holds an object before any handler hears of it; each handler sees every change in the
 * order the cache saw it; a watch resumes from the last revision seen (bookmarks included), so a watch that ends
 * or fails loses nothing; only when that revision is compacted away (410) does the informer list again, and then
 * it tells handlers what changed meanwhile, deletions with the last state it knew. Every {@code resyncPeriod} each
 * handler gets an update for every cached object, so a loop that dropped a key converges anyway.
 */
public final class SharedInformer<T extends HasMetadata> implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(SharedInformer.class);
    private static final int PAGE = 500;
    private static final Duration MIN_BACKOFF = Duration.ofMillis(200);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

    private final ResourceClient<T> client;
    private final String namespace;
    private final ListOptions selector;
    private final Duration resyncPeriod;
    private final Indexer<T> cache = new Indexer<>();
    private final List<Listener<T>> listeners = new CopyOnWriteArrayList<>();
    private final CountDownLatch synced = new CountDownLatch(1);
    private final Object dispatch = new Object();
    private volatile String resourceVersion = "";
    private volatile boolean closed;
    private volatile WatchStream<T> stream;
    private volatile long lists;
    private Thread loop;
    private Thread resync;

    /**
     * @param namespace "" for all namespaces
     * @param selector label and field selectors of what to cache (its resourceVersion is ignored)
     * @param resyncPeriod zero for none
     */
    public SharedInformer(ResourceClient<T> client, String namespace, ListOptions selector, Duration resyncPeriod) {
        this.client = client;
        this.namespace = namespace;
        this.selector = selector.withResourceVersion("").withPage(0, "");
        this.resyncPeriod = resyncPeriod;
    }

    public Indexer<T> cache() {
        return cache;
    }

    public String kind() {
        return client.kind().kind();
    }

    /** The class objects decode to. */
    public Class<T> type() {
        return client.kind().type();
    }

    /**
     * Adds a handler. Added after the informer synced, it first hears of every cached object as an add, as
     * client-go's late handlers do.
     */
    public void addEventHandler(ResourceEventHandler<T> handler) {
        Listener<T> listener = new Listener<>(handler, kind());
        synchronized (dispatch) {
            listeners.add(listener);
            if (hasSynced()) {
                cache.list().forEach(o -> listener.enqueue(new Notification.Added<>(o)));
            }
        }
        listener.start();
    }

    public synchronized void start() {
        if (loop != null) {
            return;
        }
        loop = Thread.ofVirtual().name("informer-" + kind()).start(this::run);
        if (!resyncPeriod.isZero()) {
            resync = Thread.ofVirtual().name("informer-resync-" + kind()).start(this::resyncLoop);
        }
    }

    public boolean hasSynced() {
        return synced.getCount() == 0;
    }

    /** Waits until the first list is in the cache; false when {@code timeout} passed first. */
    public boolean waitForSync(Duration timeout) throws InterruptedException {
        return synced.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The revision the cache is at: the last list's or the last event's. */
    public String lastResourceVersion() {
        return resourceVersion;
    }

    /** How many times the informer listed (1 after the first sync; more after 410s). */
    public long listCount() {
        return lists;
    }

    @Override
    public void close() {
        closed = true;
        WatchStream<T> s = stream;
        if (s != null) {
            s.close();
        }
        Thread l = loop;
        if (l != null) {
            l.interrupt();
        }
        if (resync != null) {
            resync.interrupt();
        }
        listeners.forEach(Listener::close);
    }

    private void run() {
        boolean needList = true;
        Duration backoff = MIN_BACKOFF;
        while (!closed) {
            try {
                if (needList) {
                    listAndReplace();
                    needList = false;
                }
                watch();
                backoff = MIN_BACKOFF;
            } catch (ApiError e) {
                if (closed) {
                    return;
                }
                if (e.isGone()) {
                    LOG.debugf("%s: revision %s is compacted; listing again", kind(), resourceVersion);
                    needList = true;
                    continue;
                }
                LOG.warnf("%s informer: %s; retrying in %d ms", kind(), e.getMessage(), backoff.toMillis());
                if (!sleep(backoff)) {
                    return;
                }
                backoff = min(backoff.multipliedBy(2), MAX_BACKOFF);
            } catch (RuntimeException e) {
                if (closed) {
                    return;
                }
                LOG.errorf(e, "%s informer failed; retrying in %d ms", kind(), backoff.toMillis());
                if (!sleep(backoff)) {
                    return;
                }
                backoff = min(backoff.multipliedBy(2), MAX_BACKOFF);
            }
        }
    }

    /** Lists in pages and brings the cache to the list's state, telling handlers what differs. */
    private void listAndReplace() {
        String token = "";
        String listRevision = null;
        Set<String> seen = new HashSet<>();
        do {
            ObjectList<T> list = client.list(namespace, selector.withPage(PAGE, token));
            if (listRevision == null) {
                listRevision = list.resourceVersion();
            }
            synchronized (dispatch) {
                for (T item : list.items()) {
                    seen.add(Indexer.keyOf(item));
                    T old = cache.put(item);
                    notify(old == null ? new Notification.Added<>(item) : new Notification.Updated<>(old, item));
                }
            }
            token = list.continueToken();
        } while (token != null && !token.isEmpty());
        synchronized (dispatch) {
            for (String key : cache.keys()) {
                if (!seen.contains(key)) {
                    T gone = cache.remove(key);
                    notify(new Notification.Deleted<>(gone));
                }
            }
        }
        resourceVersion = listRevision;
        lists++;
        synced.countDown();
    }

    /** Watches from the cache's revision until the stream ends; a failure is thrown. */
    private void watch() {
        // Spread the streams' ends so that a process's informers do not all re-watch at once.
        int timeout = 300 + ThreadLocalRandom.current().nextInt(300);
        try (WatchStream<T> s = client.watch(namespace, selector.withResourceVersion(resourceVersion), true, timeout)) {
            stream = s;
            if (closed) {
                return;
            }
            while (s.hasNext()) {
                WatchEvent<T> event = s.next();
                synchronized (dispatch) {
                    switch (event) {
                        case WatchEvent.Added<T> added -> upsert(added.object());
                        case WatchEvent.Modified<T> modified -> upsert(modified.object());
                        case WatchEvent.Deleted<T> deleted -> {
                            cache.remove(Indexer.keyOf(deleted.object()));
                            notify(new Notification.Deleted<>(deleted.object()));
                        }
                        case WatchEvent.Bookmark<T> bookmark -> {
                            // only the revision moves
                        }
                    }
                    resourceVersion = event.resourceVersion();
                }
            }
        } finally {
            stream = null;
        }
    }

    private void upsert(T object) {
        T old = cache.put(object);
        notify(old == null ? new Notification.Added<>(object) : new Notification.Updated<>(old, object));
    }

    private void notify(Notification<T> notification) {
        for (Listener<T> listener : listeners) {
            listener.enqueue(notification);
        }
    }

    private void resyncLoop() {
        while (!closed && sleep(resyncPeriod)) {
            if (!hasSynced()) {
                continue;
            }
            synchronized (dispatch) {
                for (T item : cache.list()) {
                    notify(new Notification.Updated<>(item, item));
                }
            }
        }
    }

    private boolean sleep(Duration d) {
        try {
            Thread.sleep(d);
            return !closed;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
