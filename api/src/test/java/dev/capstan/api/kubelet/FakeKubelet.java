package dev.capstan.api.kubelet;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SelfSignedCertificate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A stand-in node agent for the API server's tests: HTTPS on 127.0.0.1 with a self-signed certificate, the token the
 * API server reads from its test data directory (401 for any other), every request recorded as {@code "URI
 * Authorization"}. A Node pointing at it has InternalIP 127.0.0.1 and its {@link #port()} as the kubelet port.
 */
public final class FakeKubelet implements AutoCloseable {
    public static final String TOKEN = "agent-token-for-tests";
    /** Where the API server of the tests reads the agents' token (its data directory's default). */
    public static final Path TOKEN_FILE = Path.of("target/capstan-test-data/tokens/kubelet-client");

    private final HttpServer server;
    private final List<String> requests = new CopyOnWriteArrayList<>();

    private FakeKubelet(Vertx vertx, List<String> subprotocols, Handler<HttpServerRequest> handler) throws Exception {
        Files.createDirectories(TOKEN_FILE.getParent());
        Files.writeString(TOKEN_FILE, TOKEN + "\n");
        var options = new HttpServerOptions()
                .setSsl(true)
                .setKeyCertOptions(SelfSignedCertificate.create("localhost").keyCertOptions());
        if (!subprotocols.isEmpty()) {
            options.setWebSocketSubProtocols(subprotocols);
        }
        server = vertx.createHttpServer(options)
                .requestHandler(request -> {
                    requests.add(request.uri() + " " + request.getHeader("Authorization"));
                    if (!("Bearer " + TOKEN).equals(request.getHeader("Authorization"))) {
                        request.response().setStatusCode(401).end("Unauthorized");
                    } else {
                        handler.handle(request);
                    }
                })
                .listen(0, "127.0.0.1")
                .toCompletionStage()
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
    }

    /** Writes the token file and listens; {@code handler} gets the requests that carry the token. */
    public static FakeKubelet start(Vertx vertx, List<String> subprotocols, Handler<HttpServerRequest> handler)
            throws Exception {
        return new FakeKubelet(vertx, subprotocols, handler);
    }

    public int port() {
        return server.actualPort();
    }

    /** What reached it, {@code "URI Authorization"} each. */
    public List<String> requests() {
        return requests;
    }

    /** A Node's status that points the API server here (no kubelet port when {@code withPort} is false). */
    public String nodeStatusJson(boolean withPort) {
        return "{\"addresses\":[{\"type\":\"InternalIP\",\"address\":\"127.0.0.1\"}]"
                + (withPort ? ",\"daemonEndpoints\":{\"kubeletEndpoint\":{\"Port\":" + port() + "}}" : "") + "}";
    }

    @Override
    public void close() {
        server.close();
    }
}
