package dev.capstan.node.server;

import dev.capstan.model.pod.PodLogOptions;
import dev.capstan.model.tls.PemKeyPair;
import dev.capstan.node.logs.ContainerLogs;
import dev.capstan.node.logs.LogTarget;
import dev.capstan.node.runtime.ContainerStatus;
import dev.capstan.node.streams.StreamingHandler;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;

/**
 * The agent's endpoint on the kubelet's port, over TLS with its {@link ServingCertificate}: every request must carry
 * {@code Authorization: Bearer <token>} with the API server's client token (401 without one, 403 with another). It
 * serves {@code GET /containerLogs/{namespace}/{pod}/{container}} with the kubelet's query parameters and errors
 * (upstream server.go getContainerLogs). Vert.x only accepts and writes; each log is read on a virtual thread of its
 * own, which the closing of its connection interrupts. Exec, attach and port-forward are the {@link StreamingHandler}'s.
 */
public final class KubeletServer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(KubeletServer.class);
    /** Bytes gathered before they are sent when not following (following flushes every line). */
    private static final int CHUNK = 32 * 1024;

    private final Vertx vertx;
    private final List<String> hosts;
    private final int port;
    private final ServingCertificate certificate;
    private final byte[] tokenHash;
    private final LogTarget.Pods pods;
    private final ContainerLogs logs;
    private final StreamingHandler streams;
    private final List<HttpServer> servers = new ArrayList<>();
    private final Map<String, Handler<RoutingContext>> extraRoutes = new LinkedHashMap<>();

    /**
     * @param hosts the addresses to listen on
     * @param port the port (0: any free one, the same on every address)
     * @param token the bearer token the API server presents
     */
    public KubeletServer(
            Vertx vertx,
            List<String> hosts,
            int port,
            ServingCertificate certificate,
            String token,
            LogTarget.Pods pods,
            ContainerLogs logs,
            StreamingHandler streams) {
        if (token.isBlank()) {
            throw new IllegalArgumentException("the API server's client token is empty");
        }
        this.vertx = vertx;
        this.hosts = List.copyOf(hosts);
        this.port = port;
        this.certificate = certificate;
        this.tokenHash = sha256(token);
        this.pods = pods;
        this.logs = logs;
        this.streams = streams;
    }

    /** Serves {@code GET path} with {@code handler} too, behind the same authentication; call before {@link #start}. */
    public KubeletServer route(String path, Handler<RoutingContext> handler) {
        extraRoutes.put(path, handler);
        return this;
    }

    /** Listens on every address; answers the port. */
    public int start() {
        Router router = Router.router(vertx);
        router.route().handler(this::authenticate);
        router.get("/containerLogs/:namespace/:pod/:container").handler(this::containerLogs);
        extraRoutes.forEach((path, handler) -> router.get(path).handler(handler));
        router.get("/exec/:namespace/:pod/:container").handler(streams::exec);
        router.get("/attach/:namespace/:pod/:container").handler(streams::attach);
        router.get("/portForward/:namespace/:pod").handler(streams::portForward);
        int bound = port;
        KeyCertOptions keyCert;
        try {
            keyCert = KeyCertOptions.wrap(PemKeyPair.read(certificate.key(), certificate.certificate())
                    .serverKeyManager());
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the serving certificate: " + e.getMessage(), e);
        }
        for (String host : hosts) {
            var options = new HttpServerOptions()
                    .setSsl(true)
                    .setKeyCertOptions(keyCert)
                    .setWebSocketSubProtocols(StreamingHandler.SUBPROTOCOLS)
                    .setHost(host)
                    .setPort(bound);
            HttpServer server = vertx.createHttpServer(options).requestHandler(router);
            try {
                server = server.listen()
                        .toCompletionStage()
                        .toCompletableFuture()
                        .get(30, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                close();
                throw new IllegalStateException(
                        "cannot listen on " + host + ":" + bound + " (capstan.node.kubelet-port,"
                                + " capstan.node.kubelet-addresses): " + (e.getCause() != null ? e.getCause() : e),
                        e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                close();
                throw new IllegalStateException("interrupted while starting the kubelet endpoint", e);
            }
            servers.add(server);
            bound = server.actualPort();
        }
        LOG.infof("kubelet endpoint on https://%s:%d", String.join(",", hosts), bound);
        return bound;
    }

    private void authenticate(RoutingContext ctx) {
        String header = ctx.request().getHeader("Authorization");
        if (header == null
                || !header.regionMatches(true, 0, "Bearer ", 0, 7)
                || header.substring(7).isBlank()) {
            ctx.response()
                    .putHeader("WWW-Authenticate", "Bearer")
                    .setStatusCode(401)
                    .end("Unauthorized");
            return;
        }
        // Equal-length digests compared in constant time: neither the token nor its length leaks through timing.
        if (!MessageDigest.isEqual(tokenHash, sha256(header.substring(7).strip()))) {
            ctx.response().setStatusCode(403).end("Forbidden");
            return;
        }
        ctx.next();
    }

    private void containerLogs(RoutingContext ctx) {
        HttpServerResponse response = ctx.response();
        Map<String, List<String>> query = new LinkedHashMap<>();
        ctx.queryParams()
                .forEach(e -> query.computeIfAbsent(e.getKey(), k -> new ArrayList<>())
                        .add(e.getValue()));
        PodLogOptions options;
        try {
            options = PodLogOptions.fromQuery(query);
        } catch (IllegalArgumentException e) {
            response.setStatusCode(400).end(e.getMessage());
            return;
        }
        List<String> invalid = options.validate();
        if (!invalid.isEmpty()) {
            response.setStatusCode(400).end("invalid log options: " + String.join(", ", invalid));
            return;
        }
        String namespace = ctx.pathParam("namespace");
        String pod = ctx.pathParam("pod");
        String container = ctx.pathParam("container");
        Thread reader = Thread.ofVirtual()
                .name("logs-" + namespace + "/" + pod + "/" + container)
                .unstarted(() -> serveLog(response, namespace, pod, container, options));
        response.closeHandler(v -> reader.interrupt());
        reader.start();
    }

    private void serveLog(
            HttpServerResponse response, String namespace, String pod, String container, PodLogOptions options) {
        try {
            ContainerStatus target = LogTarget.find(pods, namespace, pod, container, options.previous());
            response.setChunked(true).putHeader("Content-Type", "text/plain");
            try (var out = new ResponseStream(response)) {
                logs.read(Path.of(target.logPath()), options, out, () -> pods.running(target.id()));
            }
            response.end();
        } catch (LogTarget.LogException e) {
            response.setStatusCode(e.status()).end(e.getMessage());
        } catch (InterruptedException e) {
            response.reset(); // the client went
        } catch (IOException | RuntimeException e) {
            if (response.closed()) {
                return;
            }
            if (response.headWritten()) {
                LOG.debugf("the log of %s/%s/%s broke off: %s", namespace, pod, container, e.getMessage());
                response.reset();
            } else {
                response.setStatusCode(500).end("cannot read the log: " + e.getMessage());
            }
        }
    }

    /** The response as a stream; a write waits while Vert.x's queue is full, so a slow client slows the reader. */
    private static final class ResponseStream extends OutputStream {
        private final HttpServerResponse response;
        private Buffer pending = Buffer.buffer();

        ResponseStream(HttpServerResponse response) {
            this.response = response;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            pending.appendBytes(b, off, len);
            if (pending.length() >= CHUNK) {
                flush();
            }
        }

        @Override
        public void flush() throws IOException {
            if (pending.length() == 0) {
                return;
            }
            if (response.closed()) {
                throw new IOException("the client closed the connection");
            }
            response.write(pending);
            pending = Buffer.buffer();
            if (response.writeQueueFull()) {
                var drained = new CompletableFuture<Void>();
                response.drainHandler(v -> drained.complete(null));
                try {
                    if (response.writeQueueFull()) {
                        drained.get();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while the client was slow", e);
                } catch (ExecutionException e) {
                    throw new IOException(e.getCause());
                }
            }
        }
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        for (HttpServer server : servers) {
            server.close();
        }
        servers.clear();
    }
}
