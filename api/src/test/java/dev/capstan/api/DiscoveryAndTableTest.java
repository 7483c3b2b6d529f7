package dev.capstan.api;

import static dev.capstan.api.TestApi.api;
import static dev.capstan.api.TestApi.namespace;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;

import dev.capstan.api.http.ApiServer;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Discovery documents (legacy and aggregated) and Table output. */
@QuarkusTest
class DiscoveryAndTableTest {
    private static final String AGGREGATED = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,"
            + "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json";

    @Inject
    ApiServer server;

    @Test
    void legacyDiscoveryListsGroupsVersionsAndResources() {
        api(server).get("/api").then().statusCode(200).body("versions", hasItem("v1"));
        api(server)
                .get("/apis")
                .then()
                .statusCode(200)
                .body("groups.name", hasItems("apps", "batch", "autoscaling", "rbac.authorization.k8s.io"));
        api(server).get("/apis/autoscaling").then().statusCode(200).body("preferredVersion.version", equalTo("v2"));
        JsonPath core = api(server).get("/api/v1").jsonPath();
        assertThat(core.getList("resources.name", String.class))
                .contains("pods", "pods/status", "pods/binding", "services", "namespaces", "nodes/status");
        JsonPath apps = api(server).get("/apis/apps/v1").jsonPath();
        List<Map<String, Object>> resources = apps.getList("resources");
        assertThat(resources)
                .anySatisfy(r -> {
                    assertThat(r.get("name")).isEqualTo("deployments/scale");
                    assertThat(r.get("kind")).isEqualTo("Scale");
                    assertThat(r.get("group")).isEqualTo("autoscaling");
                })
                .anySatisfy(r -> {
                    assertThat(r.get("name")).isEqualTo("deployments");
                    assertThat(r.get("shortNames")).isEqualTo(List.of("deploy"));
                });
        api(server).get("/apis/nosuch.io").then().statusCode(404);
    }

    @Test
    void aggregatedDiscoveryAnswersInTwoRequests() {
        api(server)
                .header("Accept", AGGREGATED)
                .get("/api")
                .then()
                .statusCode(200)
                .contentType("application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList")
                .body("kind", equalTo("APIGroupDiscoveryList"))
                .body("items[0].metadata.name", equalTo(""))
                .body("items[0].versions[0].resources.resource", hasItems("pods", "configmaps"));
        JsonPath apis = api(server).header("Accept", AGGREGATED).get("/apis").jsonPath();
        assertThat(apis.getList("items.metadata.name", String.class)).contains("apps", "storage.k8s.io");
        assertThat(apis.getString("items.find { it.metadata.name == 'apps' }.versions[0].resources"
                        + ".find { it.resource == 'deployments' }.scope"))
                .isEqualTo("Namespaced");
    }

    @Test
    void getAsTableUsesUpstreamColumns() {
        String ns = namespace(server);
        api(server)
                .body("{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\"},\"spec\":"
                        + "{\"containers\":[{\"name\":\"c\",\"image\":\"busybox\"}]}}")
                .post("/api/v1/namespaces/" + ns + "/pods")
                .then()
                .statusCode(201);
        JsonPath table = api(server)
                .header("Accept", "application/json;as=Table;v=v1;g=meta.k8s.io,application/json")
                .get("/api/v1/namespaces/" + ns + "/pods")
                .then()
                .statusCode(200)
                .contentType("application/json;as=Table;v=v1;g=meta.k8s.io")
                .body("kind", equalTo("Table"))
                .extract()
                .jsonPath();
        assertThat(table.getList("columnDefinitions.name", String.class))
                .containsExactly(
                        "Name",
                        "Ready",
                        "Status",
                        "Restarts",
                        "Age",
                        "IP",
                        "Node",
                        "Nominated Node",
                        "Readiness Gates");
        assertThat(table.getList("columnDefinitions.priority", Integer.class))
                .containsExactly(0, 0, 0, 0, 0, 1, 1, 1, 1);
        assertThat(table.getList("rows[0].cells")).first().isEqualTo("p");
        assertThat(table.getString("rows[0].object.kind")).isEqualTo("PartialObjectMetadata");
        assertThat(table.getString("rows[0].object.spec")).isNull();

        // kubectl get --sort-by asks for whole objects, to sort them by any field
        String pods = "/api/v1/namespaces/" + ns + "/pods";
        String tableType = "application/json;as=Table;v=v1;g=meta.k8s.io";
        JsonPath whole = api(server)
                .header("Accept", tableType)
                .get(pods + "?includeObject=Object")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(whole.getString("rows[0].object.kind")).isEqualTo("Pod");
        assertThat(whole.getString("rows[0].object.spec.containers[0].image")).isEqualTo("busybox");
        api(server)
                .header("Accept", tableType)
                .get(pods + "/p?includeObject=None")
                .then()
                .statusCode(200)
                .body("rows[0].object", org.hamcrest.Matchers.nullValue());
        api(server)
                .header("Accept", tableType)
                .get(pods + "?includeObject=Everything")
                .then()
                .statusCode(400)
                .body(
                        "message",
                        equalTo("includeObject: Unsupported value: \"Everything\": supported values: \"Metadata\","
                                + " \"None\", \"Object\""));
    }

    @Test
    void openApiIsServedOnTheApiPortAndUnderQ() {
        String index =
                api(server).get("/openapi/v3").then().statusCode(200).extract().asString();
        assertThat(index).contains("\"apis/apps/v1\"").contains("serverRelativeURL");
        String url = api(server).get("/openapi/v3").jsonPath().getString("paths.'apis/apps/v1'.serverRelativeURL");
        api(server)
                .get(url)
                .then()
                .statusCode(200)
                .body("components.schemas.'io.k8s.api.apps.v1.Deployment'.type", equalTo("object"));
        io.restassured.RestAssured.given()
                .header("Authorization", "Bearer " + TestApi.token())
                .get("http://127.0.0.1:" + io.restassured.RestAssured.port + "/q/openapi/apis/apps/v1")
                .then()
                .statusCode(200)
                .body("openapi", equalTo("3.0.0"));
    }
}
