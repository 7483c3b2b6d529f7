package dev.capstan.api.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.capstan.api.ApiException;
import dev.capstan.api.Json;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.ServerWebSocket;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One request with its body, and the ways to answer it. Used from a virtual thread; everything that touches
 * the response runs on the connection's event loop, as Vert.x expects (answering from another thread lost a
 * response now and then on a kept-alive connection).
 */
final class Exchange {
    private final HttpServerRequest request;
    private final Context context;
    // The status answered, for metrics: the response itself is set later, on the event loop.
    private volatile int status = 200;
    private final byte[] body;
    private boolean streaming;
    private ServerWebSocket webSocket;
    private volatile java.util.function.Supplier<java.util.List<String>> requestWarnings = java.util.List::of;
    private Negotiation.Format format = Negotiation.Format.JSON;
    // Decoded here rather than by Vert.x, whose decoder throws on a malformed escape wherever a parameter is read.
    private java.util.Map<String, java.util.List<String>> query;
    private ApiException badUrl;

    Exchange(HttpServerRequest request, Context context, byte[] body) {
        this.request = request;
        this.context = context;
        this.body = body;
    }

    HttpServerRequest request() {
        return request;
    }

    byte[] body() {
        return body;
    }

    String method() {
        return request.method().name();
    }

    /**
     * Throws the 400 of a malformed escape in the request's path or query; called first, so that everything
     * after it reads a well-formed URL.
     */
    void checkUrl() {
        UrlDecoding.segments(request.path());
        query();
        if (badUrl != null) {
            throw badUrl;
        }
    }

    /** The decoded query; empty when it is malformed (which {@link #checkUrl} reports). */
    private java.util.Map<String, java.util.List<String>> query() {
        if (query == null) {
            try {
                query = UrlDecoding.query(request.query());
            } catch (ApiException e) {
                badUrl = e;
                query = java.util.Map.of();
            }
        }
        return query;
    }

    /** The whole decoded query, each name with all its values. */
    java.util.Map<String, java.util.List<String>> queryParameters() {
        return query();
    }

    /** Every value of a query parameter given several times (dryRun may be). */
    java.util.List<String> params(String name) {
        return query().getOrDefault(name, java.util.List.of());
    }

    /**
     * Where the request's warnings are read when the answer is sent; each goes as a {@code Warning: 299 - "…"}
     * header, as upstream's.
     */
    void warningsOf(java.util.function.Supplier<java.util.List<String>> source) {
        this.requestWarnings = source;
    }

    String param(String name) {
        java.util.List<String> values = params(name);
        return values.isEmpty() ? "" : values.getFirst();
    }

    boolean flag(String name) {
        return param(name).equals("true") || param(name).equals("1");
    }

    String header(String name) {
        String value = request.getHeader(name);
        return value == null ? "" : value;
    }

    /** The media type of the body without parameters, JSON when the client sent no Content-Type. */
    String contentType() {
        String type = header("Content-Type");
        int semicolon = type.indexOf(';');
        String bare = (semicolon < 0 ? type : type.substring(0, semicolon)).trim();
        if (bare.isEmpty()) {
            // No header at all is read as JSON; one with no media type in it (";;;") is unsupported, as upstream.
            return type.isBlank() ? "application/json" : type.trim();
        }
        return bare;
    }

    /** The format the client's Accept header chose; JSON answers are written in it. */
    void answerIn(Negotiation.Format format) {
        this.format = format;
    }

    void json(int status, JsonNode node) {
        send(status, "application/json", Json.bytes(node));
    }

    void send(int status, String mediaType, byte[] answer) {
        boolean yaml = format == Negotiation.Format.YAML && mediaType.equals("application/json");
        String contentType = yaml ? YamlAnswers.MEDIA_TYPE : mediaType;
        HttpServerResponse response = request.response();
        Buffer body = Buffer.buffer(yaml ? YamlAnswers.fromJson(answer) : answer);
        this.status = status;
        // Taken here, on the request's thread, so every warning raised before the answer goes with it.
        java.util.List<String> all = requestWarnings.get();
        context.runOnContext(v -> {
            if (response.ended() || response.closed()) {
                return;
            }
            response.setStatusCode(status).putHeader("Content-Type", contentType);
            response.putHeader("Cache-Control", "no-cache, private");
            for (String warning : all) {
                response.headers()
                        .add(
                                "Warning",
                                "299 - \"" + warning.replace("\\", "\\\\").replace("\"", "\\\"") + "\"");
            }
            response.end(body);
        });
    }

    int status() {
        return status;
    }

    /** Records the status of an answer written by other means (a proxied stream), for metrics. */
    void status(int status) {
        this.status = status;
    }

    /** Runs on the connection's event loop, where the response may be touched. */
    void onContext(Runnable action) {
        context.runOnContext(v -> action.run());
    }

    void fail(ApiException e) {
        json(e.code(), e.status());
    }

    /** Whether the client asked to turn this request into a WebSocket, as fabric8 does for watches. */
    boolean wantsWebSocket() {
        return header("Upgrade").equalsIgnoreCase("websocket");
    }

    /**
     * Starts a watch stream: a WebSocket with one text frame per event when the client asked for one, else a
     * chunked 200 response with one JSON line per event.
     */
    void startStream(String contentType) {
        streaming = true;
        if (wantsWebSocket()) {
            webSocket = request.toWebSocket()
                    .toCompletionStage()
                    .toCompletableFuture()
                    .join();
            return;
        }
        HttpServerResponse response = request.response();
        var headSent = new java.util.concurrent.CompletableFuture<Void>();
        context.runOnContext(v -> {
            try {
                response.setChunked(true)
                        .setStatusCode(200)
                        .putHeader("Content-Type", contentType)
                        .putHeader("Cache-Control", "no-cache, private")
                        .putHeader("Transfer-Encoding", "chunked");
                // Clients (client-go's Watch) wait for the headers before they consider the watch open: send
                // them now, not with the first event, which on a quiet collection may be minutes away.
                response.writeHead();
                headSent.complete(null);
            } catch (RuntimeException e) {
                headSent.completeExceptionally(e);
            }
        });
        // The lines are written from this thread: the response must be chunked before the first one.
        headSent.join();
    }

    /** Writes one line of a stream; waits while the client's buffer is full. False once the client is gone. */
    boolean writeLine(byte[] line) {
        if (webSocket != null) {
            if (webSocket.isClosed()) {
                return false;
            }
            webSocket.writeTextMessage(new String(line, java.nio.charset.StandardCharsets.UTF_8));
            return true;
        }
        HttpServerResponse response = request.response();
        if (response.closed() || response.ended()) {
            return false;
        }
        Buffer chunk = Buffer.buffer(line.length + 1).appendBytes(line).appendByte((byte) '\n');
        // Written from this thread: Vert.x hands it to the event loop itself, which costs less than a task of
        // our own per line when one event goes to a thousand watchers.
        response.write(chunk);
        if (response.writeQueueFull()) {
            CountDownLatch drained = new CountDownLatch(1);
            context.runOnContext(v -> {
                if (response.writeQueueFull()) {
                    response.drainHandler(d -> drained.countDown());
                } else {
                    drained.countDown();
                }
            });
            try {
                // A client that reads nothing for this long is treated as gone.
                if (!drained.await(30, TimeUnit.SECONDS)) {
                    context.runOnContext(v -> response.reset());
                    return false;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    boolean clientGone() {
        return webSocket != null ? webSocket.isClosed() : request.response().closed();
    }

    void endStream() {
        if (webSocket != null) {
            if (!webSocket.isClosed()) {
                webSocket.close();
            }
            return;
        }
        HttpServerResponse response = request.response();
        if (streaming) {
            context.runOnContext(v -> {
                if (!response.ended() && !response.closed()) {
                    response.end();
                }
            });
        }
    }
}
