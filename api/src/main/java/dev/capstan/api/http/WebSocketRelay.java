package dev.capstan.api.http;

import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketBase;
import io.vertx.core.http.WebSocketFrame;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Relays a client's WebSocket to a node agent's, frame by frame and unchanged (fragmentation, text or binary), with
 * back-pressure both ways; closing either side closes the other with the same code. The agent's side is taken as
 * soon as it connects, before the client's upgrade is answered: a short exec may send its output and close at once,
 * and what it sent until then is kept and delivered first.
 */
final class WebSocketRelay {
    /** Frames kept for a client not yet upgraded before the agent's side is paused. */
    private static final int MAX_PENDING = 64;

    private final WebSocket agent;
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private final List<WebSocketFrame> pending = new ArrayList<>(); // guarded by this
    private ServerWebSocket client; // guarded by this
    private boolean agentClosed; // guarded by this
    private Short agentCloseCode; // guarded by this
    private String agentCloseReason; // guarded by this

    /** Call on the agent's context, when its WebSocket has just connected. */
    WebSocketRelay(WebSocket agent) {
        this.agent = agent;
        agent.frameHandler(frame -> {
            WebSocketFrame copy = copyOf(frame);
            if (copy == null) {
                return;
            }
            ServerWebSocket to;
            synchronized (this) {
                if (client == null) {
                    pending.add(copy);
                    if (pending.size() >= MAX_PENDING) {
                        agent.pause();
                    }
                    return;
                }
                to = client;
            }
            forward(copy, agent, to);
        });
        agent.closeHandler(v -> {
            ServerWebSocket to;
            synchronized (this) {
                agentClosed = true;
                agentCloseCode = agent.closeStatusCode();
                agentCloseReason = agent.closeReason();
                to = client;
            }
            if (to != null) {
                closeWith(to, agentCloseCode, agentCloseReason);
                done.complete(null);
            }
        });
        agent.exceptionHandler(e -> agent.close());
    }

    /** Call on the client's context, when its upgrade has just been answered. */
    void attach(ServerWebSocket upgraded) {
        upgraded.frameHandler(frame -> {
            WebSocketFrame copy = copyOf(frame);
            if (copy != null) {
                forward(copy, upgraded, agent);
            }
        });
        upgraded.closeHandler(v -> {
            closeWith(agent, upgraded.closeStatusCode(), upgraded.closeReason());
            done.complete(null);
        });
        upgraded.exceptionHandler(e -> upgraded.close());
        boolean closeNow;
        synchronized (this) {
            client = upgraded;
            for (WebSocketFrame frame : pending) {
                upgraded.writeFrame(frame);
            }
            pending.clear();
            closeNow = agentClosed;
        }
        if (closeNow) {
            closeWith(upgraded, agentCloseCode, agentCloseReason);
            done.complete(null);
        } else {
            agent.resume();
        }
    }

    /** The client could not be upgraded: the agent's side goes. */
    void abandon() {
        agent.close();
        done.complete(null);
    }

    /** The subprotocol the agent picked; null for none. */
    String subProtocol() {
        return agent.subProtocol();
    }

    /** Completes when both sides are closed or going. */
    CompletableFuture<Void> done() {
        return done;
    }

    private static void forward(WebSocketFrame frame, WebSocketBase from, WebSocketBase to) {
        if (to.isClosed()) {
            return;
        }
        to.writeFrame(frame);
        if (to.writeQueueFull()) {
            from.pause();
            to.drainHandler(v -> from.resume());
        }
    }

    /** A data frame as it will be sent on; null for ping, pong and close, which each side answers itself. */
    private static WebSocketFrame copyOf(WebSocketFrame frame) {
        if (frame.isContinuation()) {
            return WebSocketFrame.continuationFrame(frame.binaryData(), frame.isFinal());
        }
        if (frame.isText()) {
            return WebSocketFrame.textFrame(frame.textData(), frame.isFinal());
        }
        if (frame.isBinary()) {
            return WebSocketFrame.binaryFrame(frame.binaryData(), frame.isFinal());
        }
        return null;
    }

    private static void closeWith(WebSocketBase socket, Short code, String reason) {
        if (socket.isClosed()) {
            return;
        }
        // 1005 (no code) and 1006 (abnormal) may not be sent in a close frame.
        if (code == null || code == 1005 || code == 1006) {
            socket.close();
        } else {
            socket.close(code, reason);
        }
    }
}
