package dev.capstan.api.kubelet;

import static dev.capstan.api.TestApi.api;
import static dev.capstan.api.TestApi.namespace;
import static dev.capstan.api.TestApi.randomName;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.capstan.api.TestApi;
import dev.capstan.api.http.ApiServer;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The API server's side of pods' log, exec, attach and portforward: the checks it makes itself (options, container,
 * node) and what it sends on. The node agent here is a stand-in HTTPS server that records what reaches it; the real
 * agent is exercised end to end by the e2e module's tests.
 */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KubeletProxyTest {
    private static final String AGENT_TOKEN = FakeKubelet.TOKEN;

    @Inject
    ApiServer server;

    @Inject
    Vertx vertx;

    private FakeKubelet agent;
    private List<String> agentRequests;
    private String ns;
    private String node;

    @BeforeAll
    void startAgent() throws Exception {
        agent = FakeKubelet.start(vertx, List.of("v5.channel.k8s.io", "v4.channel.k8s.io"), request -> {
            if (request.path().startsWith("/exec/")) {
                request.toWebSocket().onSuccess(this::answerExec);
            } else if (request.path().endsWith("/waiting")) {
                request.response()
                        .setStatusCode(400)
                        .end("container \"waiting\" in pod \"p\" is waiting to start: ContainerCreating");
            } else {
                request.response().setChunked(true).write("one\n");
                request.response().end("two\n");
            }
        });
        agentRequests = agent.requests();
        ns = namespace(server);
        node = randomName("node");
        api(server)
                .body("{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\"" + node + "\"},"
                        // a Hostname listed first: the InternalIP is still the one used
                        + "\"status\":{\"addresses\":[{\"type\":\"Hostname\",\"address\":\"no-such-host.invalid\"},"
                        + "{\"type\":\"InternalIP\",\"address\":\"127.0.0.1\"}],"
                        + "\"daemonEndpoints\":{\"kubeletEndpoint\":{\"Port\":" + agent.port() + "}}}}")
                .post("/api/v1/nodes")
                .then()
                .statusCode(201);
    }

    /** What the agent's exec sends: one frame on stdout, then the exit Status on channel 3, then close. */
    private void answerExec(ServerWebSocket ws) {
        ws.writeBinaryMessage(Buffer.buffer().appendByte((byte) 1).appendString("hi\n"));
        ws.writeBinaryMessage(Buffer.buffer().appendByte((byte) 3).appendString("{\"status\":\"Success\"}"));
        ws.close();
    }

    @AfterAll
    void stopAgent() {
        if (agent != null) {
            agent.close();
        }
    }

    private void pod(String name, String nodeName, String... containers) {
        StringBuilder list = new StringBuilder();
        for (String c : containers) {
            list.append(list.isEmpty() ? "" : ",")
                    .append("{\"name\":\"")
                    .append(c)
                    .append("\",\"image\":\"busybox\"}");
        }
        String spec =
                "{" + (nodeName == null ? "" : "\"nodeName\":\"" + nodeName + "\",") + "\"containers\":[" + list + "]}";
        api(server)
                .body("{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"" + name + "\"},\"spec\":"
                        + spec + "}")
                .post("/api/v1/namespaces/" + ns + "/pods")
                .then()
                .statusCode(201);
    }

    private String log(String pod) {
        return "/api/v1/namespaces/" + ns + "/pods/" + pod + "/log";
    }

    @Test
    void theLogOfAScheduledPodComesFromItsNodesAgentWithTheOptionsAndToken() {
        pod("logged", node, "c");
        String body = api(server)
                .get(log("logged") + "?tailLines=2&timestamps=true")
                .then()
                .statusCode(200)
                .contentType("text/plain")
                .extract()
                .asString();
        assertThat(body).isEqualTo("one\ntwo\n");
        assertThat(agentRequests)
                .contains("/containerLogs/" + ns + "/logged/c?timestamps=true&tailLines=2 Bearer " + AGENT_TOKEN);
    }

    @Test
    void anUnscheduledPodHasAnEmptyLog() {
        pod("pending", null, "c");
        assertThat(api(server)
                        .get(log("pending"))
                        .then()
                        .statusCode(200)
                        .extract()
                        .asString())
                .isEmpty();
    }

    @Test
    void containerNamesAreCheckedAsUpstreamDoes() {
        pod("two", node, "a", "b");
        api(server)
                .get(log("two"))
                .then()
                .statusCode(400)
                .body("reason", equalTo("BadRequest"))
                .body("message", equalTo("a container name must be specified for pod two, choose one of: [a b]"));
        api(server)
                .get(log("two") + "?container=x")
                .then()
                .statusCode(400)
                .body("message", equalTo("container x is not valid for pod two"));
        api(server).get(log("nosuchpod")).then().statusCode(404).body("reason", equalTo("NotFound"));
    }

    @Test
    void badLogOptionsAreRefusedBeforeTheAgentIsAsked() {
        pod("opts", node, "c");
        api(server)
                .get(log("opts") + "?tailLines=-1")
                .then()
                .statusCode(422)
                .body("reason", equalTo("Invalid"))
                .body(
                        "message",
                        equalTo("PodLogOptions \"opts\" is invalid: tailLines: Invalid value: -1: must be greater"
                                + " than or equal to 0"))
                .body("details.causes[0].field", equalTo("tailLines"));
        api(server)
                .get(log("opts") + "?sinceSeconds=5&sinceTime=2026-01-01T00:00:00Z")
                .then()
                .statusCode(422)
                .body("details.causes[0].reason", equalTo("FieldValueForbidden"));
        api(server).get(log("opts") + "?follow=maybe").then().statusCode(400).body("reason", equalTo("BadRequest"));
    }

    @Test
    void theAgentsRefusalReachesTheClientAsAStatus() {
        pod("waits", node, "waiting");
        api(server)
                .get(log("waits"))
                .then()
                .statusCode(400)
                .body("message", equalTo("container \"waiting\" in pod \"p\" is waiting to start: ContainerCreating"));
    }

    @Test
    void aWrongAgentTokenIsAnInternalErrorThatSaysSo() throws IOException {
        pod("badtoken", node, "c");
        Path file = FakeKubelet.TOKEN_FILE;
        Files.writeString(file, "another-token");
        try {
            api(server)
                    .get(log("badtoken"))
                    .then()
                    .statusCode(500)
                    .body("message", org.hamcrest.Matchers.containsString("refused the API server's client token"));
        } finally {
            Files.writeString(file, AGENT_TOKEN);
        }
    }

    @Test
    void aNodeWithoutAKubeletPortIsUnavailable() {
        String bare = randomName("bare");
        api(server)
                .body("{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\"" + bare + "\"}}")
                .post("/api/v1/nodes")
                .then()
                .statusCode(201);
        pod("onbare", bare, "c");
        api(server)
                .get(log("onbare"))
                .then()
                .statusCode(503)
                .body("message", equalTo("node " + bare + " publishes no address yet: its agent has not reported in"));
    }

    @Test
    void execChecksItsOptionsAndNeedsAnUpgrade() {
        pod("ex", node, "c");
        String exec = "/api/v1/namespaces/" + ns + "/pods/ex/exec";
        api(server)
                .get(exec + "?command=ls&stdout=true")
                .then()
                .statusCode(400)
                .body("message", equalTo("Upgrade request required"));
        pod("floating", null, "c");
        assertThat(upgradeStatus("/api/v1/namespaces/" + ns + "/pods/floating/exec?command=ls&stdout=true"))
                .isEqualTo(400);
        assertThat(upgradeStatus(exec + "?command=ls")).isEqualTo(400);
        assertThat(upgradeStatus(exec + "?stdout=true")).isEqualTo(400);
    }

    @Test
    void aSpdyFallbackSaysWhyTheWebSocketWasRefused() {
        pod("sp", node, "c");
        String attach = "/api/v1/namespaces/" + ns + "/pods/sp/attach?stdout=true";
        // no status for the container yet: the agent would have answered this to kubectl's WebSocket attempt
        api(server)
                .header("Connection", "Upgrade")
                .header("Upgrade", "SPDY/3.1")
                .get(attach)
                .then()
                .statusCode(500)
                .body("message", equalTo("container not found (\"c\")"));

        api(server)
                .body("{\"status\":{\"containerStatuses\":[{\"name\":\"c\",\"image\":\"busybox\",\"imageID\":\"\","
                        + "\"ready\":true,\"restartCount\":0,\"state\":{\"running\":{}}}]}}")
                .contentType("application/merge-patch+json")
                .patch("/api/v1/namespaces/" + ns + "/pods/sp/status")
                .then()
                .statusCode(200);
        api(server)
                .header("Connection", "Upgrade")
                .header("Upgrade", "SPDY/3.1")
                .get(attach)
                .then()
                .statusCode(400)
                .body("message", org.hamcrest.Matchers.startsWith("only WebSocket upgrades are served (SPDY/3.1"));
    }

    @Test
    void execIsRelayedFrameByFrameWithTheAgentsSubprotocol() throws Exception {
        pod("relayed", node, "c");
        WebSocketClient client = vertx.createWebSocketClient(
                new WebSocketClientOptions().setSsl(true).setTrustAll(true).setVerifyHost(false));
        var frames = new CopyOnWriteArrayList<String>();
        var closed = new CompletableFuture<Void>();
        WebSocket ws = client.connect(connect("/api/v1/namespaces/" + ns
                                + "/pods/relayed/exec?command=echo&command=hi&stdout=true&stderr=true")
                        .setSubProtocols(List.of("v5.channel.k8s.io", "v4.channel.k8s.io")))
                .onSuccess(s -> {
                    s.binaryMessageHandler(b -> frames.add(b.getByte(0) + ":" + b.getString(1, b.length())));
                    s.closeHandler(v -> closed.complete(null));
                })
                .toCompletionStage()
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        closed.get(10, TimeUnit.SECONDS);
        assertThat(ws.subProtocol()).isEqualTo("v5.channel.k8s.io");
        assertThat(frames).containsExactly("1:hi\n", "3:{\"status\":\"Success\"}");
        assertThat(agentRequests)
                .anyMatch(r -> r.startsWith("/exec/" + ns + "/relayed/c?command=echo&command=hi&stdin=false&stdout=true"
                        + "&stderr=true&tty=false "));
        client.close();
    }

    private WebSocketConnectOptions connect(String uri) {
        return new WebSocketConnectOptions()
                .setHost("127.0.0.1")
                .setPort(server.port())
                .setSsl(true)
                .setURI(uri)
                .addHeader("Authorization", "Bearer " + TestApi.token());
    }

    /** The status of a refused WebSocket upgrade. */
    private int upgradeStatus(String uri) {
        WebSocketClient client = vertx.createWebSocketClient(
                new WebSocketClientOptions().setSsl(true).setTrustAll(true).setVerifyHost(false));
        try {
            client.connect(connect(uri).setSubProtocols(List.of("v5.channel.k8s.io")))
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get(10, TimeUnit.SECONDS);
            return 101;
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof io.vertx.core.http.UpgradeRejectedException rejected) {
                assertThat(rejected.getBody().toString(StandardCharsets.UTF_8)).contains("\"kind\":\"Status\"");
                return rejected.getStatus();
            }
            throw new AssertionError(e);
        } catch (Exception e) {
            throw new AssertionError(e);
        } finally {
            client.close();
        }
    }
}
