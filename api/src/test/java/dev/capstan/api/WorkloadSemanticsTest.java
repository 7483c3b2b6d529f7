package dev.capstan.api;

import static dev.capstan.api.TestApi.api;
import static dev.capstan.api.TestApi.namespace;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;

import dev.capstan.api.http.ApiServer;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;

/** Generation, status subresources, scale, patches, validation and Service allocation. */
@QuarkusTest
class WorkloadSemanticsTest {
    @Inject
    ApiServer server;

    private static String deployment(String name, int replicas, String image) {
        return """
                {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"%s"},
                 "spec":{"replicas":%d,"selector":{"matchLabels":{"app":"%s"}},
                  "template":{"metadata":{"labels":{"app":"%s"}},
                   "spec":{"containers":[{"name":"web","image":"%s"}]}}}}
                """.formatted(name, replicas, name, name, image);
    }

    @Test
    void generationCountsSpecChangesAndStatusIsWrittenOnlyThroughItsSubresource() {
        String ns = namespace(server);
        String path = "/apis/apps/v1/namespaces/" + ns + "/deployments";
        JsonPath created = api(server)
                .body(deployment("web", 2, "nginx:1"))
                .post(path)
                .then()
                .statusCode(201)
                .body("metadata.generation", equalTo(1))
                .body("spec.strategy.type", equalTo("RollingUpdate"))
                .body("spec.revisionHistoryLimit", equalTo(10))
                .body("spec.progressDeadlineSeconds", equalTo(600))
                .body("spec.template.spec.restartPolicy", equalTo("Always"))
                .body("spec.template.spec.containers[0].imagePullPolicy", equalTo("IfNotPresent"))
                .extract()
                .jsonPath();
        assertThat(created.getMap("status")).isEmpty();

        // A label change is not a spec change; an image change is.
        api(server)
                .header("Content-Type", "application/merge-patch+json")
                .body("{\"metadata\":{\"labels\":{\"team\":\"a\"}}}")
                .patch(path + "/web")
                .then()
                .statusCode(200)
                .body("metadata.generation", equalTo(1));
        api(server)
                .header("Content-Type", "application/json-patch+json")
                .body(
                        "[{\"op\":\"replace\",\"path\":\"/spec/template/spec/containers/0/image\",\"value\":\"nginx:2\"}]")
                .patch(path + "/web")
                .then()
                .statusCode(200)
                .body("metadata.generation", equalTo(2))
                .body("spec.template.spec.containers[0].image", equalTo("nginx:2"));

        // The main resource ignores status; /status changes only status.
        api(server)
                .header("Content-Type", "application/merge-patch+json")
                .body("{\"status\":{\"replicas\":7}}")
                .patch(path + "/web")
                .then()
                .statusCode(200)
                .body("status.replicas", org.hamcrest.Matchers.nullValue());
        api(server)
                .header("Content-Type", "application/merge-patch+json")
                .body("{\"spec\":{\"replicas\":9},\"status\":{\"replicas\":2,\"observedGeneration\":2}}")
                .patch(path + "/web/status")
                .then()
                .statusCode(200)
                .body("status.replicas", equalTo(2))
                .body("spec.replicas", equalTo(2))
                .body("metadata.generation", equalTo(2));
    }

    @Test
    void scaleReadsAndWritesReplicas() throws Exception {
        String ns = namespace(server);
        String path = "/apis/apps/v1/namespaces/" + ns + "/deployments";
        api(server).body(deployment("s", 1, "nginx")).post(path).then().statusCode(201);
        api(server)
                .get(path + "/s/scale")
                .then()
                .statusCode(200)
                .body("kind", equalTo("Scale"))
                .body("apiVersion", equalTo("autoscaling/v1"))
                .body("spec.replicas", equalTo(1))
                .body("status.selector", equalTo("app=s"));
        api(server)
                .header("Content-Type", "application/merge-patch+json")
                .body("{\"spec\":{\"replicas\":4}}")
                .patch(path + "/s/scale")
                .then()
                .statusCode(200)
                .body("spec.replicas", equalTo(4));
        api(server).get(path + "/s").then().body("spec.replicas", equalTo(4)).body("metadata.generation", equalTo(2));
        // kubectl scale --current-replicas PUTs the Scale without a Content-Type.
        String scale = api(server).get(path + "/s/scale").asString().replace("\"replicas\":4", "\"replicas\":3");
        var put = java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("https://127.0.0.1:" + server.port() + path + "/s/scale"))
                .header("Authorization", "Bearer " + TestApi.token())
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString(scale))
                .build();
        assertThat(put.headers().firstValue("Content-Type")).isEmpty();
        var response = java.net.http.HttpClient.newBuilder()
                .sslContext(TestApi.trustingTheClusterCa())
                .build()
                .send(put, java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(Json.MAPPER
                        .readTree(response.body())
                        .path("spec")
                        .path("replicas")
                        .asInt())
                .isEqualTo(3);
        api(server)
                .header("Content-Type", "application/merge-patch+json")
                .body("{\"spec\":{\"replicas\":-1}}")
                .patch(path + "/s/scale")
                .then()
                .statusCode(422);
    }

    @Test
    void invalidObjectsAre422WithCauses() {
        String ns = namespace(server);
        String bad = deployment("bad", 1, "nginx")
                .replace("\"matchLabels\":{\"app\":\"bad\"}", "\"matchLabels\":{\"app\":\"other\"}");
        api(server)
                .body(bad)
                .post("/apis/apps/v1/namespaces/" + ns + "/deployments")
                .then()
                .statusCode(422)
                .body("reason", equalTo("Invalid"))
                .body("details.kind", equalTo("Deployment"))
                .body("details.causes.field", hasItem("spec.template.metadata.labels"))
                .body("message", startsWith("Deployment.apps \"bad\" is invalid"));
        api(server)
                .body("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"Bad_Name\"}}")
                .post("/api/v1/namespaces/" + ns + "/configmaps")
                .then()
                .statusCode(422)
                .body("details.causes[0].field", equalTo("metadata.name"));
    }

    @Test
    void servicesGetDistinctClusterIpsAndNodePortsEvenUnderConcurrentCreates() throws Exception {
        String ns = namespace(server);
        String path = "/api/v1/namespaces/" + ns + "/services";
        ConcurrentLinkedQueue<String> ips = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Integer> ports = new ConcurrentLinkedQueue<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String name = "svc" + i;
            threads.add(Thread.ofVirtual().start(() -> {
                JsonPath svc = api(server)
                        .body("{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"name\":\""
                                + name + "\"},\"spec\":{\"type\":\"NodePort\",\"selector\":{\"app\":\"x\"},"
                                + "\"ports\":[{\"port\":80}]}}")
                        .post(path)
                        .then()
                        .statusCode(201)
                        .extract()
                        .jsonPath();
                ips.add(svc.getString("spec.clusterIP"));
                ports.add(svc.getInt("spec.ports[0].nodePort"));
                assertThat(svc.getString("spec.sessionAffinity")).isEqualTo("None");
                assertThat(svc.getInt("spec.ports[0].targetPort")).isEqualTo(80);
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        Set<String> distinctIps = new HashSet<>(ips);
        assertThat(distinctIps).hasSize(20).allMatch(ip -> ip.startsWith("10.96."));
        assertThat(new HashSet<>(ports)).hasSize(20).allMatch(p -> p >= 30000 && p <= 32767);

        int taken = ports.peek();
        api(server)
                .body("{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"name\":\"dup\"},\"spec\":"
                        + "{\"type\":\"NodePort\",\"ports\":[{\"port\":80,\"nodePort\":" + taken + "}]}}")
                .post(path)
                .then()
                .statusCode(422)
                .body("message", org.hamcrest.Matchers.containsString("provided port is already allocated"));

        // Deleting a Service frees its IP: a new Service may ask for it explicitly.
        String freed = api(server).get(path + "/svc0").jsonPath().getString("spec.clusterIP");
        api(server).delete(path + "/svc0").then().statusCode(200);
        api(server)
                .body("{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"name\":\"again\"},\"spec\":"
                        + "{\"clusterIP\":\"" + freed + "\",\"ports\":[{\"port\":80}]}}")
                .post(path)
                .then()
                .statusCode(201)
                .body("spec.clusterIP", equalTo(freed));
    }

    @Test
    void jobsGetASelectorOfTheirOwnUid() {
        String ns = namespace(server);
        JsonPath job = api(server)
                .body("""
                        {"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"once"},
                         "spec":{"template":{"spec":{"restartPolicy":"Never",
                          "containers":[{"name":"c","image":"busybox"}]}}}}
                        """)
                .post("/apis/batch/v1/namespaces/" + ns + "/jobs")
                .then()
                .statusCode(201)
                .body("spec.backoffLimit", equalTo(6))
                .extract()
                .jsonPath();
        String uid = job.getString("metadata.uid");
        assertThat(job.getMap("spec.selector.matchLabels")).containsEntry("batch.kubernetes.io/controller-uid", uid);
        assertThat(job.getMap("spec.template.metadata.labels"))
                .containsEntry("batch.kubernetes.io/controller-uid", uid)
                .containsEntry("job-name", "once");
    }
}
