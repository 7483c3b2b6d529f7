package dev.capstan.store.internal;

import dev.capstan.store.StoreUnavailableException;
import dev.capstan.store.WatchEvent;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The process's single reader of the change log. It sleeps until woken (a NOTIFY from any process, a commit of
 * this process, or the poll interval as a safety net for lost notifications), then reads {@code revision >
 * position} in revision order and publishes to the {@link WatchHub}.
 *
 * <p>Ordering: capstan_write guarantees that a snapshot that sees revision N sees all revisions below N, so the
 * rows read are contiguous. The reader still checks it: a gap below the compaction mark means this reader fell
 * behind compaction (every watch then ends as expired); any other gap breaks the store's invariant, so the
 * reader waits and reads again rather than skip a revision.
 *
 * <p>Resumption: the position only moves after a change was published, so a lost connection or a PostgreSQL
 * restart makes the reader read again from the last delivered revision: nothing is lost or repeated.
 */
final class ChangeLogReader implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ChangeLogReader.class);
    private static final int PAGE = 2000;
    private static final long MAX_BACKOFF_MILLIS = 2000;

    private final Vertx vertx;
    private final PgConnectOptions listenOptions;
    private final WatchHub hub;
    private final LogPage.Reader log;
    private final Duration pollInterval;
    private final Semaphore wakeups = new Semaphore(0);
    private final Thread thread;
    private volatile boolean closed;
    private volatile PgConnection listener;
    private long listenBackoffMillis = 100;

    ChangeLogReader(
            Vertx vertx, PgConnectOptions listenOptions, WatchHub hub, LogPage.Reader log, Duration pollInterval) {
        this.vertx = vertx;
        this.listenOptions = listenOptions;
        this.hub = hub;
        this.log = log;
        this.pollInterval = pollInterval;
        this.thread = Thread.ofVirtual().name("capstan-store-log-reader").unstarted(this::run);
    }

    void start() {
        listen();
        thread.start();
    }

    void wake() {
        if (wakeups.availablePermits() == 0) {
            wakeups.release();
        }
    }

    private void listen() {
        if (closed) {
            return;
        }
        PgConnection.connect(vertx, listenOptions)
                .compose(conn -> conn.query(Sql.LISTEN).execute().map(conn))
                .onSuccess(conn -> {
                    listenBackoffMillis = 100;
                    listener = conn;
                    conn.notificationHandler(notification -> wake());
                    // A server shutdown arrives here first; the close handler below reconnects.
                    conn.exceptionHandler(failure -> LOG.debugf("LISTEN connection: %s", failure.getMessage()));
                    conn.closeHandler(ignored -> {
                        listener = null;
                        relisten();
                    });
                    // Whatever was committed while nobody listened is read now.
                    wake();
                })
                .onFailure(failure -> {
                    LOG.debugf("LISTEN connection failed, retrying: %s", failure.getMessage());
                    relisten();
                });
    }

    private void relisten() {
        if (closed) {
            return;
        }
        long delay = listenBackoffMillis;
        listenBackoffMillis = Math.min(MAX_BACKOFF_MILLIS, listenBackoffMillis * 2);
        vertx.setTimer(delay, id -> listen());
    }

    private void run() {
        long backoff = 50;
        while (!closed) {
            try {
                wakeups.tryAcquire(pollInterval.toMillis(), TimeUnit.MILLISECONDS);
                wakeups.drainPermits();
                drain();
                backoff = 50;
            } catch (InterruptedException e) {
                return;
            } catch (StoreUnavailableException e) {
                LOG.debugf("change log unreadable, retrying in %d ms: %s", backoff, e.getMessage());
                sleepQuietly(backoff);
                backoff = Math.min(MAX_BACKOFF_MILLIS, backoff * 2);
                wake();
            } catch (RuntimeException e) {
                LOG.error("change log reader failed; retrying", e);
                sleepQuietly(MAX_BACKOFF_MILLIS);
                wake();
            }
        }
    }

    private void drain() throws InterruptedException {
        while (!closed) {
            long position = hub.position();
            LogPage page = log.read("", KeyRange.END_OF_KEYS, position, Long.MAX_VALUE, PAGE);
            List<WatchEvent.Change> changes = page.changes();
            if (changes.isEmpty()) {
                return;
            }
            long first = changes.getFirst().revision();
            if (first != position + 1) {
                if (page.compactRevision() > position) {
                    LOG.warnf("watch reader fell behind compaction at %d; ending all watches", position);
                    hub.endAll(new WatchEvent.Expired(position, page.compactRevision()), first - 1, false);
                } else {
                    LOG.errorf("change log gap after revision %d (next is %d); reading again", position, first);
                    Thread.sleep(50);
                    continue;
                }
            }
            int contiguous = contiguousPrefix(changes);
            hub.publish(changes.subList(0, contiguous));
            if (changes.size() < PAGE) {
                return;
            }
        }
    }

    private static int contiguousPrefix(List<WatchEvent.Change> changes) {
        int i = 1;
        while (i < changes.size()
                && changes.get(i).revision() == changes.get(i - 1).revision() + 1) {
            i++;
        }
        return i;
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        PgConnection conn = listener;
        if (conn != null) {
            conn.close();
        }
        try {
            thread.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
