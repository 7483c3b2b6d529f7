package dev.capstan.client.informer;

import java.util.concurrent.LinkedBlockingQueue;
import org.jboss.logging.Logger;

/**
 * Delivers one handler's notifications in order on a thread of its own, through an unbounded buffer so that a
 * slow handler never holds up the informer or the other handlers (client-go's processorListener).
 */
final class Listener<T> {
    private static final Logger LOG = Logger.getLogger(Listener.class);

    private final ResourceEventHandler<T> handler;
    private final String kind;
    private final LinkedBlockingQueue<Notification<T>> pending = new LinkedBlockingQueue<>();
    private volatile boolean closed;
    private Thread thread;

    Listener(ResourceEventHandler<T> handler, String kind) {
        this.handler = handler;
        this.kind = kind;
    }

    void enqueue(Notification<T> notification) {
        if (!closed) {
            pending.add(notification);
        }
    }

    void start() {
        thread = Thread.ofVirtual().name("informer-handler-" + kind).start(this::run);
    }

    void close() {
        closed = true;
        if (thread != null) {
            thread.interrupt();
        }
    }

    private void run() {
        while (!closed) {
            Notification<T> next;
            try {
                next = pending.take();
            } catch (InterruptedException e) {
                return;
            }
            try {
                switch (next) {
                    case Notification.Added<T> added -> handler.onAdd(added.object());
                    case Notification.Updated<T> updated -> handler.onUpdate(updated.oldObject(), updated.newObject());
                    case Notification.Deleted<T> deleted -> handler.onDelete(deleted.lastKnown());
                }
            } catch (RuntimeException e) {
                LOG.errorf(e, "a %s event handler failed", kind);
            }
        }
    }
}
