package dev.capstan.node.streams;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** A test's WebSocket to the agent over TLS with the bearer token: what it received, and when it was closed. */
final class WebSocketSession implements AutoCloseable {
    final WebSocket socket;
    final List<Buffer> received = new CopyOnWriteArrayList<>();
    final List<String> texts = new CopyOnWriteArrayList<>();
    final CompletableFuture<Short> closed = new CompletableFuture<>();

    private WebSocketSession(WebSocket socket) {
        this.socket = socket;
        socket.binaryMessageHandler(received::add);
        socket.textMessageHandler(texts::add);
        socket.closeHandler(v -> closed.complete(socket.closeStatusCode()));
    }

    /** The answer to an upgrade the agent refused. */
    record Refused(int status, String body) {}

    static WebSocketClient client(Vertx vertx) {
        return vertx.createWebSocketClient(
                new WebSocketClientOptions().setSsl(true).setTrustAll(true).setVerifyHost(false));
    }

    private static WebSocketConnectOptions options(int port, String token, String path, String... protocols) {
        var options = new WebSocketConnectOptions()
                .setHost("127.0.0.1")
                .setPort(port)
                .setSsl(true)
                .setURI(path)
                .setSubProtocols(List.of(protocols));
        if (token != null) {
            options.addHeader("Authorization", "Bearer " + token);
        }
        return options;
    }

    static WebSocketSession open(WebSocketClient client, int port, String token, String path, String... protocols)
            throws Exception {
        try {
            // the handlers go on in the connect callback, on the event loop, before any message can arrive
            return client.connect(options(port, token, path, protocols))
                    .map(WebSocketSession::new)
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UpgradeRejectedException r) {
                throw new AssertionError(
                        "the upgrade of " + path + " was refused: " + r.getStatus() + " " + r.getBody(), e);
            }
            throw e;
        }
    }

    static Refused refused(WebSocketClient client, int port, String token, String path, String... protocols)
            throws Exception {
        try {
            client.connect(options(port, token, path, protocols))
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get(30, TimeUnit.SECONDS)
                    .close();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UpgradeRejectedException r) {
                return new Refused(
                        r.getStatus(), r.getBody() == null ? "" : r.getBody().toString());
            }
            throw e;
        }
        throw new AssertionError("the upgrade of " + path + " succeeded");
    }

    void send(int channel, String data) {
        send(Buffer.buffer().appendByte((byte) channel).appendString(data));
    }

    void send(Buffer message) {
        socket.writeBinaryMessage(message);
    }

    /** Waits for the agent to close; answers the close code. */
    short awaitClose(Duration timeout) throws Exception {
        return closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Everything received on {@code channel} so far (v4/v5 framing), as text. */
    String channel(int channel) {
        var text = new StringBuilder();
        for (Buffer m : received) {
            if (m.length() > 0 && (m.getByte(0) & 0xff) == channel) {
                text.append(m.getString(1, m.length(), StandardCharsets.UTF_8.name()));
            }
        }
        return text.toString();
    }

    @Override
    public void close() {
        socket.close();
    }
}
