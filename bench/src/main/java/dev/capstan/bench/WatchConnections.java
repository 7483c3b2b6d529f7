package dev.capstan.bench;

import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.JdkSSLEngineOptions;
import io.vertx.core.net.OpenSSLEngineOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.parsetools.RecordParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Watch streams read on two Vert.x event loops, with BoringSSL when it loads. The harness shares the 2 cores
 * with the server it measures: a thread and JDK TLS per stream cost it more CPU than the server spent sending.
 * Trusts only the server's CA and sends the admin token, as {@link ApiClient} does.
 */
final class WatchConnections implements AutoCloseable {
    private static final long TIMEOUT_SECONDS = 60;

    private final Vertx vertx;
    private final HttpClient client;
    // One context per event loop: requests are begun on them in turn.
    private final Context[] contexts = new Context[2];
    private final AtomicInteger next = new AtomicInteger();
    private final String token;

    WatchConnections(ApiTarget target, int connections) {
        vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
        var options = new HttpClientOptions()
                .setSsl(true)
                .setTrustOptions(
                        new PemTrustOptions().addCertPath(target.caCert().toString()))
                .setSslEngineOptions(
                        OpenSSLEngineOptions.isAvailable() ? new OpenSSLEngineOptions() : new JdkSSLEngineOptions())
                .setDefaultHost(target.base().getHost())
                .setDefaultPort(target.base().getPort())
                .setConnectTimeout(10_000);
        client = vertx.createHttpClient(options, new PoolOptions().setHttp1MaxSize(connections));
        for (int i = 0; i < contexts.length; i++) {
            contexts[i] = ((io.vertx.core.impl.VertxInternal) vertx).createEventLoopContext();
        }
        token = target.token();
    }

    private Context nextContext() {
        return contexts[Math.floorMod(next.getAndIncrement(), contexts.length)];
    }

    static String engine() {
        return OpenSSLEngineOptions.isAvailable() ? "BoringSSL" : "JDK";
    }

    /** A response: its status and whole body. */
    record Response(int status, byte[] body) {}

    /**
     * Sends one request and waits for the whole response; a body, when given, is sent as JSON. The exchange is
     * set up on a Vert.x context: begun from a plain thread, Vert.x 4's client could attach the body handler
     * after the response had ended, and about one request in 10,000 then never completed.
     */
    Response send(HttpMethod method, String path, byte[] body) throws IOException, InterruptedException {
        var options = new RequestOptions()
                .setMethod(method)
                .setURI(path)
                .putHeader("Authorization", "Bearer " + token)
                .putHeader("Accept", "application/json");
        if (body != null) {
            options.putHeader("Content-Type", "application/json");
        }
        Promise<Response> answer = Promise.promise();
        nextContext()
                .runOnContext(start -> client.request(options)
                        .compose(request -> body == null ? request.send() : request.send(Buffer.buffer(body)))
                        .compose(
                                response -> response.body().map(b -> new Response(response.statusCode(), b.getBytes())))
                        .onComplete(answer));
        try {
            return answer.future().toCompletionStage().toCompletableFuture().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IOException(WriteLoad.describe(e.getCause()), e.getCause());
        } catch (TimeoutException e) {
            throw new IOException(method + " " + path + ": no answer in " + TIMEOUT_SECONDS + " s");
        }
    }

    /** A watch being read; {@link #close()} ends it from the client's side. */
    interface Stream extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * GETs {@code path} and hands each line to {@code onLine} on an event loop; {@code onEnd} gets null when
     * the server ended the stream, or why it failed.
     */
    Stream open(String path, Consumer<String> onLine, Consumer<String> onEnd) {
        HttpClientRequest[] opened = new HttpClientRequest[1];
        nextContext()
                .runOnContext(start -> client.request(new RequestOptions()
                                .setMethod(HttpMethod.GET)
                                .setURI(path)
                                .putHeader("Authorization", "Bearer " + token)
                                .putHeader("Accept", "application/json"))
                        .compose(request -> {
                            synchronized (opened) {
                                opened[0] = request;
                            }
                            return request.send();
                        })
                        .onFailure(e -> onEnd.accept(WriteLoad.describe(e)))
                        .onSuccess(response -> {
                            if (response.statusCode() != 200) {
                                onEnd.accept("HTTP " + response.statusCode());
                                return;
                            }
                            RecordParser lines = RecordParser.newDelimited(
                                    "\n", line -> onLine.accept(line.toString(StandardCharsets.UTF_8)));
                            response.handler(lines);
                            response.exceptionHandler(e -> onEnd.accept(WriteLoad.describe(e)));
                            response.endHandler(v -> onEnd.accept(null));
                        }));
        return () -> {
            synchronized (opened) {
                if (opened[0] != null) {
                    opened[0].reset();
                }
            }
        };
    }

    @Override
    public void close() {
        client.close();
        vertx.close()
                .toCompletionStage()
                .toCompletableFuture()
                .orTimeout(10, TimeUnit.SECONDS)
                .exceptionally(e -> null)
                .join();
    }
}
