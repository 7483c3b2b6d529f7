package dev.capstan.api.watch;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.ApiException;
import dev.capstan.api.Json;
import dev.capstan.api.registry.ResourceType;
import dev.capstan.api.resources.ListOptions;
import dev.capstan.api.resources.ListResultPage;
import dev.capstan.api.resources.Lister;
import dev.capstan.api.storage.ObjectStorage;
import dev.capstan.store.KeyValue;
import dev.capstan.store.Watch;
import dev.capstan.store.WatchEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;

/** Runs one API watch to its end on the calling (virtual) thread. */
public final class Watcher {
    private static final Duration POLL = Duration.ofMillis(500);

    private final ObjectStorage storage;
    private final Lister lister;
    private final Duration bookmarkInterval;
    private final Clock clock;

    public Watcher(ObjectStorage storage, Lister lister, Duration bookmarkInterval, Clock clock) {
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
        boolean initial = request.sendInitialEvents() || rv.isEmpty() || rv.equals("0");
        if (initial) {
            ListOptions all = new ListOptions(options.labels(), options.fields(), 0, "", "", "");
            ListResultPage page = lister.list(type, request.namespace(), all);
            for (ObjectNode item : page.items()) {
                if (!sink.send("ADDED", item)) {
                    return;
                }
            }
            from = page.revision();
            if (request.sendInitialEvents() && request.bookmarks()) {
                ObjectNode bookmark = bookmark(type, from);
                Json.metadata(bookmark).putObject("annotations").put("k8s.io/initial-events-end", "true");
                if (!sink.send("BOOKMARK", bookmark)) {
                    return;
                }
            }
        } else {
            from = parseRevision(rv);
        }
        Instant deadline = clock.instant().plus(request.timeout());
        Instant nextBookmark = clock.instant().plus(bookmarkInterval);
        try (Watch watch = storage.store().watch(type.storagePrefix(request.namespace()), from)) {
            while (!clientGone.getAsBoolean() && clock.instant().isBefore(deadline)) {
                WatchEvent event = watch.poll(POLL);
                if (event == null) {
                    if (request.bookmarks() && !clock.instant().isBefore(nextBookmark)) {
                        long progress = watch.progressRevision();
                        if (progress > 0 && !sink.send("BOOKMARK", bookmark(type, progress))) {
                            return;
                        }
                        nextBookmark = clock.instant().plus(bookmarkInterval);
                    }
                    continue;
                }
                if (!deliver(type, options, event, sink)) {
                    return;
                }
            }
        }
    }

    /** Sends one store event through the selectors; false when the watch must end. */
    private boolean deliver(ResourceType type, ListOptions options, WatchEvent event, EventSink sink) {
        return switch (event) {
            case WatchEvent.Created created -> {
                ObjectNode object = decode(type, created.current(), created.revision());
                yield !matches(options, object) || sink.send("ADDED", object);
            }
            case WatchEvent.Updated updated -> {
                ObjectNode now = decode(type, updated.current(), updated.revision());
                ObjectNode before = decode(type, updated.previous(), updated.revision());
                boolean was = matches(options, before);
                boolean is = matches(options, now);
                // An object that moves into or out of the selection is added or deleted for this watcher.
                if (was && is) {
                    yield sink.send("MODIFIED", now);
                } else if (is) {
                    yield sink.send("ADDED", now);
                } else if (was) {
                    yield sink.send("DELETED", before);
                }
                yield true;
            }
            case WatchEvent.Deleted deleted -> {
                ObjectNode object = decode(type, deleted.previous(), deleted.revision());
                yield !matches(options, object) || sink.send("DELETED", object);
            }
            case WatchEvent.Expired expired -> {
                ApiException gone = ApiException.gone("too old resource version: " + expired.requestedRevision() + " ("
                        + expired.compactRevision() + ")");
                sink.send("ERROR", gone.status());
                yield false;
            }
            case WatchEvent.Closed closed -> false;
        };
    }

    private ObjectNode decode(ResourceType type, KeyValue kv, long revision) {
        ObjectNode object = storage.decode(type, kv).object();
        Json.metadata(object).put("resourceVersion", Long.toString(revision));
        return object;
    }

    private static boolean matches(ListOptions options, ObjectNode object) {
        return options.labels().matches(object) && options.fields().matches(object);
    }

    private static ObjectNode bookmark(ResourceType type, long revision) {
        ObjectNode bookmark = Json.object().put("kind", type.kind()).put("apiVersion", type.groupVersion());
        bookmark.putObject("metadata").put("resourceVersion", Long.toString(revision));
        return bookmark;
    }

    private static long parseRevision(String rv) {
        try {
            return Long.parseLong(rv);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("resourceVersion: Invalid value: \"" + rv + "\": must be a number");
        }
    }
}
