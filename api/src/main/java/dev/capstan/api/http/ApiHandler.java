package dev.capstan.api.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.ApiException;
import dev.capstan.api.Json;
import dev.capstan.api.auth.Credentials;
import dev.capstan.api.handlers.RequestPipeline;
import dev.capstan.api.liveness.MemoryGuard;
import dev.capstan.api.metrics.ApiMetrics;
import dev.capstan.api.metrics.RequestLabels;
import dev.capstan.api.openapi.OpenApiDocuments;
import dev.capstan.api.registry.ResourceRegistry;
import dev.capstan.api.registry.ResourceType;
import dev.capstan.api.request.RequestInfo;
import dev.capstan.api.request.UserInfo;
import dev.capstan.api.request.WriteOptions;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Takes every HTTPS request: reads the body (up to the limit) on the event loop, then authenticates, routes
 * and serves it on a virtual thread. Every failure becomes a Status; nothing escapes as a stack trace.
 */
public final class ApiHandler implements Handler<HttpServerRequest> {
    private static final Logger LOG = Logger.getLogger(ApiHandler.class);
    private static final String AGGREGATED = "as=APIGroupDiscoveryList";
    private static final List<String> PUBLIC = List.of("/version", "/healthz", "/livez", "/readyz");

    private final ResourceRegistry registry;
    private final Discovery discovery;
    private final OpenApiDocuments openApi;
    private final ResourceEndpoints endpoints;
    private final RequestPipeline pipeline;
    private final int maxBodyBytes;
    private final Duration bodyTimeout;
    private final ExecutorService executor;
    private final MemoryGuard memory;
    private final BooleanSupplier ready;
    private final ApiMetrics metrics;
    private final Supplier<String> scrape;
    private final MetricsEndpoints resourceMetrics;

    ApiHandler(
            ResourceRegistry registry,
            OpenApiDocuments openApi,
            ResourceEndpoints endpoints,
            RequestPipeline pipeline,
            int maxBodyBytes,
            Duration bodyTimeout,
            ExecutorService executor,
            MemoryGuard memory,
            BooleanSupplier ready,
            ApiMetrics metrics,
            Supplier<String> scrape,
            MetricsEndpoints resourceMetrics) {
        this.registry = registry;
        this.discovery = new Discovery(registry, List.of(MetricsEndpoints.GROUP));
        this.openApi = openApi;
        this.endpoints = endpoints;
        this.pipeline = pipeline;
        this.maxBodyBytes = maxBodyBytes;
        this.bodyTimeout = bodyTimeout;
        this.executor = executor;
        this.memory = memory;
        this.ready = ready;
        this.metrics = metrics;
        this.scrape = scrape;
        this.resourceMetrics = resourceMetrics;
    }

    @Override
    public void handle(HttpServerRequest request) {
        Context context = Vertx.currentContext();
        if ((request.method() == HttpMethod.GET || request.method() == HttpMethod.HEAD)
                && "websocket".equalsIgnoreCase(request.getHeader("Upgrade"))) {
            // Held until the virtual thread decides to upgrade; a request read to its end cannot be.
            request.pause();
            executor.execute(() -> serve(new Exchange(request, context, new byte[0])));
            return;
        }
        // Every request is answered only once it has been read to its end: a response that ends before its request
        // did can leave a kept-alive connection that never reads the client's next request. Upstream reads a body
        // under its request timeout; a client trickling one (a GET's too) would hold the connection, so the
        // connection goes when the body is late. A body that stops with its connection cancels the clock.
        Vertx vertx = context.owner();
        long bodyDeadline = vertx.setTimer(
                bodyTimeout.toMillis(), id -> request.connection().close());
        request.exceptionHandler(e -> vertx.cancelTimer(bodyDeadline));
        if (request.method() == HttpMethod.GET || request.method() == HttpMethod.HEAD) {
            request.handler(chunk -> {}); // a GET's body means nothing; it is read and dropped
            request.endHandler(v -> {
                vertx.cancelTimer(bodyDeadline);
                executor.execute(() -> serve(new Exchange(request, context, new byte[0])));
            });
            return;
        }
        // An oversized body is read to its end and dropped, then answered: replying before the client has sent
        // it would reset the connection under the client's feet instead of showing the 413.
        Buffer body = Buffer.buffer();
        boolean[] tooLarge = {false};
        request.handler(chunk -> {
            if (body.length() + chunk.length() > maxBodyBytes) {
                tooLarge[0] = true;
            } else if (!tooLarge[0]) {
                body.appendBuffer(chunk);
            }
        });
        request.endHandler(v -> {
            vertx.cancelTimer(bodyDeadline);
            if (tooLarge[0]) {
                var e = ApiException.tooLarge("Request entity too large: limit is " + maxBodyBytes);
                request.response()
                        .setStatusCode(e.code())
                        .putHeader("Content-Type", "application/json")
                        .end(Buffer.buffer(Json.bytes(e.status())));
            } else {
                executor.execute(() -> serve(new Exchange(request, context, body.getBytes())));
            }
        });
    }

    private void serve(Exchange ex) {
        long start = System.nanoTime();
        try {
            ex.checkUrl();
            route(ex);
        } catch (ApiException e) {
            ex.fail(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.errorf(e, "%s %s failed", ex.method(), ex.request().path());
            ex.fail(ApiException.internal(e));
        } catch (StackOverflowError e) {
            // Bodies are parsed with a nesting limit; this is a bug to log, and the thread's stack is gone with it.
            LOG.errorf(
                    e, "%s %s overflowed its stack", ex.method(), ex.request().path());
            ex.fail(ApiException.internal(new IllegalStateException("stack overflow")));
        } catch (OutOfMemoryError e) {
            // What the request held is garbage now; the guard decides whether the heap came back.
            ex.fail(ApiException.internal(new IllegalStateException("out of memory")));
            memory.requestFailed(ex.method() + " " + ex.request().path(), e);
        } finally {
            record(ex, start);
        }
    }

    /** Records the request in apiserver_request_duration_seconds; watches are long-running and left out. */
    private void record(Exchange ex, long start) {
        if (ex.flag("watch")) {
            return;
        }
        ResourcePath path;
        try {
            path = ResourcePath.parse(ex.request().path());
        } catch (ApiException e) {
            path = null; // a malformed path, answered 400
        }
        RequestLabels labels = RequestLabels.NON_RESOURCE;
        if (path != null
                && registry.find(path.group(), path.version(), path.plural()).isPresent()) {
            labels = new RequestLabels(
                    RequestLabels.verb(ex.method(), path.name() != null, false),
                    path.group(),
                    path.version(),
                    path.plural(),
                    path.subresource() == null ? "" : path.subresource());
        }
        metrics.request(labels, ex.status(), Duration.ofNanos(System.nanoTime() - start));
    }

    private void route(Exchange ex) throws InterruptedException {
        String path = ex.request().path();
        if (path.length() > 1 && path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        if (PUBLIC.contains(path)) {
            publicEndpoint(ex, path);
            return;
        }
        UserInfo user = pipeline.authenticate(Credentials.fromAuthorizationHeader(ex.header("Authorization")));
        ResourcePath resource = ResourcePath.parse(path);
        if (resource != null) {
            ResourceType type = registry.find(resource.group(), resource.version(), resource.plural())
                    .orElse(null);
            if (type != null) {
                ex.answerIn(Negotiation.negotiate(ex.header("Accept"), ex.flag("watch")));
                endpoints.handle(ex, user, type, resource);
                return;
            }
            if (MetricsEndpoints.serves(resource)) {
                ex.answerIn(Negotiation.negotiate(ex.header("Accept"), false));
                resourceMetrics.handle(ex, user, resource);
                return;
            }
        }
        pipeline.authorize(user, RequestInfo.nonResource(path, ex.method()), WriteOptions.DEFAULT);
        String accept = ex.header("Accept");
        if (path.equals("/api") || path.startsWith("/api/") || path.equals("/apis") || path.startsWith("/apis/")) {
            ex.answerIn(Negotiation.negotiate(accept, false));
        }
        switch (path) {
            case "/api" -> discoveryRoot(ex, accept, true);
            case "/apis" -> discoveryRoot(ex, accept, false);
            case "/openapi/v3" -> ex.json(200, openApi.index());
            case "/openapi/v2" -> {
                // kubectl asks for the protobuf form only (to validate a List's items); others get JSON
                boolean protobuf = accept != null && accept.contains("application/com.github.proto-openapi.spec.v2");
                ex.send(200, protobuf ? OpenApiDocuments.V2_PROTOBUF : "application/json", openApi.v2(protobuf));
            }
            case "/metrics" ->
                ex.send(
                        200,
                        "text/plain; version=0.0.4; charset=utf-8",
                        scrape.get().getBytes(StandardCharsets.UTF_8));
            default -> {
                if (path.startsWith("/openapi/v3/")) {
                    openApiDocument(ex, path.substring("/openapi/v3/".length()));
                } else {
                    discoveryOf(ex, path);
                }
            }
        }
    }

    private void publicEndpoint(Exchange ex, String path) {
        if (path.equals("/version")) {
            ex.json(200, discovery.version());
        } else if (path.equals("/livez") || ready.getAsBoolean()) {
            ex.send(200, "text/plain; charset=utf-8", "ok".getBytes(StandardCharsets.UTF_8));
        } else {
            ex.send(
                    500,
                    "text/plain; charset=utf-8",
                    "[-]storage failed: reason withheld\nreadyz check failed".getBytes(StandardCharsets.UTF_8));
        }
    }

    private void openApiDocument(Exchange ex, String groupVersionPath) {
        byte[] document = openApi.documentBytes(groupVersionPath);
        if (document == null) {
            throw ResourceEndpoints.notFound();
        }
        // The index carries the document's hash in its URL, so a client may cache it for good.
        ex.request().response().putHeader("Etag", "\"" + ex.param("hash") + "\"");
        ex.send(200, "application/json", document);
    }

    private void discoveryRoot(Exchange ex, String accept, boolean core) {
        if (accept.contains(AGGREGATED)) {
            String version = accept.contains("v=v2;")
                            || accept.contains("v=v2,")
                            || accept.endsWith("v=v2")
                            || !accept.contains("v2beta1")
                    ? "v2"
                    : "v2beta1";
            ObjectNode doc = discovery.aggregated(core, "apidiscovery.k8s.io/" + version);
            ex.send(
                    200,
                    "application/json;g=apidiscovery.k8s.io;v=" + version + ";as=APIGroupDiscoveryList",
                    Json.bytes(doc));
        } else {
            ex.json(200, core ? discovery.apiVersions() : discovery.apiGroupList());
        }
    }

    private void discoveryOf(Exchange ex, String path) {
        List<String> segments = ResourcePath.segments(path);
        if (segments.size() == 2 && segments.get(0).equals("api")) {
            respondOrNotFound(ex, discovery.resourceList("", segments.get(1)));
            return;
        }
        if (segments.size() == 2 && segments.get(0).equals("apis")) {
            respondOrNotFound(ex, discovery.apiGroup(segments.get(1)));
            return;
        }
        if (segments.size() == 3 && segments.get(0).equals("apis")) {
            respondOrNotFound(ex, discovery.resourceList(segments.get(1), segments.get(2)));
            return;
        }
        throw ResourceEndpoints.notFound();
    }

    private static void respondOrNotFound(Exchange ex, ObjectNode doc) {
        if (doc == null) {
            throw ResourceEndpoints.notFound();
        }
        ex.json(200, doc);
    }
}
