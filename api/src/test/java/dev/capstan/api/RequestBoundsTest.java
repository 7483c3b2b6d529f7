package dev.capstan.api;

import static dev.capstan.api.TestApi.api;
import static dev.capstan.api.TestApi.namespace;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.capstan.api.http.ApiServer;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Collections;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** No request can take the heap or an event loop: the bounds on patches and bodies, and the watchdog, end to end. */
@QuarkusTest
class RequestBoundsTest {
    private static final String GENERIC_422 = "the server rejected our request due to an error in our request";

    @Inject
    ApiServer server;

    @Inject
    Vertx vertx;

    private void configMap(String ns, String name) {
        api(server)
                .body("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"" + name
                        + "\"},\"data\":{\"k\":\"v\"}}")
                .post("/api/v1/namespaces/" + ns + "/configmaps")
                .then()
                .statusCode(201);
    }

    private Response patch(String path, String type, String body) {
        return api(server).contentType(type).body(body).patch(path);
    }

    private static void assertStatus(Response response, int code, String reason, String message) {
        assertThat(response.statusCode()).as(response.asString()).isEqualTo(code);
        assertThat(response.jsonPath().getString("kind")).isEqualTo("Status");
        assertThat(response.jsonPath().getInt("code")).isEqualTo(code);
        assertThat(response.jsonPath().getString("reason")).isEqualTo(reason);
        assertThat(response.jsonPath().getString("message")).isEqualTo(message);
    }

    @Test
    void anAmplifyingJsonPatchIsRefusedAndTheServerStaysHealthy() throws Exception {
        String ns = namespace(server);
        configMap(ns, "target");
        BlockingQueue<JsonNode> events = watch("/api/v1/namespaces/" + ns + "/configmaps?watch=true");
        assertThat(events.poll(10, TimeUnit.SECONDS).path("type").asText()).isEqualTo("ADDED");

        // 24 copies of /metadata into itself: each doubles it, to 2^24 times its size.
        StringBuilder ops =
                new StringBuilder("[{\"op\":\"add\",\"path\":\"/data/k\",\"value\":\"" + "v".repeat(40) + "\"}");
        for (int i = 0; i < 24; i++) {
            ops.append(",{\"op\":\"copy\",\"from\":\"/metadata\",\"path\":\"/metadata/m")
                    .append(i)
                    .append("\"}");
        }
        String body = ops.append(']').toString();
        assertThat(body.length()).isLessThan(1500);
        long start = System.nanoTime();
        Response refused =
                patch("/api/v1/namespaces/" + ns + "/configmaps/target", "application/json-patch+json", body);
        assertStatus(refused, 422, "Invalid", GENERIC_422);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));

        api(server).get("/readyz").then().statusCode(200);
        patch(
                        "/api/v1/namespaces/" + ns + "/configmaps/target",
                        "application/merge-patch+json",
                        "{\"data\":{\"after\":\"yes\"}}")
                .then()
                .statusCode(200);
        JsonNode next = events.poll(10, TimeUnit.SECONDS);
        assertThat(next).isNotNull();
        assertThat(next.path("type").asText()).isEqualTo("MODIFIED");
        assertThat(next.path("object").path("data").path("after").asText()).isEqualTo("yes");
    }

    @Test
    void moreThanTenThousandJsonPatchOperationsAreTooLarge() {
        String ns = namespace(server);
        configMap(ns, "target");
        String op = "{\"op\":\"test\",\"path\":\"/kind\",\"value\":\"ConfigMap\"}";
        assertStatus(
                patch(
                        "/api/v1/namespaces/" + ns + "/configmaps/target",
                        "application/json-patch+json",
                        "[" + String.join(",", Collections.nCopies(10_001, op)) + "]"),
                413,
                "RequestEntityTooLarge",
                "Request entity too large: The allowed maximum operations in a JSON patch is 10000, got 10001");
    }

    @Test
    void aPatchWhoseResultExceedsWhatTheStoreHoldsIsRefusedAndNothingIsStored() {
        String ns = namespace(server);
        api(server)
                .body("{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"big\"},"
                        + "\"spec\":{\"selector\":{\"matchLabels\":{\"a\":\"b\"}},\"template\":{\"metadata\":"
                        + "{\"labels\":{\"a\":\"b\"}},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"i\"}]}}}}")
                .post("/apis/apps/v1/namespaces/" + ns + "/deployments")
                .then()
                .statusCode(201);
        String before = api(server)
                .get("/apis/apps/v1/namespaces/" + ns + "/deployments/big")
                .jsonPath()
                .getString("metadata.resourceVersion");
        // 0.9 MB of args, copied once: under the request and copy limits, over the 1.5 MiB an object may have.
        String args = "x".repeat(900_000);
        Response response = patch(
                "/apis/apps/v1/namespaces/" + ns + "/deployments/big",
                "application/json-patch+json",
                "[{\"op\":\"add\",\"path\":\"/spec/template/spec/containers/0/args\",\"value\":[\"" + args + "\"]},"
                        + "{\"op\":\"copy\",\"from\":\"/spec/template/spec/containers/0/args/0\","
                        + "\"path\":\"/spec/template/spec/containers/0/args/-\"}]");
        assertThat(response.statusCode()).as(response.asString()).isEqualTo(413);
        assertThat(response.jsonPath().getString("reason")).isEqualTo("RequestEntityTooLarge");
        assertThat(response.jsonPath().getString("message"))
                .matches("the value for key /registry/apps/deployments/" + ns
                        + "/big is \\d+ bytes; the limit is 1572864 bytes \\(1.5 MiB\\)");
        var stored = api(server)
                .get("/apis/apps/v1/namespaces/" + ns + "/deployments/big")
                .jsonPath();
        assertThat(stored.getString("metadata.resourceVersion")).isEqualTo(before);
        assertThat(stored.getList("spec.template.spec.containers[0].args")).isNull();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "application/json",
                "application/merge-patch+json",
                "application/strategic-merge-patch+json",
                "application/json-patch+json"
            })
    void deeplyNestedBodiesAreRefusedQuickly(String type) throws Exception {
        String ns = namespace(server);
        configMap(ns, "target");
        String body = "[".repeat(100_000);
        String path = type.equals("application/json")
                ? "/api/v1/namespaces/" + ns + "/configmaps"
                : "/api/v1/namespaces/" + ns + "/configmaps/target";
        // java.net.http rather than REST Assured, which itself takes seconds over a body like this one
        HttpClient client = HttpClient.newBuilder()
                .sslContext(TestApi.trustingTheClusterCa())
                .build();
        long start = System.nanoTime();
        HttpResponse<String> response = client.send(
                HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + server.port() + path))
                        .header("Authorization", "Bearer " + TestApi.token())
                        .header("Content-Type", type)
                        .method(type.equals("application/json") ? "POST" : "PATCH", BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        JsonNode status = Json.MAPPER.readTree(response.body());
        String prefix = type.equals("application/json")
                ? "the request body is not valid JSON: "
                : "the patch is not valid JSON: ";
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(status.path("code").asInt()).isEqualTo(400);
        assertThat(status.path("reason").asText()).isEqualTo("BadRequest");
        assertThat(status.path("message").asText())
                .isEqualTo(prefix + "Document nesting depth (1001) exceeds the maximum allowed (1000, from"
                        + " `StreamReadConstraints.getMaxNestingDepth()`)");
    }

    @Test
    void aJsonPatchThatNestsTheObjectTooDeeplyIsRefused() {
        String ns = namespace(server);
        configMap(ns, "target");
        String deep = "{\"a\":".repeat(900) + "1" + "}".repeat(900);
        assertStatus(
                patch(
                        "/api/v1/namespaces/" + ns + "/configmaps/target",
                        "application/json-patch+json",
                        "[{\"op\":\"add\",\"path\":\"/a\",\"value\":" + deep + "},{\"op\":\"add\",\"path\":\""
                                + "/a".repeat(899) + "\",\"value\":" + deep + "}]"),
                422,
                "Invalid",
                "the patched object nests deeper than 1000 levels");
    }

    @Test
    @SuppressWarnings("deprecation") // nettyEventLoopGroup: the loops themselves, as the watchdog sees them
    void aBlockedEventLoopMakesTheServerUnreadyUntilItRuns() {
        CountDownLatch release = new CountDownLatch(1);
        try {
            // Block one of the event loops the API's connections run on.
            vertx.nettyEventLoopGroup().next().execute(() -> {
                try {
                    release.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            Awaitility.await().atMost(15, TimeUnit.SECONDS).until(() -> !server.isReady());
        } finally {
            release.countDown();
        }
        Awaitility.await().atMost(15, TimeUnit.SECONDS).until(server::isReady);
    }

    private BlockingQueue<JsonNode> watch(String pathAndQuery) throws Exception {
        return TestApi.watch(server, pathAndQuery);
    }
}
