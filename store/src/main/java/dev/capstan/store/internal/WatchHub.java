package dev.capstan.store.internal;

import dev.capstan.store.WatchEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Fans the change log out to watchers. The process's single log reader publishes every change here in
 * revision order; each watcher gets the ones under its prefix through its own bounded queue, so a slow watcher
 * is closed instead of delaying the others or the reader.
 *
 * <p>{@code position} is the last revision published. A watcher registered under the lock while the position
 * is P receives every later change live and reads (from, P] from the change log itself, so nothing falls
 * between replay and live delivery and nothing is delivered twice.
 */
final class WatchHub {
    private final ReentrantLock lock = new ReentrantLock();
    private final List<Subscription> subscriptions = new ArrayList<>();
    private final LogPage.Reader history;
    private final int queueSize;
    private long position;
    private boolean closed;

    WatchHub(long position, LogPage.Reader history, int queueSize) {
        this.position = position;
        this.history = history;
        this.queueSize = queueSize;
    }

    long position() {
        lock.lock();
        try {
            return position;
        } finally {
            lock.unlock();
        }
    }

    Subscription subscribe(String prefix, long fromRevision) {
        lock.lock();
        try {
            long start = fromRevision == 0 ? position : fromRevision;
            var subscription = new Subscription(this, KeyRange.prefix(prefix), start, position, queueSize, history);
            if (closed) {
                subscription.end(new WatchEvent.Closed("the store is closed"));
            } else {
                subscriptions.add(subscription);
            }
            return subscription;
        } finally {
            lock.unlock();
        }
    }

    void unsubscribe(Subscription subscription) {
        lock.lock();
        try {
            subscriptions.remove(subscription);
        } finally {
            lock.unlock();
        }
    }

    /** Publishes changes that directly follow the current position, in revision order. */
    void publish(List<WatchEvent.Change> changes) {
        if (changes.isEmpty()) {
            return;
        }
        lock.lock();
        try {
            for (WatchEvent.Change change : changes) {
                for (int i = 0; i < subscriptions.size(); i++) {
                    subscriptions.get(i).offerLive(change);
                }
            }
            position = changes.getLast().revision();
            subscriptions.removeIf(Subscription::isEnded);
        } finally {
            lock.unlock();
        }
    }

    /** Ends every watch, e.g. when the reader itself lost events to compaction or the store closes. */
    void endAll(WatchEvent.End end, long newPosition, boolean closeHub) {
        lock.lock();
        try {
            subscriptions.forEach(s -> s.end(end));
            subscriptions.clear();
            position = Math.max(position, newPosition);
            closed |= closeHub;
        } finally {
            lock.unlock();
        }
    }

    int size() {
        lock.lock();
        try {
            return subscriptions.size();
        } finally {
            lock.unlock();
        }
    }
}
