package dev.capstan.api;

import static dev.capstan.api.TestApi.api;
import static dev.capstan.api.TestApi.namespace;
import static dev.capstan.api.TestApi.randomName;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

import dev.capstan.api.http.ApiServer;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/** Create, read, update, delete and their errors, as kubectl and client libraries see them. */
@QuarkusTest
class CrudSemanticsTest {
    @Inject
    ApiServer server;

    private String configMap(String name, String value) {
        return "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"" + name
                + "\",\"labels\":{\"app\":\"web\"}},\"data\":{\"k\":\"" + value + "\"}}";
    }

    @Test
    void createGetUpdateDeleteAConfigMap() {
        String ns = namespace(server);
        String path = "/api/v1/namespaces/" + ns + "/configmaps";
        Response created = api(server).body(configMap("cm1", "v1")).post(path);
        created.then()
                .statusCode(201)
                .body("metadata.uid", notNullValue())
                .body("metadata.namespace", equalTo(ns))
                .body("metadata.creationTimestamp", notNullValue());
        String rv = created.path("metadata.resourceVersion");

        api(server)
                .get(path + "/cm1")
                .then()
                .statusCode(200)
                .body("data.k", equalTo("v1"))
                .body("metadata.resourceVersion", equalTo(rv));

        api(server)
                .body(configMap("cm1", "again"))
                .post(path)
                .then()
                .statusCode(409)
                .body("kind", equalTo("Status"))
                .body("reason", equalTo("AlreadyExists"))
                .body("message", equalTo("configmaps \"cm1\" already exists"))
                .body("details.name", equalTo("cm1"))
                .body("details.kind", equalTo("configmaps"));

        String updated = api(server)
                .body(configMap("cm1", "v2")
                        .replace("\"name\":\"cm1\"", "\"name\":\"cm1\",\"resourceVersion\":\"" + rv + "\""))
                .put(path + "/cm1")
                .then()
                .statusCode(200)
                .body("data.k", equalTo("v2"))
                .extract()
                .path("metadata.resourceVersion");
        assertThat(Long.parseLong(updated)).isGreaterThan(Long.parseLong(rv));

        // The same stale resourceVersion again: 409 Conflict with upstream's message.
        api(server)
                .body(configMap("cm1", "v3")
                        .replace("\"name\":\"cm1\"", "\"name\":\"cm1\",\"resourceVersion\":\"" + rv + "\""))
                .put(path + "/cm1")
                .then()
                .statusCode(409)
                .body("reason", equalTo("Conflict"))
                .body(
                        "message",
                        equalTo("Operation cannot be fulfilled on configmaps \"cm1\": the object has been"
                                + " modified; please apply your changes to the latest version and try again"));

        // Without a resourceVersion an update is unconditional.
        api(server)
                .body(configMap("cm1", "v4"))
                .put(path + "/cm1")
                .then()
                .statusCode(200)
                .body("data.k", equalTo("v4"));

        // As upstream, a deleted ConfigMap is answered with a Success Status naming it (pods, services and
        // namespaces answer with the object).
        api(server)
                .delete(path + "/cm1")
                .then()
                .statusCode(200)
                .body("kind", equalTo("Status"))
                .body("status", equalTo("Success"))
                .body("details.name", equalTo("cm1"))
                .body("details.kind", equalTo("configmaps"));
        api(server)
                .get(path + "/cm1")
                .then()
                .statusCode(404)
                .body("reason", equalTo("NotFound"))
                .body("message", equalTo("configmaps \"cm1\" not found"));
        api(server).delete(path + "/cm1").then().statusCode(404);
    }

    @Test
    void generateNameGivesAFreshName() {
        String ns = namespace(server);
        String name = api(server)
                .body("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"generateName\":\"gen-\"}}")
                .post("/api/v1/namespaces/" + ns + "/configmaps")
                .then()
                .statusCode(201)
                .extract()
                .path("metadata.name");
        assertThat(name).startsWith("gen-").hasSize(9);
    }

    @Test
    void objectsNeedALiveNamespace() {
        api(server)
                .body(configMap("x", "y"))
                .post("/api/v1/namespaces/" + randomName("nope") + "/configmaps")
                .then()
                .statusCode(404)
                .body("message", containsString("namespaces"));

        String ns = namespace(server);
        api(server)
                .delete("/api/v1/namespaces/" + ns)
                .then()
                .statusCode(200)
                .body("status.phase", equalTo("Terminating"));
        // Until the cleanup finishes the namespace refuses new content; afterwards it is gone (404).
        int code = api(server)
                .body(configMap("late", "y"))
                .post("/api/v1/namespaces/" + ns + "/configmaps")
                .then()
                .extract()
                .statusCode();
        assertThat(code).isIn(403, 404);
        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(20))
                .untilAsserted(
                        () -> api(server).get("/api/v1/namespaces/" + ns).then().statusCode(404));
    }

    @Test
    void terminatingNamespaceRefusesNewContentWith403AndGoesWhenItsFinalizersAreDone() {
        String ns = namespace(server);
        // A finalizer nobody removes keeps the namespace Terminating.
        api(server)
                .header("Content-Type", "application/merge-patch+json")
                .body("{\"metadata\":{\"finalizers\":[\"example.com/hold\"]}}")
                .patch("/api/v1/namespaces/" + ns)
                .then()
                .statusCode(200);
        // admitted while Active: admission has decoded this version of the namespace, and must not reuse it after
        api(server)
                .body(configMap("early", "y"))
                .post("/api/v1/namespaces/" + ns + "/configmaps")
                .then()
                .statusCode(201);
        api(server).delete("/api/v1/namespaces/" + ns).then().statusCode(200);
        api(server)
                .body(configMap("late", "y"))
                .post("/api/v1/namespaces/" + ns + "/configmaps")
                .then()
                .statusCode(403)
                .body("reason", equalTo("Forbidden"))
                .body("message", containsString("because it is being terminated"));
        // Its own cleanup finishes (spec.finalizers emptied) but the other finalizer still holds it.
        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(20))
                .untilAsserted(() -> api(server)
                        .get("/api/v1/namespaces/" + ns)
                        .then()
                        .statusCode(200)
                        .body("spec.finalizers", org.hamcrest.Matchers.empty()));
        api(server).get("/api/v1/namespaces/" + ns).then().body("status.phase", equalTo("Terminating"));
        api(server)
                .header("Content-Type", "application/merge-patch+json")
                .body("{\"metadata\":{\"finalizers\":null}}")
                .patch("/api/v1/namespaces/" + ns)
                .then()
                .statusCode(200);
        api(server).get("/api/v1/namespaces/" + ns).then().statusCode(404);
    }

    @Test
    void badInputGetsAClearStatusAndChangesNothing() {
        String ns = namespace(server);
        String path = "/api/v1/namespaces/" + ns + "/configmaps";
        api(server).body("{not json").post(path).then().statusCode(400).body("reason", equalTo("BadRequest"));
        api(server).body("[1,2]").post(path).then().statusCode(400);
        api(server)
                .body("{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"s\"}}")
                .post(path)
                .then()
                .statusCode(400)
                .body(
                        "message",
                        equalTo("Secret in version \"v1\" cannot be handled as a ConfigMap: converting (v1.Secret) to"
                                + " (core.ConfigMap): unknown conversion"));
        api(server)
                .contentType("text/plain")
                .body("hello")
                .post(path)
                .then()
                .statusCode(415)
                .body("reason", equalTo("UnsupportedMediaType"));
        api(server)
                .get("/api/v1/namespaces/" + ns + "/widgets")
                .then()
                .statusCode(404)
                .body("kind", equalTo("Status"));
        api(server).get("/apis/nosuch.io/v1/things").then().statusCode(404);
        api(server).queryParam("labelSelector", "a in (").get(path).then().statusCode(400);
        api(server)
                .queryParam("fieldSelector", "spec.nope=1")
                .get(path)
                .then()
                .statusCode(400)
                .body("message", equalTo("field label not supported: spec.nope"));
        String huge = "x".repeat(4 * 1024 * 1024);
        api(server).body(configMap("big", huge)).post(path).then().statusCode(413);
        api(server).get(path).then().statusCode(200).body("items", org.hamcrest.Matchers.empty());
    }

    @Test
    void requestsWithoutValidCredentialsAre401() {
        given().relaxedHTTPSValidation()
                .baseUri("https://127.0.0.1")
                .port(server.port())
                .get("/api/v1/namespaces")
                .then()
                .statusCode(401)
                .body("reason", equalTo("Unauthorized"));
        given().relaxedHTTPSValidation()
                .baseUri("https://127.0.0.1")
                .port(server.port())
                .header("Authorization", "Bearer wrong")
                .get("/api/v1/namespaces")
                .then()
                .statusCode(401);
        given().relaxedHTTPSValidation()
                .baseUri("https://127.0.0.1")
                .port(server.port())
                .get("/version")
                .then()
                .statusCode(200)
                .body("major", equalTo("1"))
                .body("minor", equalTo("32"));
    }

    @Test
    void defaultNamespacesExist() {
        api(server)
                .get("/api/v1/namespaces")
                .then()
                .statusCode(200)
                .body("kind", equalTo("NamespaceList"))
                .body("items.metadata.name", hasItem("default"))
                .body("items.metadata.name", hasItem("kube-system"))
                .body("items.metadata.name", not(hasItem("nope")));
    }
}
