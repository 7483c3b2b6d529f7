package dev.capstan.api;

import static dev.capstan.api.TestApi.api;
import static dev.capstan.api.TestApi.namespace;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.capstan.api.http.ApiServer;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Lists with selectors and pagination, and HTTP watches, against the running server. */
@QuarkusTest
class ListAndWatchTest {
    @Inject
    ApiServer server;

    private void configMap(String ns, String name, String labels) {
        api(server)
                .body("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"" + name
                        + "\",\"labels\":{" + labels + "}},\"data\":{\"k\":\"v\"}}")
                .post("/api/v1/namespaces/" + ns + "/configmaps")
                .then()
                .statusCode(201);
    }

    private List<String> names(String ns, String param, String value) {
        return api(server)
                .queryParam(param, value)
                .get("/api/v1/namespaces/" + ns + "/configmaps")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("items.metadata.name", String.class);
    }

    @Test
    void labelSelectorsSupportEveryOperator() {
        String ns = namespace(server);
        configMap(ns, "a", "\"app\":\"web\",\"tier\":\"front\"");
        configMap(ns, "b", "\"app\":\"web\",\"tier\":\"back\"");
        configMap(ns, "c", "\"app\":\"db\"");
        configMap(ns, "d", "");

        assertThat(names(ns, "labelSelector", "app=web")).containsExactly("a", "b");
        assertThat(names(ns, "labelSelector", "app==web,tier!=back")).containsExactly("a");
        assertThat(names(ns, "labelSelector", "app!=web")).containsExactly("c", "d");
        assertThat(names(ns, "labelSelector", "app in (db, web)")).containsExactly("a", "b", "c");
        assertThat(names(ns, "labelSelector", "app notin (web)")).containsExactly("c", "d");
        assertThat(names(ns, "labelSelector", "tier")).containsExactly("a", "b");
        assertThat(names(ns, "labelSelector", "!tier")).containsExactly("c", "d");
        assertThat(names(ns, "fieldSelector", "metadata.name=c")).containsExactly("c");
        assertThat(names(ns, "fieldSelector", "metadata.name!=c")).containsExactly("a", "b", "d");
    }

    @Test
    void podFieldSelectorsSeeNodeNameAndPhase() {
        String ns = namespace(server);
        for (String name : List.of("p1", "p2")) {
            api(server)
                    .body("{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"" + name
                            + "\"},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"busybox\"}]}}")
                    .post("/api/v1/namespaces/" + ns + "/pods")
                    .then()
                    .statusCode(201)
                    .body("status.phase", equalTo("Pending"));
        }
        api(server)
                .body("{\"apiVersion\":\"v1\",\"kind\":\"Binding\",\"metadata\":{\"name\":\"p1\"},"
                        + "\"target\":{\"kind\":\"Node\",\"name\":\"node-a\"}}")
                .post("/api/v1/namespaces/" + ns + "/pods/p1/binding")
                .then()
                .statusCode(201);
        api(server)
                .body("{\"target\":{\"kind\":\"Node\",\"name\":\"node-b\"}}")
                .post("/api/v1/namespaces/" + ns + "/pods/p1/binding")
                .then()
                .statusCode(409);
        List<String> onA = api(server)
                .queryParam("fieldSelector", "spec.nodeName=node-a")
                .get("/api/v1/namespaces/" + ns + "/pods")
                .jsonPath()
                .getList("items.metadata.name", String.class);
        assertThat(onA).containsExactly("p1");
        List<String> unbound = api(server)
                .queryParam("fieldSelector", "spec.nodeName=,status.phase=Pending")
                .get("/api/v1/namespaces/" + ns + "/pods")
                .jsonPath()
                .getList("items.metadata.name", String.class);
        assertThat(unbound).containsExactly("p2");
    }

    @Test
    void pagesWithLimitAndContinueAreConsistentWhileWritesGoOn() {
        String ns = namespace(server);
        for (int i = 0; i < 25; i++) {
            configMap(ns, "cm%02d".formatted(i), "");
        }
        String path = "/api/v1/namespaces/" + ns + "/configmaps";
        JsonPath first = api(server).queryParam("limit", 10).get(path).jsonPath();
        assertThat(first.getList("items")).hasSize(10);
        assertThat(first.getLong("metadata.remainingItemCount")).isEqualTo(15);
        String listRv = first.getString("metadata.resourceVersion");
        // Writes after the first page do not show up in later pages of the same list.
        configMap(ns, "cm00a", "");
        api(server).delete(path + "/cm20").then().statusCode(200);

        List<String> all = new ArrayList<>(first.getList("items.metadata.name", String.class));
        String token = first.getString("metadata.continue");
        while (token != null && !token.isEmpty()) {
            JsonPath page = api(server)
                    .queryParam("limit", 10)
                    .queryParam("continue", token)
                    .get(path)
                    .jsonPath();
            assertThat(page.getString("metadata.resourceVersion")).isEqualTo(listRv);
            all.addAll(page.getList("items.metadata.name", String.class));
            token = page.getString("metadata.continue");
        }
        assertThat(all).hasSize(25).contains("cm20").doesNotContain("cm00a");

        api(server).queryParam("continue", "garbage!").get(path).then().statusCode(400);
        api(server).queryParam("resourceVersion", "abc").get(path).then().statusCode(400);
    }

    @Test
    void aWatchStreamsAddedModifiedAndDeletedEvents() throws Exception {
        String ns = namespace(server);
        String path = "/api/v1/namespaces/" + ns + "/configmaps";
        String rv = api(server).get(path).jsonPath().getString("metadata.resourceVersion");
        BlockingQueue<JsonNode> events =
                watch(path + "?watch=true&resourceVersion=" + rv + "&allowWatchBookmarks=true&timeoutSeconds=30");

        configMap(ns, "w1", "\"app\":\"x\"");
        api(server)
                .header("Content-Type", "application/merge-patch+json")
                .body("{\"data\":{\"k\":\"changed\"}}")
                .patch(path + "/w1")
                .then()
                .statusCode(200);
        api(server).delete(path + "/w1").then().statusCode(200);

        List<String> types = new ArrayList<>();
        while (types.size() < 3) {
            JsonNode event = events.poll(20, TimeUnit.SECONDS);
            assertThat(event).as("watch event").isNotNull();
            String type = event.get("type").asText();
            if (!type.equals("BOOKMARK")) {
                types.add(type);
                assertThat(event.path("object").path("metadata").path("name").asText())
                        .isEqualTo("w1");
            }
        }
        assertThat(types).containsExactly("ADDED", "MODIFIED", "DELETED");
        JsonNode bookmark = events.poll(10, TimeUnit.SECONDS);
        assertThat(bookmark.get("type").asText()).isEqualTo("BOOKMARK");
        assertThat(bookmark.path("object")
                        .path("metadata")
                        .path("resourceVersion")
                        .asLong())
                .isGreaterThan(Long.parseLong(rv));
    }

    @Test
    void aWatchFromZeroStartsWithTheCurrentStateAndInitialEventsEndWithABookmark() throws Exception {
        String ns = namespace(server);
        configMap(ns, "before", "");
        String path = "/api/v1/namespaces/" + ns + "/configmaps";
        BlockingQueue<JsonNode> fromZero = watch(path + "?watch=true&resourceVersion=0&timeoutSeconds=10");
        JsonNode first = fromZero.poll(20, TimeUnit.SECONDS);
        assertThat(first.get("type").asText()).isEqualTo("ADDED");
        assertThat(first.path("object").path("metadata").path("name").asText()).isEqualTo("before");

        BlockingQueue<JsonNode> initial = watch(path + "?watch=true&sendInitialEvents=true"
                + "&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true&timeoutSeconds=10");
        assertThat(initial.poll(20, TimeUnit.SECONDS).get("type").asText()).isEqualTo("ADDED");
        JsonNode end = initial.poll(20, TimeUnit.SECONDS);
        assertThat(end.get("type").asText()).isEqualTo("BOOKMARK");
        assertThat(end.path("object")
                        .path("metadata")
                        .path("annotations")
                        .path("k8s.io/initial-events-end")
                        .asText())
                .isEqualTo("true");
    }

    @Test
    void aWatchFromACompactedRevisionGetsA410ErrorEvent() throws Exception {
        String ns = namespace(server);
        configMap(ns, "old", "");
        long old = server.store().currentRevision();
        configMap(ns, "newer", "");
        server.store().compact(server.store().currentRevision());
        BlockingQueue<JsonNode> events =
                watch("/api/v1/namespaces/" + ns + "/configmaps?watch=true&resourceVersion=" + (old - 1));
        JsonNode error = events.poll(20, TimeUnit.SECONDS);
        assertThat(error.get("type").asText()).isEqualTo("ERROR");
        assertThat(error.path("object").path("code").asInt()).isEqualTo(410);
        assertThat(error.path("object").path("reason").asText()).isEqualTo("Expired");
        assertThat(error.path("object").path("message").asText()).startsWith("too old resource version: ");
    }

    private BlockingQueue<JsonNode> watch(String pathAndQuery) throws Exception {
        return TestApi.watch(server, pathAndQuery);
    }
}
