package dev.capstan.api.watch;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.Json;
import dev.capstan.api.cache.CacheAnswer;
import dev.capstan.api.cache.CacheEvent;
import dev.capstan.api.cache.CacheWatch;
import dev.capstan.api.cache.CachedObject;
import dev.capstan.api.cache.SnapshotWatch;
import dev.capstan.api.cache.WatchCache;
import dev.capstan.api.cache.WatchObject;
import dev.capstan.api.metrics.ApiMetrics;
import dev.capstan.api.registry.ResourceType;
import dev.capstan.api.resources.ListOptions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;

/**
 * Runs one API watch to its end on the calling (virtual) thread. Watches are served from the watch cache; one
 * that starts before the cache's window of recent events (or while the cache is re-syncing) is served from the
 * store's change log instead.
 */
public final class Watcher {
    private static final Duration POLL = Duration.ofMillis(500);
    // How long a watch from a revision the cache has not reached yet waits for it before going to the store.
    private static final Duration CATCH_UP = Duration.ofSeconds(3);

    private final WatchCache cache;
    private final StoreWatcher storeWatcher;
    private final ApiMetrics metrics;
    private final Duration bookmarkInterval;
    private final Clock clock;

    public Watcher(
            WatchCache cache, StoreWatcher storeWatcher, ApiMetrics metrics, Duration bookmarkInterval, Clock clock) {
        this.cache = cache;
        this.metrics = metrics;
        this.storeWatcher = storeWatcher;
        this.bookmarkInterval = bookmarkInterval;
        this.clock = clock;
    }

    /**
     * Runs the watch from the watch cache when it can serve it, else from the store's change log: the one place that
     * decides.
     */
    public void run(WatchRequest request, EventSink sink, BooleanSupplier clientGone) throws InterruptedException {
        ResourceType type = request.type();
        String rv = request.options().resourceVersion();
        boolean initial = request.sendInitialEvents() || rv.isEmpty() || rv.equals("0");
        if (initial) {
            switch (cache.listAndWatch(type, request.namespace())) {
                case CacheAnswer.Served<SnapshotWatch> served -> {
                    metrics.cacheRead("watch", true);
                    try (CacheWatch watch = served.value().watch()) {
                        if (sendInitial(request, served.value(), sink)) {
                            follow(request, watch, sink, clientGone);
                        }
                    }
                }
                case CacheAnswer.FallBack<SnapshotWatch> fallBack -> fromStore(request, sink, clientGone);
            }
            return;
        }
        switch (cache.watch(type, request.namespace(), ListOptions.revisionOf(rv), CATCH_UP)) {
            case CacheAnswer.Served<CacheWatch> served -> {
                metrics.cacheRead("watch", true);
                try (CacheWatch watch = served.value()) {
                    follow(request, watch, sink, clientGone);
                }
            }
            case CacheAnswer.FallBack<CacheWatch> fallBack -> fromStore(request, sink, clientGone);
        }
    }

    private void fromStore(WatchRequest request, EventSink sink, BooleanSupplier clientGone)
            throws InterruptedException {
        metrics.cacheRead("watch", false);
        storeWatcher.run(request, sink, clientGone);
    }

    private boolean sendInitial(WatchRequest request, SnapshotWatch start, EventSink sink) {
        ListOptions options = request.options();
        boolean filtered = options.filtered();
        for (CachedObject object : start.snapshot().objects()) {
            WatchObject item = WatchObject.of(object);
            if (filtered && !options.matches(item.tree())) {
                continue;
            }
            if (!sink.send("ADDED", item)) {
                return false;
            }
        }
        if (request.sendInitialEvents() && request.bookmarks()) {
            ObjectNode bookmark = bookmark(request.type(), start.snapshot().revision());
            Json.metadata(bookmark).putObject("annotations").put("k8s.io/initial-events-end", "true");
            return sink.send("BOOKMARK", WatchObject.of(bookmark));
        }
        return true;
    }

    private void follow(WatchRequest request, CacheWatch watch, EventSink sink, BooleanSupplier clientGone)
            throws InterruptedException {
        Instant deadline = clock.instant().plus(request.timeout());
        Instant nextBookmark = clock.instant().plus(bookmarkInterval);
        while (!clientGone.getAsBoolean() && clock.instant().isBefore(deadline)) {
            CacheEvent event;
            try {
                event = watch.poll(POLL);
            } catch (CacheWatch.Ended ended) {
                return; // the client watches again from the last revision it saw
            }
            if (event == null) {
                if (request.bookmarks() && !clock.instant().isBefore(nextBookmark)) {
                    // Read the revision before checking the queue: the cache queues events before publishing it.
                    long progress = cache.revision();
                    if (watch.drained() && !sink.send("BOOKMARK", WatchObject.of(bookmark(request.type(), progress)))) {
                        return;
                    }
                    nextBookmark = clock.instant().plus(bookmarkInterval);
                }
                continue;
            }
            if (!deliver(request.options(), event, sink)) {
                return;
            }
        }
    }

    /** Sends one event through the watcher's selectors; false when the client is gone. */
    static boolean deliver(ListOptions options, CacheEvent event, EventSink sink) {
        boolean filtered = options.filtered();
        if (event.created()) {
            return (filtered && !options.matches(event.current().tree())) || sink.send("ADDED", event.current());
        }
        if (event.deleted()) {
            return (filtered && !options.matches(event.previous().selectable()))
                    || sink.send("DELETED", event.previous());
        }
        if (!filtered) {
            return sink.send("MODIFIED", event.current());
        }
        boolean was = options.matches(event.previous().selectable());
        boolean is = options.matches(event.current().tree());
        // An object that moves into or out of the selection is added or deleted for this watcher.
        if (was && is) {
            return sink.send("MODIFIED", event.current());
        } else if (is) {
            return sink.send("ADDED", event.current());
        } else if (was) {
            return sink.send("DELETED", event.previous());
        }
        return true;
    }

    static ObjectNode bookmark(ResourceType type, long revision) {
        ObjectNode bookmark = Json.object().put("kind", type.kind()).put("apiVersion", type.groupVersion());
        bookmark.putObject("metadata").put("resourceVersion", Long.toString(revision));
        return bookmark;
    }
}
