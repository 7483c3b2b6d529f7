package dev.capstan.api;

import static dev.capstan.api.TestApi.api;
import static dev.capstan.api.TestApi.namespace;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.capstan.api.http.ApiServer;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The admission plugins the scheduler and the node lifecycle controller rely on: Priority, DefaultTolerationSeconds. */
@QuarkusTest
class SchedulingAdmissionTest {
    @Inject
    ApiServer server;

    private static String pod(String name, String specExtra) {
        return """
                {"apiVersion":"v1","kind":"Pod","metadata":{"name":"%s"},
                 "spec":{%s"containers":[{"name":"c","image":"busybox"}]}}
                """.formatted(name, specExtra);
    }

    @Test
    void podsGetUpstreamsDefaultTolerationsUnlessTheyTolerateTheTaintsThemselves() {
        String ns = namespace(server);
        JsonPath plain = api(server)
                .body(pod("plain", ""))
                .post("/api/v1/namespaces/" + ns + "/pods")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath();
        List<Map<String, Object>> tolerations = plain.getList("spec.tolerations");
        assertThat(tolerations)
                .containsExactly(
                        Map.of(
                                "key", "node.kubernetes.io/not-ready",
                                "operator", "Exists",
                                "effect", "NoExecute",
                                "tolerationSeconds", 300),
                        Map.of(
                                "key", "node.kubernetes.io/unreachable",
                                "operator", "Exists",
                                "effect", "NoExecute",
                                "tolerationSeconds", 300));

        JsonPath own = api(server)
                .body(pod(
                        "own",
                        "\"tolerations\":[{\"key\":\"node.kubernetes.io/unreachable\",\"operator\":\"Exists\","
                                + "\"effect\":\"NoExecute\",\"tolerationSeconds\":5}],"))
                .post("/api/v1/namespaces/" + ns + "/pods")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath();
        assertThat(own.getList("spec.tolerations.key"))
                .containsExactly("node.kubernetes.io/unreachable", "node.kubernetes.io/not-ready");
        assertThat(own.getList("spec.tolerations.tolerationSeconds")).containsExactly(5, 300);
    }

    @Test
    void priorityComesFromTheClassAndAPodCannotPickItsOwn() {
        String ns = namespace(server);
        String pods = "/api/v1/namespaces/" + ns + "/pods";
        api(server)
                .body(pod("none", ""))
                .post(pods)
                .then()
                .statusCode(201)
                .body("spec.priority", equalTo(0))
                .body("spec.preemptionPolicy", equalTo("PreemptLowerPriority"));
        api(server)
                .body(pod("critical", "\"priorityClassName\":\"system-node-critical\","))
                .post(pods)
                .then()
                .statusCode(201)
                .body("spec.priority", equalTo(2_000_001_000));

        String high = TestApi.randomName("high");
        api(server)
                .body("{\"apiVersion\":\"scheduling.k8s.io/v1\",\"kind\":\"PriorityClass\",\"metadata\":{\"name\":\""
                        + high + "\"},\"value\":1000,\"preemptionPolicy\":\"Never\"}")
                .post("/apis/scheduling.k8s.io/v1/priorityclasses")
                .then()
                .statusCode(201);
        api(server)
                .body(pod("high", "\"priorityClassName\":\"" + high + "\","))
                .post(pods)
                .then()
                .statusCode(201)
                .body("spec.priority", equalTo(1000))
                .body("spec.preemptionPolicy", equalTo("Never"));

        api(server)
                .body(pod("missing", "\"priorityClassName\":\"no-such-class\","))
                .post(pods)
                .then()
                .statusCode(403)
                .body("reason", equalTo("Forbidden"))
                .body(
                        "message",
                        equalTo("pods \"missing\" is forbidden: no PriorityClass with name no-such-class was found"));
        api(server)
                .body(pod("chosen", "\"priorityClassName\":\"" + high + "\",\"priority\":7,"))
                .post(pods)
                .then()
                .statusCode(403)
                .body(
                        "message",
                        equalTo("pods \"chosen\" is forbidden: the integer value of priority (7) must not be provided"
                                + " in pod spec; priority admission controller computed 1000 from the given"
                                + " PriorityClass name"));
        api(server)
                .body("{\"apiVersion\":\"scheduling.k8s.io/v1\",\"kind\":\"PriorityClass\",\"metadata\":{\"name\":\""
                        + high + "\"}}")
                .delete("/apis/scheduling.k8s.io/v1/priorityclasses/" + high)
                .then()
                .statusCode(200);
    }
}
