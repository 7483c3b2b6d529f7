package dev.capstan.api.kubelet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.ApiException;
import dev.capstan.api.registry.GenericStore;
import dev.capstan.api.registry.ResourceType;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Finds a node agent and holds the HTTPS clients that call it. The agent's endpoint is the Node's preferred address
 * (InternalIP, then ExternalIP, then Hostname) and {@code status.daemonEndpoints.kubeletEndpoint.Port}; every call
 * carries the token in the client-token file, read at each call so that an agent started later (which is when
 * {@code ./capstan} writes it) is reachable without a restart.
 *
 * <p>The agent's certificate is not verified, which is kube-apiserver's default without
 * {@code --kubelet-certificate-authority}: the connection is encrypted and the agent checks the token.
 */
public final class KubeletClient implements AutoCloseable {
    private static final List<String> ADDRESS_TYPES = List.of("InternalIP", "ExternalIP", "Hostname");
    /** Subprotocols kubectl and fabric8 offer on stream upgrades; the API server accepts what the agent picked. */
    public static final List<String> STREAM_PROTOCOLS = List.of(
            "v5.channel.k8s.io",
            "v4.channel.k8s.io",
            "v4.base64.channel.k8s.io",
            "channel.k8s.io",
            "base64.channel.k8s.io",
            "SPDY/3.1+portforward.k8s.io");

    private final GenericStore store;
    private final ResourceType nodes;
    private final Path tokenFile;
    private final HttpClient http;
    private final WebSocketClient webSockets;

    public KubeletClient(Vertx vertx, GenericStore store, ResourceType nodes, Path tokenFile, Duration connectTimeout) {
        this.store = store;
        this.nodes = nodes;
        this.tokenFile = tokenFile;
        int timeout = (int) connectTimeout.toMillis();
        this.http = vertx.createHttpClient(new HttpClientOptions()
                .setSsl(true)
                .setTrustAll(true)
                .setVerifyHost(false)
                .setConnectTimeout(timeout)
                .setMaxPoolSize(16));
        this.webSockets = vertx.createWebSocketClient(new WebSocketClientOptions()
                .setSsl(true)
                .setTrustAll(true)
                .setVerifyHost(false)
                .setConnectTimeout(timeout)
                .setMaxFrameSize(1 << 20)
                .setMaxMessageSize(1 << 22));
    }

    /** Where a node's agent listens. */
    public record Endpoint(String node, String host, int port) {
        @Override
        public String toString() {
            return host + ":" + port;
        }
    }

    /**
     * The agent of the named node.
     *
     * @throws ApiException 404 when the Node does not exist, 503 when it publishes no address or port yet
     */
    public Endpoint endpoint(String nodeName) {
        ObjectNode node = store.get(nodes, null, nodeName);
        JsonNode status = node.path("status");
        String host = preferredAddress(status.path("addresses"));
        int port = status.path("daemonEndpoints")
                .path("kubeletEndpoint")
                .path("Port")
                .asInt(0);
        if (host == null || port <= 0) {
            throw ApiException.unavailable("node " + nodeName + " publishes no "
                    + (host == null ? "address" : "kubelet port") + " yet: its agent has not reported in");
        }
        return new Endpoint(nodeName, host, port);
    }

    private static String preferredAddress(JsonNode addresses) {
        for (String type : ADDRESS_TYPES) {
            for (JsonNode address : addresses) {
                if (type.equals(address.path("type").asText())
                        && !address.path("address").asText().isEmpty()) {
                    return address.path("address").asText();
                }
            }
        }
        return null;
    }

    /** The headers every call carries: the bearer token. */
    public MultiMap headers() {
        return MultiMap.caseInsensitiveMultiMap().add("Authorization", "Bearer " + token());
    }

    private String token() {
        String token;
        try {
            token = Files.readString(tokenFile).strip();
        } catch (IOException e) {
            throw ApiException.unavailable("the API server cannot reach node agents: it has no client token in "
                    + tokenFile + " (set capstan.api.kubelet-client-token-file; ./capstan up --node writes it)");
        }
        if (token.isEmpty()) {
            throw ApiException.unavailable("the client token file for node agents " + tokenFile + " is empty");
        }
        return token;
    }

    public HttpClient http() {
        return http;
    }

    public WebSocketClient webSockets() {
        return webSockets;
    }

    @Override
    public void close() {
        http.close();
        webSockets.close();
    }
}
