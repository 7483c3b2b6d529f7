package dev.capstan.store;

import java.time.Duration;

/** A stream of {@link WatchEvent}s for one prefix. Close it when done; closing is idempotent. */
public interface Watch extends AutoCloseable {

    /** The revision after which this watch delivers events. */
    long startRevision();

    /** Waits for the next event. After an {@link WatchEvent.End} every call returns that same end. */
    WatchEvent next() throws InterruptedException;

    /** Waits up to {@code timeout} for the next event; null if none came. */
    WatchEvent poll(Duration timeout) throws InterruptedException;

    /**
     * A revision R such that every change under the prefix up to R has already been returned by {@link #next()}
     * or {@link #poll}, or -1 when that is not known at the moment (events are still waiting). Watchers send it
     * as a bookmark: a client resuming from it misses nothing.
     */
    long progressRevision();

    @Override
    void close();
}
