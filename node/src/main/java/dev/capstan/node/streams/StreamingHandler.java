package dev.capstan.node.streams;

import dev.capstan.node.logs.LogTarget;
import dev.capstan.node.runtime.ContainerRuntime;
import dev.capstan.node.runtime.ContainerRuntimeException;
import dev.capstan.node.runtime.ContainerState;
import dev.capstan.node.runtime.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The kubelet's streaming endpoints (upstream server.go getExec, getAttach, getPortForward): resolves the pod and
 * container from the agent's own state, asks the runtime for a stream URL, connects to it, and only then upgrades the
 * client's request to a WebSocket, so that every failure up to there is a plain HTTP status with a message. Blocking
 * work (CRI calls) runs on a worker; the streams themselves run on the request's event loop.
 *
 * <ul>
 *   <li>{@code GET /exec/{namespace}/{pod}/{container}?command=…&stdin=&stdout=&stderr=&tty=} and {@code GET
 *       /attach/…} (flags {@code 1} or {@code true}): subprotocols {@code v5.channel.k8s.io}, {@code
 *       v4.channel.k8s.io}, {@code v4.base64.channel.k8s.io}; see {@link CommandStream}.
 *   <li>{@code GET /portForward/{namespace}/{pod}}: {@code SPDY/3.1+portforward.k8s.io}, or {@code v4…} with the
 *       ports in {@code ?port=} (the kubelet's name) or {@code ?ports=}, repeated or comma-separated; see {@link
 *       PortForwardRelay}.
 * </ul>
 */
public final class StreamingHandler {
    private static final Logger LOG = Logger.getLogger(StreamingHandler.class);

    /** The WebSocket subprotocols to offer on the server (the handshake picks by the client's order). */
    public static final List<String> SUBPROTOCOLS = ChannelProtocol.SUBPROTOCOLS;

    /** The runtime's ID of a pod's ready sandbox. */
    @FunctionalInterface
    public interface Sandboxes {
        Optional<String> sandboxId(Pod pod);
    }

    private final Vertx vertx;
    private final ContainerRuntime runtime;
    private final LogTarget.Pods pods;
    private final Sandboxes sandboxes;
    private final NetClient netClient;
    private final WebSocketClient webSocketClient;

    public StreamingHandler(Vertx vertx, ContainerRuntime runtime, LogTarget.Pods pods, Sandboxes sandboxes) {
        this.vertx = vertx;
        this.runtime = runtime;
        this.pods = pods;
        this.sandboxes = sandboxes;
        this.netClient = vertx.createNetClient(new NetClientOptions().setConnectTimeout(10_000));
        this.webSocketClient = vertx.createWebSocketClient();
    }

    /** A request that cannot be served, with the status the kubelet answers. */
    static final class StreamException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int status;

        StreamException(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    private record Target(String id, URI url) {}

    public void exec(RoutingContext ctx) {
        command(ctx, true);
    }

    public void attach(RoutingContext ctx) {
        command(ctx, false);
    }

    private void command(RoutingContext ctx, boolean exec) {
        HttpServerRequest request = ctx.request();
        MultiMap query = request.params();
        List<String> command = query.getAll("command");
        boolean stdin = flag(query, "stdin");
        boolean stdout = flag(query, "stdout");
        boolean stderr = flag(query, "stderr");
        boolean tty = flag(query, "tty");
        if (!stdin && !stdout && !stderr) {
            ctx.response().setStatusCode(400).end("you must specify at least 1 of stdin, stdout, stderr");
            return;
        }
        if (exec && command.isEmpty()) {
            ctx.response().setStatusCode(400).end("you must specify a command");
            return;
        }
        // upstream remotecommand: a TTY has no separate stderr
        var streams = new CommandStream.Streams(stdin, stdout, stderr && !tty, tty);
        ChannelProtocol protocol = ChannelProtocol.of(negotiate(request));
        if (protocol == null) {
            refuseUpgrade(ctx);
            return;
        }
        String namespace = ctx.pathParam("namespace");
        String podName = ctx.pathParam("pod");
        String container = ctx.pathParam("container");
        request.pause();
        vertx.executeBlocking(
                        () -> {
                            String id = runningContainer(namespace, podName, container);
                            URI url = exec ? runtime.exec(id, command, stdin, tty) : runtime.attach(id, stdin, tty);
                            return new Target(id, url);
                        },
                        false)
                .compose(target -> RuntimeUpgrade.connect(netClient, target.url(), ChannelProtocol.V4.subprotocol)
                        .compose(upgraded -> CommandStream.open(protocol, streams, upgraded)))
                .compose(stream -> request.toWebSocket()
                        .onFailure(e -> stream.abort())
                        .map(ws -> {
                            stream.attach(ws);
                            return ws;
                        }))
                .onFailure(e -> fail(ctx, e));
    }

    public void portForward(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        String offered = negotiate(request);
        boolean tunnel = ChannelProtocol.SPDY_PORT_FORWARD.equals(offered);
        ChannelProtocol channels = ChannelProtocol.of(offered);
        if (!tunnel && (channels == null || channels == ChannelProtocol.V5)) {
            refuseUpgrade(ctx);
            return;
        }
        List<Integer> ports = new ArrayList<>();
        if (!tunnel) {
            try {
                ports = ports(request.params());
            } catch (IllegalArgumentException e) {
                ctx.response().setStatusCode(400).end(e.getMessage());
                return;
            }
        }
        String namespace = ctx.pathParam("namespace");
        String podName = ctx.pathParam("pod");
        List<Integer> requested = ports;
        request.pause();
        Future<URI> url = vertx.executeBlocking(
                () -> {
                    Pod pod = pods.pod(namespace, podName)
                            .orElseThrow(() -> new StreamException(404, "pod does not exist"));
                    String sandbox = sandboxes
                            .sandboxId(pod)
                            .orElseThrow(() ->
                                    new StreamException(500, "pod not found (\"" + podName + "_" + namespace + "\")"));
                    return runtime.portForward(sandbox, requested);
                },
                false);
        if (tunnel) {
            url.compose(u -> RuntimeUpgrade.connect(netClient, u, "portforward.k8s.io"))
                    .compose(upgraded -> request.toWebSocket()
                            .onFailure(e -> upgraded.socket().close())
                            .map(ws -> {
                                PortForwardRelay.tunnel(ws, upgraded);
                                return ws;
                            }))
                    .onFailure(e -> fail(ctx, e));
        } else {
            url.compose(u -> webSocketClient
                            .connect(new WebSocketConnectOptions()
                                    .setAbsoluteURI(u.toString().replaceFirst("^http", "ws"))
                                    .addSubProtocol(channels.subprotocol))
                            .map(ws -> {
                                ws.pause(); // containerd's first frames (the ports) wait for the client
                                return ws;
                            }))
                    .compose(runtimeSocket -> request.toWebSocket()
                            .onFailure(e -> runtimeSocket.close())
                            .map(ws -> {
                                PortForwardRelay.channels(ws, runtimeSocket);
                                return ws;
                            }))
                    .onFailure(e -> fail(ctx, e));
        }
    }

    /** The running attempt's ID (upstream findContainer: only running containers count). */
    private String runningContainer(String namespace, String podName, String container) {
        Pod pod = pods.pod(namespace, podName).orElseThrow(() -> new StreamException(404, "pod does not exist"));
        return pods.attempts(pod, container).stream()
                .filter(s -> s.state() == ContainerState.RUNNING)
                .findFirst()
                .map(ContainerStatus::id)
                .orElseThrow(() -> new StreamException(500, "container not found (\"" + container + "\")"));
    }

    /** The first subprotocol of the client's list that the server offers, as the WebSocket handshake picks it. */
    private static String negotiate(HttpServerRequest request) {
        if (!"websocket".equalsIgnoreCase(request.getHeader("Upgrade"))) {
            return null;
        }
        for (String header : request.headers().getAll("Sec-WebSocket-Protocol")) {
            for (String offered : header.split(",")) {
                if (SUBPROTOCOLS.contains(offered.strip())) {
                    return offered.strip();
                }
            }
        }
        return null;
    }

    private static void refuseUpgrade(RoutingContext ctx) {
        ctx.response()
                .setStatusCode(400)
                .end("unable to upgrade: a WebSocket upgrade with one of the subprotocols " + SUBPROTOCOLS
                        + " is required");
    }

    private static void fail(RoutingContext ctx, Throwable e) {
        if (ctx.response().headWritten() || ctx.response().ended()) {
            LOG.debugf("a stream of %s failed: %s", ctx.request().path(), e.getMessage());
            return;
        }
        int status = e instanceof StreamException s
                ? s.status
                : e instanceof ContainerRuntimeException c && c.isNotFound() ? 404 : 500;
        ctx.response().setStatusCode(status).end(e.getMessage() == null ? e.toString() : e.getMessage());
    }

    /** The kubelet's ports ({@code port}, also {@code ports}): repeated or comma-separated, each 1–65535. */
    static List<Integer> ports(MultiMap query) {
        List<String> values = new ArrayList<>(query.getAll("port"));
        values.addAll(query.getAll("ports"));
        if (values.isEmpty()) {
            throw new IllegalArgumentException("query parameter \"port\" is required");
        }
        List<Integer> ports = new ArrayList<>();
        for (String value : values) {
            if (value.isEmpty()) {
                throw new IllegalArgumentException("query parameter \"port\" cannot be empty");
            }
            for (String p : value.split(",")) {
                int port;
                try {
                    port = Integer.parseInt(p);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("unable to parse \"" + value + "\" as a port");
                }
                if (port < 1 || port > 65535) {
                    throw new IllegalArgumentException("port \"" + value + "\" must be > 0");
                }
                ports.add(port);
            }
        }
        return ports;
    }

    private static boolean flag(MultiMap query, String name) {
        String value = query.get(name);
        return "1".equals(value) || "true".equalsIgnoreCase(value);
    }

    public void close() {
        netClient.close();
        webSocketClient.close();
    }
}
