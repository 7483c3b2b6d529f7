package dev.capstan.api.http;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Closes connections that hold the server without using it, as kube-apiserver's Go server does with its
 * ReadHeaderTimeout (32 s) and IdleTimeout (90 s): a new connection must deliver a request's headers within the
 * header timeout, and a kept-alive connection with no request in flight is closed after the idle timeout.
 * Vert.x's own idle timeout does not fit: it also cuts a quiet watch, which is a request in flight.
 *
 * <p>The connection handler must see a connection when it opens: Vert.x calls it only at the first request on
 * a cleartext server that may be upgraded to h2c, so such a server must turn h2c off.
 *
 * <p>All callbacks of one connection run on that connection's event loop, so a connection's state needs no lock.
 */
final class ConnectionGuard {
    private final Vertx vertx;
    private final long headerTimeoutMs;
    private final long idleTimeoutMs;
    private final Map<HttpConnection, Tracked> tracked = new ConcurrentHashMap<>();

    ConnectionGuard(Vertx vertx, Duration headerTimeout, Duration idleTimeout) {
        this.vertx = vertx;
        this.headerTimeoutMs = Math.max(1, headerTimeout.toMillis());
        this.idleTimeoutMs = Math.max(1, idleTimeout.toMillis());
    }

    /** For {@code HttpServer.connectionHandler}: starts the header clock of a new connection. */
    Handler<HttpConnection> onConnection() {
        return connection -> {
            Tracked state = new Tracked(connection);
            tracked.put(connection, state);
            connection.closeHandler(v -> {
                tracked.remove(connection);
                state.closed();
            });
            state.closeWhenIdleFor(headerTimeoutMs);
        };
    }

    /** Wraps the request handler: a request in flight stops its connection's clock until its response ends. */
    Handler<HttpServerRequest> wrap(Handler<HttpServerRequest> next) {
        return request -> {
            Tracked state = tracked.get(request.connection());
            if (state != null) {
                state.requestStarted();
                boolean[] done = {false};
                Handler<Void> finished = v -> {
                    if (!done[0]) {
                        done[0] = true;
                        state.requestEnded();
                    }
                };
                request.response().endHandler(finished);
                request.response().closeHandler(finished);
            }
            next.handle(request);
        };
    }

    /** How many connections are open (tests). */
    int open() {
        return tracked.size();
    }

    private final class Tracked {
        private final HttpConnection connection;
        private int inFlight;
        private long timer = -1;
        private boolean closed; // a response may report its end after its connection closed: no clock then

        Tracked(HttpConnection connection) {
            this.connection = connection;
        }

        void requestStarted() {
            inFlight++;
            stopTimer();
        }

        void requestEnded() {
            inFlight--;
            if (inFlight == 0) {
                closeWhenIdleFor(idleTimeoutMs);
            }
        }

        void closed() {
            closed = true;
            stopTimer();
        }

        void closeWhenIdleFor(long ms) {
            stopTimer();
            if (closed) {
                return;
            }
            timer = vertx.setTimer(ms, id -> {
                timer = -1;
                if (inFlight == 0) {
                    connection.close();
                }
            });
        }

        void stopTimer() {
            if (timer >= 0) {
                vertx.cancelTimer(timer);
                timer = -1;
            }
        }
    }
}
