package dev.capstan.store.internal;

import dev.capstan.store.Watch;
import dev.capstan.store.WatchEvent;
import java.time.Duration;

/** A watch that asked for compacted revisions: it delivers only its {@link WatchEvent.Expired} end. */
record ExpiredWatch(long startRevision, long compactRevision) implements Watch {

    @Override
    public WatchEvent next() {
        return new WatchEvent.Expired(startRevision, compactRevision);
    }

    @Override
    public WatchEvent poll(Duration timeout) {
        return next();
    }

    @Override
    public long progressRevision() {
        return -1;
    }

    @Override
    public void close() {}
}
