package dev.capstan.store.internal;

import dev.capstan.store.StoreUnavailableException;
import dev.capstan.store.Watch;
import dev.capstan.store.WatchEvent;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One watcher: first the replay of (start, historyEnd] read page by page from the change log on the
 * watcher's own thread, then the live changes the hub queued meanwhile.
 */
final class Subscription implements Watch {
    private static final int HISTORY_PAGE = 1000;
    private static final long RETRY_MILLIS = 200;

    private final WatchHub hub;
    private final KeyRange range;
    private final long start;
    private final long historyEnd;
    private final int capacity;
    private final LogPage.Reader history;
    private final BlockingQueue<WatchEvent> live;
    private final ArrayDeque<WatchEvent> replay = new ArrayDeque<>();
    private long replayed;
    private volatile WatchEvent.End end;
    private boolean endDelivered;

    Subscription(WatchHub hub, KeyRange range, long start, long position, int capacity, LogPage.Reader history) {
        this.hub = hub;
        this.range = range;
        this.start = start;
        this.historyEnd = position;
        this.replayed = start;
        this.capacity = capacity;
        this.history = history;
        // One place more than the capacity, kept for the ending event.
        this.live = new ArrayBlockingQueue<>(capacity + 1);
    }

    @Override
    public long startRevision() {
        return start;
    }

    /** Called by the hub, under its lock, for every change in revision order. */
    void offerLive(WatchEvent.Change change) {
        if (end != null || change.revision() <= start || !range.contains(change.key())) {
            return;
        }
        if (live.size() >= capacity || !live.offer(change)) {
            end(new WatchEvent.Closed("the watcher fell behind: more than " + capacity + " events waiting"));
        }
    }

    void end(WatchEvent.End ending) {
        synchronized (this) {
            if (end != null) {
                return;
            }
            end = ending;
        }
        live.clear();
        live.offer(ending);
    }

    boolean isEnded() {
        return end != null;
    }

    @Override
    public WatchEvent next() throws InterruptedException {
        WatchEvent replayEvent = nextReplayed();
        return replayEvent != null ? replayEvent : delivered(live.take());
    }

    @Override
    public WatchEvent poll(Duration timeout) throws InterruptedException {
        WatchEvent replayEvent = nextReplayed();
        return replayEvent != null ? replayEvent : delivered(live.poll(timeout.toNanos(), TimeUnit.NANOSECONDS));
    }

    private WatchEvent delivered(WatchEvent event) {
        if (event instanceof WatchEvent.End) {
            endDelivered = true;
        } else if (event == null && endDelivered) {
            return end;
        }
        return event;
    }

    /** The next replayed change, the end if the watch ended, or null when the replay is done. */
    private WatchEvent nextReplayed() throws InterruptedException {
        if (endDelivered || (end != null && live.peek() == end)) {
            endDelivered = true;
            live.clear();
            return end;
        }
        while (replay.isEmpty() && replayed < historyEnd) {
            readReplayPage();
        }
        return replay.poll();
    }

    private void readReplayPage() throws InterruptedException {
        LogPage page;
        try {
            page = history.read(range.start(), range.end(), replayed, historyEnd, HISTORY_PAGE);
        } catch (StoreUnavailableException e) {
            // The watch outlives a database outage: wait and read the same page again.
            Thread.sleep(RETRY_MILLIS);
            return;
        }
        if (page.compactRevision() > replayed) {
            end(new WatchEvent.Expired(start, page.compactRevision()));
            replayed = historyEnd;
            return;
        }
        replay.addAll(page.changes());
        replayed = page.changes().size() < HISTORY_PAGE
                ? historyEnd
                : page.changes().getLast().revision();
    }

    @Override
    public long progressRevision() {
        if (end != null || replayed < historyEnd || !replay.isEmpty()) {
            return -1;
        }
        // The hub offers a change to every queue before it moves its position, so with the position read first
        // and the queue then found empty, every change up to it has been taken.
        long position = hub.position();
        return live.isEmpty() ? Math.max(position, start) : -1;
    }

    @Override
    public void close() {
        hub.unsubscribe(this);
        end(new WatchEvent.Closed("closed by the watcher"));
    }
}
