package dev.capstan.api;

import static dev.capstan.api.TestApi.api;
import static dev.capstan.api.TestApi.namespace;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.capstan.api.http.ApiServer;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/** Prometheus metrics at /metrics, named as kube-apiserver names them. */
@QuarkusTest
class MetricsTest {
    @Inject
    ApiServer server;

    @Test
    void requestDurationsAreRecordedByVerbResourceAndCode() {
        String ns = namespace(server);
        api(server)
                .body("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"m\"}}")
                .post("/api/v1/namespaces/" + ns + "/configmaps")
                .then()
                .statusCode(201);
        api(server)
                .get("/api/v1/namespaces/" + ns + "/configmaps/missing")
                .then()
                .statusCode(404);

        String metrics =
                api(server).get("/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics)
                .contains("apiserver_request_duration_seconds_bucket{code=\"201\",group=\"\",resource=\"configmaps\","
                        + "subresource=\"\",verb=\"CREATE\",version=\"v1\"")
                .contains("apiserver_request_duration_seconds_count{code=\"404\",group=\"\",resource=\"configmaps\","
                        + "subresource=\"\",verb=\"GET\",version=\"v1\"")
                .contains("capstan_store_operation_duration_seconds_count{operation=\"create\"")
                .contains("apiserver_longrunning_requests{verb=\"WATCH\"");

        given().relaxedHTTPSValidation()
                .baseUri("https://127.0.0.1")
                .port(server.port())
                .get("/metrics")
                .then()
                .statusCode(401);
    }
}
