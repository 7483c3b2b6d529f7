package dev.capstan.api.watch;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.ApiException;
import dev.capstan.api.Json;
import dev.capstan.api.cache.CacheEvent;
import dev.capstan.api.cache.WatchObject;
import dev.capstan.api.registry.ResourceType;
import dev.capstan.api.resources.ListOptions;
import dev.capstan.api.resources.ListResultPage;
import dev.capstan.api.resources.Lister;
import dev.capstan.api.storage.ObjectStorage;
import dev.capstan.store.Watch;
import dev.capstan.store.WatchEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;

/**
 * A watch served from the store's change log, for what the watch cache cannot serve: a revision older than its
 * window of recent events, or any watch while the cache is listing everything again.
 */
public final class StoreWatcher {
    private static final Duration POLL = Duration.ofMillis(500);

    private final ObjectStorage storage;
    private final Lister lister;
    private final Duration bookmarkInterval;
    private final Clock clock;

    public StoreWatcher(ObjectStorage storage, Lister lister, Duration bookmarkInterval, Clock clock) {
        this.storage = storage;
        this.lister = lister;
        this.bookmarkInterval = bookmarkInterval;
        this.clock = clock;
    }

    public void run(WatchRequest request, EventSink sink, BooleanSupplier clientGone) throws InterruptedException {
        ResourceType type = request.type();
        ListOptions options = request.options();
        String rv = options.resourceVersion();
        long from;
        if (request.sendInitialEvents() || rv.isEmpty() || rv.equals("0")) {
            ListOptions all = options.everyMatch();
            ListResultPage page = lister.listFromStore(type, request.namespace(), all);
            for (ObjectNode item : page.items()) {
                if (!sink.send("ADDED", WatchObject.of(item))) {
                    return;
                }
            }
            from = page.revision();
            if (request.sendInitialEvents() && request.bookmarks()) {
                ObjectNode bookmark = Watcher.bookmark(type, from);
                Json.metadata(bookmark).putObject("annotations").put("k8s.io/initial-events-end", "true");
                if (!sink.send("BOOKMARK", WatchObject.of(bookmark))) {
                    return;
                }
            }
        } else {
            from = ListOptions.revisionOf(rv);
        }
        Instant deadline = clock.instant().plus(request.timeout());
        Instant nextBookmark = clock.instant().plus(bookmarkInterval);
        try (Watch watch = storage.watch(type, request.namespace(), from)) {
            while (!clientGone.getAsBoolean() && clock.instant().isBefore(deadline)) {
                WatchEvent event = watch.poll(POLL);
                if (event == null) {
                    if (request.bookmarks() && !clock.instant().isBefore(nextBookmark)) {
                        long progress = watch.progressRevision();
                        if (progress > 0 && !sink.send("BOOKMARK", WatchObject.of(Watcher.bookmark(type, progress)))) {
                            return;
                        }
                        nextBookmark = clock.instant().plus(bookmarkInterval);
                    }
                    continue;
                }
                switch (event) {
                    case WatchEvent.Change change -> {
                        if (!Watcher.deliver(options, CacheEvent.of(type, change), sink)) {
                            return;
                        }
                    }
                    case WatchEvent.Expired expired -> {
                        ApiException gone = ApiException.gone("too old resource version: " + expired.requestedRevision()
                                + " (" + expired.compactRevision() + ")");
                        sink.send("ERROR", WatchObject.of(gone.status()));
                        return;
                    }
                    case WatchEvent.Closed closed -> {
                        return;
                    }
                }
            }
        }
    }
}
