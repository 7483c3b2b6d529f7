package dev.capstan.node.streams;

import dev.capstan.model.json.KubeJson;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stand-in for the API server in front of the agent, just enough for kubectl on plain HTTP: fixed JSON answers for
 * discovery and the pod, and the pod's exec, attach and portforward requests passed on byte for byte to the agent's
 * paths with the bearer token (a transparent relay, as the API server's). Test code only.
 */
final class ApiFront implements AutoCloseable {
    private static final Pattern SUBRESOURCE =
            Pattern.compile("/api/v1/namespaces/([^/]+)/pods/([^/?]+)/(exec|attach|portforward)(?:\\?(.*))?");

    private final NetServer server;
    private final NetClient agentClient;
    private final Map<String, String> answers;
    private final int agentPort;
    private final String token;

    /** @param answers JSON bodies by request path (without the query) */
    ApiFront(Vertx vertx, Map<String, String> answers, int agentPort, String token) throws Exception {
        this.answers = answers;
        this.agentPort = agentPort;
        this.token = token;
        this.agentClient = vertx.createNetClient(
                new NetClientOptions().setSsl(true).setTrustAll(true).setHostnameVerificationAlgorithm(""));
        this.server = vertx.createNetServer()
                .connectHandler(this::serve)
                .listen(0, "127.0.0.1")
                .toCompletionStage()
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
    }

    /** Legacy discovery with pods and their subresources, and the pod default/web ({@link StreamsTestPod#pod}). */
    static Map<String, String> discoveryAndPod() throws Exception {
        String resources = """
                {"kind":"APIResourceList","apiVersion":"v1","groupVersion":"v1","resources":[
                {"name":"pods","singularName":"pod","namespaced":true,"kind":"Pod","verbs":["get","list"]},
                {"name":"pods/attach","singularName":"","namespaced":true,"kind":"PodAttachOptions","verbs":["get"]},
                {"name":"pods/exec","singularName":"","namespaced":true,"kind":"PodExecOptions","verbs":["get"]},
                {"name":"pods/portforward","singularName":"","namespaced":true,"kind":"PodPortForwardOptions",\
                "verbs":["get"]}]}""";
        return Map.of(
                "/api",
                "{\"kind\":\"APIVersions\",\"versions\":[\"v1\"],\"serverAddressByClientCIDRs\":[]}",
                "/apis",
                "{\"kind\":\"APIGroupList\",\"apiVersion\":\"v1\",\"groups\":[]}",
                "/api/v1",
                resources,
                "/api/v1/namespaces/default/pods/web",
                KubeJson.MAPPER.writeValueAsString(StreamsTestPod.pod()));
    }

    int port() {
        return server.actualPort();
    }

    private void serve(NetSocket socket) {
        Buffer[] pending = {Buffer.buffer()};
        socket.handler(bytes -> {
            pending[0].appendBuffer(bytes);
            while (true) {
                String text = pending[0].toString(StandardCharsets.ISO_8859_1);
                int end = text.indexOf("\r\n\r\n");
                if (end < 0) {
                    return;
                }
                String head = text.substring(0, end);
                Buffer rest = pending[0].getBuffer(end + 4, pending[0].length());
                String target = head.split(" ", 3)[1];
                Matcher m = SUBRESOURCE.matcher(target);
                if (head.toLowerCase().contains("\nupgrade:") && m.matches()) {
                    socket.handler(null);
                    socket.pause();
                    relay(socket, head, m, rest);
                    return;
                }
                respond(socket, target.split("\\?")[0]);
                pending[0] = rest; // keep-alive: GETs without a body, the next request follows
            }
        });
    }

    private void respond(NetSocket socket, String path) {
        String body = answers.get(path);
        int status = body == null ? 404 : 200;
        if (body == null) {
            body = "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\",\"code\":404,"
                    + "\"reason\":\"NotFound\",\"message\":\"" + path + " not found\"}";
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        socket.write(Buffer.buffer("HTTP/1.1 " + status + " " + (status == 200 ? "OK" : "Not Found") + "\r\n"
                        + "Content-Type: application/json\r\nContent-Length: " + bytes.length + "\r\n\r\n")
                .appendBytes(bytes));
    }

    private void relay(NetSocket client, String head, Matcher m, Buffer rest) {
        String query = m.group(4) == null ? "" : m.group(4);
        String path = switch (m.group(3)) {
            case "portforward" ->
                "/portForward/" + m.group(1) + "/" + m.group(2) + (query.isEmpty() ? "" : "?" + query);
            default -> {
                Matcher c = Pattern.compile("(?:^|&)container=([^&]*)").matcher(query);
                String container = c.find() ? c.group(1) : "";
                yield "/" + m.group(3) + "/" + m.group(1) + "/" + m.group(2) + "/" + container + "?" + query;
            }
        };
        String[] lines = head.split("\r\n");
        var rewritten = new StringBuilder("GET " + path + " HTTP/1.1\r\n");
        for (int i = 1; i < lines.length; i++) {
            String name = lines[i].split(":", 2)[0].strip().toLowerCase();
            if (!name.equals("authorization") && !name.equals("host")) {
                rewritten.append(lines[i]).append("\r\n");
            }
        }
        rewritten.append("Host: 127.0.0.1:").append(agentPort).append("\r\n");
        rewritten.append("Authorization: Bearer ").append(token).append("\r\n\r\n");
        agentClient
                .connect(agentPort, "127.0.0.1")
                .onSuccess(agent -> {
                    agent.write(Buffer.buffer(rewritten.toString()).appendBuffer(rest));
                    client.pipeTo(agent);
                    agent.pipeTo(client);
                    client.resume();
                })
                .onFailure(e -> client.close());
    }

    @Override
    public void close() {
        server.close();
        agentClient.close();
    }
}
