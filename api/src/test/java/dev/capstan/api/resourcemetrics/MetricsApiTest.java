package dev.capstan.api.resourcemetrics;

import static dev.capstan.api.TestApi.api;
import static dev.capstan.api.TestApi.namespace;
import static dev.capstan.api.TestApi.randomName;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import dev.capstan.api.http.ApiServer;
import dev.capstan.api.kubelet.FakeKubelet;
import dev.capstan.model.quantity.Quantity;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * metrics.k8s.io/v1beta1 end to end inside the API server: discovery, the objects' shapes and their 404s, with a
 * stand-in node agent whose counters run at known rates (node: half a core; each container of pod "web": a quarter
 * of a core), so the rates the API server computes from two scrapes can be checked.
 */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MetricsApiTest {
    private static final String AGGREGATED =
            "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList," + "application/json";
    private static final String BASE = "/apis/metrics.k8s.io/v1beta1";

    @Inject
    ApiServer server;

    @Inject
    Vertx vertx;

    private FakeKubelet agent;
    private final long start = System.currentTimeMillis();
    private List<String> agentRequests;
    private String ns;
    private String node;
    private String silentNode;
    private String label;

    @BeforeAll
    void startAgent() throws Exception {
        ns = namespace(server);
        agent = FakeKubelet.start(vertx, List.of(), request -> {
            if (request.path().equals("/metrics/resource")) {
                request.response()
                        .putHeader("Content-Type", "text/plain; version=0.0.4")
                        .end(metrics());
            } else {
                request.response().setStatusCode(404).end();
            }
        });
        agentRequests = agent.requests();
        label = randomName("metrics");
        node = randomName("node");
        silentNode = randomName("silent");
        node(node, true);
        node(silentNode, false);
        pod("web", node, Map.of("app", "web"), "a", "b");
        pod("starting", node, Map.of("app", "starting"), "c");
        // The first answer needs two scrapes, which the first request waits for; once in a while (cause not found
        // yet) it comes without them and the next scrape, 15 s on, brings them: as with metrics-server, a first
        // kubectl top may say the metrics are not available yet.
        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(40))
                .pollInterval(java.time.Duration.ofSeconds(1))
                .until(() -> api(server).get(BASE + "/nodes/" + node).statusCode() == 200);
    }

    /** What the agent reports now: counters that grow at the stated rates, sampled at this millisecond. */
    private String metrics() {
        long now = System.currentTimeMillis();
        double seconds = (now - start) / 1000.0;
        String container = "{container=\"%s\",namespace=\"" + ns + "\",pod=\"web\"}";
        StringBuilder text = new StringBuilder();
        for (String c : List.of("a", "b")) {
            text.append("container_cpu_usage_seconds_total")
                    .append(container.formatted(c))
                    .append(' ')
                    .append(10 + seconds / 4)
                    .append(' ')
                    .append(now)
                    .append('\n');
            text.append("container_memory_working_set_bytes")
                    .append(container.formatted(c))
                    .append(" 1.572864e+06 ")
                    .append(now)
                    .append('\n');
            text.append("container_start_time_seconds")
                    .append(container.formatted(c))
                    .append(' ')
                    .append(start / 1000.0 - 3600)
                    .append('\n');
        }
        text.append("node_cpu_usage_seconds_total ")
                .append(1000 + seconds / 2)
                .append(' ')
                .append(now)
                .append('\n');
        text.append("node_memory_working_set_bytes 4194304 ").append(now).append('\n');
        text.append("resource_scrape_error 0\n");
        return text.toString();
    }

    @AfterAll
    void stopAgent() {
        if (agent != null) {
            agent.close();
        }
    }

    private void node(String name, boolean withPort) {
        api(server)
                .body("{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\"" + name
                        + "\",\"labels\":{\"test\":\"" + label + "\"}},\"status\":" + agent.nodeStatusJson(withPort)
                        + "}")
                .post("/api/v1/nodes")
                .then()
                .statusCode(201);
    }

    private void pod(String name, String nodeName, Map<String, String> labels, String... containers) {
        StringBuilder list = new StringBuilder();
        for (String c : containers) {
            list.append(list.isEmpty() ? "" : ",")
                    .append("{\"name\":\"")
                    .append(c)
                    .append("\",\"image\":\"busybox\"}");
        }
        var labelJson = new StringBuilder();
        labels.forEach((k, v) -> labelJson
                .append(labelJson.isEmpty() ? "" : ",")
                .append('"')
                .append(k)
                .append("\":\"")
                .append(v)
                .append('"'));
        api(server)
                .body("{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"" + name + "\",\"labels\":{"
                        + labelJson + "}},\"spec\":{\"nodeName\":\"" + nodeName + "\",\"containers\":[" + list + "]}}")
                .post("/api/v1/namespaces/" + ns + "/pods")
                .then()
                .statusCode(201);
    }

    private static long milliCores(String quantity) {
        return Quantity.parse(quantity).milliValue();
    }

    @Test
    void discoveryListsTheGroupLegacyAndAggregated() {
        api(server).get("/apis").then().statusCode(200).body("groups.name", hasItem("metrics.k8s.io"));
        api(server)
                .get("/apis/metrics.k8s.io")
                .then()
                .statusCode(200)
                .body("kind", equalTo("APIGroup"))
                .body("preferredVersion.groupVersion", equalTo("metrics.k8s.io/v1beta1"));
        JsonPath list = api(server).get(BASE).then().statusCode(200).extract().jsonPath();
        assertThat(list.getString("groupVersion")).isEqualTo("metrics.k8s.io/v1beta1");
        assertThat(list.getList("resources", Map.class))
                .containsExactly(
                        Map.of(
                                "name",
                                "nodes",
                                "singularName",
                                "",
                                "namespaced",
                                false,
                                "kind",
                                "NodeMetrics",
                                "verbs",
                                List.of("get", "list")),
                        Map.of(
                                "name",
                                "pods",
                                "singularName",
                                "",
                                "namespaced",
                                true,
                                "kind",
                                "PodMetrics",
                                "verbs",
                                List.of("get", "list")));
        JsonPath aggregated =
                api(server).header("Accept", AGGREGATED).get("/apis").jsonPath();
        String group = "items.find { it.metadata.name == 'metrics.k8s.io' }.versions[0]";
        assertThat(aggregated.getString(group + ".version")).isEqualTo("v1beta1");
        assertThat(aggregated.getString(group + ".resources.find { it.resource == 'pods' }.responseKind.kind"))
                .isEqualTo("PodMetrics");
        assertThat(aggregated.getString(group + ".resources.find { it.resource == 'nodes' }.scope"))
                .isEqualTo("Cluster");
    }

    @Test
    void nodeMetricsAreTheRateBetweenTwoScrapesOfTheAgent() {
        JsonPath doc = api(server)
                .get(BASE + "/nodes/" + node)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(doc.getString("kind")).isEqualTo("NodeMetrics");
        assertThat(doc.getString("apiVersion")).isEqualTo("metrics.k8s.io/v1beta1");
        assertThat(doc.getString("metadata.name")).isEqualTo(node);
        assertThat(doc.getMap("metadata.labels")).containsEntry("test", label);
        assertThat(doc.getString("metadata.creationTimestamp")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
        assertThat(doc.getString("timestamp")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
        assertThat(doc.getString("window")).matches("[0-9.]+m?s");
        assertThat(milliCores(doc.getString("usage.cpu"))).isBetween(480L, 520L);
        assertThat(doc.getString("usage.memory")).isEqualTo("4Mi");
        assertThat(agentRequests).contains("/metrics/resource Bearer " + FakeKubelet.TOKEN);
    }

    @Test
    void tablesHaveMetricsServersColumns() {
        JsonPath table = api(server)
                .header("Accept", "application/json;as=Table;v=v1;g=meta.k8s.io,application/json")
                .get(BASE + "/namespaces/" + ns + "/pods")
                .then()
                .statusCode(200)
                .contentType("application/json;as=Table;v=v1;g=meta.k8s.io")
                .extract()
                .jsonPath();
        assertThat(table.getList("columnDefinitions.name", String.class))
                .containsExactly("Name", "cpu", "memory", "Window");
        assertThat(table.getList("rows[0].cells", String.class).subList(0, 1)).containsExactly("web");
        assertThat(milliCores(table.getString("rows[0].cells[1]"))).isBetween(470L, 530L);
        assertThat(table.getString("rows[0].cells[2]")).isEqualTo("3Mi");
    }

    @Test
    void nodeListsFollowTheSelectorsAndLeaveOutNodesWithoutMetrics() {
        JsonPath list = api(server)
                .queryParam("labelSelector", "test=" + label)
                .get(BASE + "/nodes")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(list.getString("kind")).isEqualTo("NodeMetricsList");
        assertThat(list.getList("items.metadata.name", String.class)).containsExactly(node);
        assertThat(list.getString("items[0].kind")).isNull();
        api(server)
                .queryParam("labelSelector", "test=" + label)
                .queryParam("fieldSelector", "metadata.name=" + silentNode)
                .get(BASE + "/nodes")
                .then()
                .statusCode(200)
                .body("items.size()", equalTo(0));
    }

    @Test
    void podMetricsCarryEachContainersUsage() {
        JsonPath list = api(server)
                .get(BASE + "/namespaces/" + ns + "/pods")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(list.getString("kind")).isEqualTo("PodMetricsList");
        assertThat(list.getList("items.metadata.name", String.class))
                .as("the pod without metrics is left out")
                .containsExactly("web");
        assertThat(list.getString("items[0].metadata.namespace")).isEqualTo(ns);
        assertThat(list.getMap("items[0].metadata.labels")).isEqualTo(Map.of("app", "web"));
        assertThat(list.getList("items[0].containers.name", String.class)).containsExactly("a", "b");
        assertThat(milliCores(list.getString("items[0].containers[0].usage.cpu")))
                .isBetween(230L, 270L);
        assertThat(list.getString("items[0].containers[1].usage.memory")).isEqualTo("1536Ki");

        api(server)
                .get(BASE + "/namespaces/" + ns + "/pods/web")
                .then()
                .statusCode(200)
                .body("kind", equalTo("PodMetrics"))
                .body("containers.size()", equalTo(2));
        api(server)
                .queryParam("labelSelector", "app=web")
                .queryParam("fieldSelector", "metadata.namespace=" + ns)
                .get(BASE + "/pods")
                .then()
                .statusCode(200)
                .body("items.metadata.name", equalTo(List.of("web")));
        api(server)
                .queryParam("fieldSelector", "metadata.name=starting")
                .get(BASE + "/namespaces/" + ns + "/pods")
                .then()
                .statusCode(200)
                .body("items.size()", equalTo(0));
    }

    @Test
    void unknownObjectsAndObjectsWithoutMetricsAreNotFoundAsMetricsServerSays() {
        api(server)
                .get(BASE + "/nodes/nosuch")
                .then()
                .statusCode(404)
                .body("reason", equalTo("NotFound"))
                .body("message", equalTo("nodes \"nosuch\" not found"));
        api(server)
                .get(BASE + "/nodes/" + silentNode)
                .then()
                .statusCode(404)
                .body("message", equalTo("nodemetrics.metrics.k8s.io \"" + silentNode + "\" not found"))
                .body("details.group", equalTo("metrics.k8s.io"))
                .body("details.kind", equalTo("nodemetrics"));
        api(server)
                .get(BASE + "/namespaces/" + ns + "/pods/nosuch")
                .then()
                .statusCode(404)
                .body("message", equalTo("pods \"nosuch\" not found"));
        api(server)
                .get(BASE + "/namespaces/" + ns + "/pods/starting")
                .then()
                .statusCode(404)
                .body("message", equalTo("podmetrics.metrics.k8s.io \"" + ns + "/starting\" not found"));
        api(server).get(BASE + "/deployments").then().statusCode(404);
    }

    @Test
    void badRequestsAreRefused() {
        api(server)
                .queryParam("fieldSelector", "spec.nodeName=x")
                .get(BASE + "/namespaces/" + ns + "/pods")
                .then()
                .statusCode(400)
                .body("message", equalTo("field label not supported: spec.nodeName"));
        api(server).body("{}").post(BASE + "/nodes").then().statusCode(405);
        api(server).queryParam("watch", "true").get(BASE + "/nodes").then().statusCode(405);
        given().relaxedHTTPSValidation()
                .baseUri("https://127.0.0.1")
                .port(server.port())
                .get(BASE + "/nodes")
                .then()
                .statusCode(401);
    }
}
