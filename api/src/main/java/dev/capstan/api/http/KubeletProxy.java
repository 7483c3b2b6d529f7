package dev.capstan.api.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.ApiException;
import dev.capstan.api.kubelet.KubeletClient;
import dev.capstan.api.kubelet.PodContainers;
import dev.capstan.api.registry.GenericStore;
import dev.capstan.api.registry.ResourceType;
import dev.capstan.api.validation.Cause;
import dev.capstan.model.pod.PodLogOptions;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocketConnectOptions;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * The pod subresources that the node agent serves: {@code log} (a chunked text stream) and {@code exec},
 * {@code attach} and {@code portforward} (WebSocket upgrades). Each is checked here as upstream's pod strategy checks
 * it (options, container, assigned node), then sent on to the agent of the pod's node over HTTPS with the agent's
 * token. A WebSocket is relayed frame by frame and unchanged, with the subprotocol the agent picked from the
 * client's offer, so the agent speaks kubectl's and fabric8's channel protocols itself; closing either side closes
 * the other.
 */
final class KubeletProxy {
    private final GenericStore store;
    private final KubeletClient kubelets;

    KubeletProxy(GenericStore store, KubeletClient kubelets) {
        this.store = store;
        this.kubelets = kubelets;
    }

    /** GET …/pods/NAME/log: the container's log from its node, streamed as it arrives. */
    void log(Exchange ex, ResourceType pods, String namespace, String name) throws InterruptedException {
        PodLogOptions options;
        try {
            options = PodLogOptions.fromQuery(ex.queryParameters());
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        List<String> invalid = options.validate();
        if (!invalid.isEmpty()) {
            throw ApiException.invalidKind("", "PodLogOptions", name, causes(invalid));
        }
        ObjectNode pod = store.get(pods, namespace, name);
        String container = PodContainers.resolve(pod, ex.param("container"));
        String node = PodContainers.nodeName(pod);
        if (node.isEmpty()) {
            // Upstream's LogLocation has no location for an unscheduled pod: an empty log.
            ex.send(200, "text/plain", new byte[0]);
            return;
        }
        KubeletClient.Endpoint endpoint = kubelets.endpoint(node);
        StringBuilder uri = new StringBuilder("/containerLogs/")
                .append(segment(namespace))
                .append('/')
                .append(segment(name))
                .append('/')
                .append(segment(container));
        appendQuery(
                uri,
                options.toQuery().entrySet().stream()
                        .map(e -> Map.entry(e.getKey(), e.getValue()))
                        .toList());
        var request = new RequestOptions()
                .setMethod(HttpMethod.GET)
                .setHost(endpoint.host())
                .setPort(endpoint.port())
                .setURI(uri.toString())
                .setHeaders(kubelets.headers());
        var responded = new CompletableFuture<HttpClientResponse>();
        kubelets.http().request(request).onComplete(ar -> {
            if (ar.failed()) {
                responded.completeExceptionally(ar.cause());
                return;
            }
            // The response's handler is in place before the request goes, so it runs on the event loop as the
            // headers arrive and pauses the body before any of it flows (a handler added later, from this thread,
            // can come after a short log has ended; a CI run hung so).
            HttpClientRequest sent = ar.result();
            sent.response().onComplete(answer -> {
                if (answer.succeeded()) {
                    answer.result().pause();
                    responded.complete(answer.result());
                } else {
                    responded.completeExceptionally(answer.cause());
                }
            });
            sent.end();
        });
        HttpClientResponse answer = await(responded, "GET", endpoint, uri);
        if (answer.statusCode() != 200) {
            throw agentError(answer.statusCode(), bodyOf(answer));
        }
        ex.status(200);
        HttpServerResponse response = ex.request().response();
        var finished = new CompletableFuture<Void>();
        ex.onContext(() -> {
            response.setChunked(true)
                    .setStatusCode(200)
                    .putHeader("Content-Type", "text/plain")
                    .putHeader("Cache-Control", "no-cache, private");
            // A client that goes away ends the agent's read of the log too.
            response.closeHandler(v -> {
                answer.request().reset();
                finished.complete(null);
            });
            answer.pipeTo(response).onComplete(ar -> finished.complete(null));
        });
        finished.join();
    }

    /** GET …/pods/NAME/{exec,attach,portforward} with a WebSocket upgrade: checked, then relayed to the agent. */
    void stream(Exchange ex, ResourceType pods, String namespace, String name, String subresource)
            throws InterruptedException {
        ObjectNode pod = store.get(pods, namespace, name);
        StringBuilder uri = new StringBuilder();
        List<Map.Entry<String, String>> query = new ArrayList<>();
        String container = "";
        if (subresource.equals("portforward")) {
            uri.append("/portForward/").append(segment(namespace)).append('/').append(segment(name));
            for (String port : ex.params("ports")) {
                checkPort(port);
                query.add(Map.entry("ports", port));
            }
        } else {
            boolean stdin = ex.flag("stdin");
            boolean stdout = ex.flag("stdout");
            boolean stderr = ex.flag("stderr");
            if (!stdin && !stdout && !stderr) {
                throw ApiException.badRequest("you must specify at least 1 of stdin, stdout, stderr");
            }
            List<String> command = ex.params("command");
            if (subresource.equals("exec") && command.isEmpty()) {
                throw ApiException.badRequest("you must specify at least one command for the container");
            }
            container = PodContainers.resolve(pod, ex.param("container"));
            uri.append(subresource.equals("exec") ? "/exec/" : "/attach/")
                    .append(segment(namespace))
                    .append('/')
                    .append(segment(name))
                    .append('/')
                    .append(segment(container));
            command.forEach(c -> query.add(Map.entry("command", c)));
            query.add(Map.entry("stdin", Boolean.toString(stdin)));
            query.add(Map.entry("stdout", Boolean.toString(stdout)));
            query.add(Map.entry("stderr", Boolean.toString(stderr)));
            query.add(Map.entry("tty", Boolean.toString(ex.flag("tty"))));
        }
        String node = PodContainers.nodeName(pod);
        if (node.isEmpty()) {
            throw ApiException.badRequest("pod " + name + " does not have a host assigned");
        }
        if (!ex.wantsWebSocket()) {
            if (!container.isEmpty() && !ex.header("Upgrade").isEmpty() && !PodContainers.running(pod, container)) {
                // kubectl falls back to SPDY when its WebSocket upgrade is refused, and shows only the second
                // refusal: for a container that is not running, that is the agent's answer to the first.
                throw new ApiException(500, "InternalError", "container not found (\"" + container + "\")", null);
            }
            // Checked after the pod, so that a client falling back from WebSocket to SPDY shows the real refusal.
            throw ApiException.badRequest(
                    ex.header("Upgrade").isEmpty()
                            ? "Upgrade request required"
                            : "only WebSocket upgrades are served (" + ex.header("Upgrade")
                                    + " is not); kubectl 1.30 and later fall back to SPDY only when their WebSocket"
                                    + " upgrade was refused (for example, because the container has exited)");
        }
        KubeletClient.Endpoint endpoint = kubelets.endpoint(node);
        appendQuery(uri, query);
        List<String> offered = offeredProtocols(ex.header("Sec-WebSocket-Protocol"));
        var connect = new WebSocketConnectOptions()
                .setHost(endpoint.host())
                .setPort(endpoint.port())
                .setSsl(true)
                .setURI(uri.toString())
                .setHeaders(kubelets.headers())
                .setSubProtocols(offered);
        var connected = new CompletableFuture<WebSocketRelay>();
        kubelets.webSockets().connect(connect).onComplete(ar -> {
            if (ar.succeeded()) {
                connected.complete(new WebSocketRelay(ar.result()));
            } else {
                connected.completeExceptionally(ar.cause());
            }
        });
        WebSocketRelay relay;
        try {
            relay = connected.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UpgradeRejectedException rejected) {
                throw agentError(
                        rejected.getStatus(),
                        rejected.getBody() == null ? "" : rejected.getBody().toString());
            }
            throw unreachable("GET", endpoint, uri, e.getCause());
        }
        // The client is answered with the agent's choice, which is one the client offered.
        String protocol = relay.subProtocol();
        if (protocol == null) {
            ex.request().headers().remove("Sec-WebSocket-Protocol");
        } else {
            ex.request().headers().set("Sec-WebSocket-Protocol", protocol);
        }
        ex.status(101);
        ex.onContext(() -> ex.request().toWebSocket().onComplete(ar -> {
            if (ar.succeeded()) {
                relay.attach(ar.result());
            } else {
                relay.abandon();
            }
        }));
        relay.done().join();
    }

    private static List<String> offeredProtocols(String header) {
        return Arrays.stream(header.split(","))
                .map(String::trim)
                .filter(p -> !p.isEmpty())
                .toList();
    }

    private static void checkPort(String port) {
        int value;
        try {
            value = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("unable to parse \"" + port + "\" as a port: invalid syntax");
        }
        if (value < 1 || value > 65535) {
            throw ApiException.badRequest("port \"" + port + "\" must be > 0 and < 65536");
        }
    }

    private HttpClientResponse await(
            CompletableFuture<HttpClientResponse> responded, String method, KubeletClient.Endpoint to, CharSequence uri)
            throws InterruptedException {
        try {
            return responded.get();
        } catch (ExecutionException e) {
            throw unreachable(method, to, uri, e.getCause());
        }
    }

    /** Upstream's text for a kubelet it cannot reach: the Go client's error with the URL. */
    private static ApiException unreachable(String method, KubeletClient.Endpoint to, CharSequence uri, Throwable e) {
        String path = uri.toString();
        int q = path.indexOf('?');
        String message = method.charAt(0) + method.substring(1).toLowerCase() + " \"https://" + to
                + (q < 0 ? path : path.substring(0, q)) + "\": "
                + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        return new ApiException(500, "InternalError", message, null);
    }

    /** The agent's refusal as the client sees upstream's (the kubelet's text as the message). */
    private static ApiException agentError(int status, String body) {
        String message = body.strip();
        return switch (status) {
            case 400 -> ApiException.badRequest(message);
            case 404 -> new ApiException(404, "NotFound", message, null);
            case 401, 403 ->
                new ApiException(
                        500,
                        "InternalError",
                        "the node agent refused the API server's client token (" + status + "): the token file of"
                                + " capstan.api.kubelet-client-token-file differs from the agent's",
                        null);
            default -> new ApiException(status >= 500 ? status : 500, "InternalError", message, null);
        };
    }

    private static String bodyOf(HttpClientResponse response) throws InterruptedException {
        var body = new CompletableFuture<Buffer>();
        Future<Buffer> read = response.body();
        read.onComplete(ar -> {
            if (ar.succeeded()) {
                body.complete(ar.result());
            } else {
                body.complete(Buffer.buffer());
            }
        });
        response.resume();
        try {
            return body.get().toString(StandardCharsets.UTF_8);
        } catch (ExecutionException e) {
            return "";
        }
    }

    /** ValidatePodLogOptions' texts ({@code field: message}) as causes. */
    private static List<Cause> causes(List<String> errors) {
        List<Cause> causes = new ArrayList<>();
        for (String error : errors) {
            int colon = error.indexOf(": ");
            String field = error.substring(0, colon);
            String message = error.substring(colon + 2);
            String reason = message.startsWith("Forbidden") ? "FieldValueForbidden" : "FieldValueInvalid";
            causes.add(new Cause(reason, message, field));
        }
        return causes;
    }

    private static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static void appendQuery(StringBuilder uri, List<Map.Entry<String, String>> query) {
        char sep = '?';
        for (Map.Entry<String, String> e : query) {
            uri.append(sep).append(e.getKey()).append('=').append(segment(e.getValue()));
            sep = '&';
        }
    }
}
