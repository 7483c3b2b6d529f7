package dev.capstan.api;

import static dev.capstan.api.TestApi.api;
import static dev.capstan.api.TestApi.namespace;
import static org.assertj.core.api.Assertions.assertThat;

import dev.capstan.api.http.ApiServer;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** fieldValidation on PATCH judges the fields a patch brings into the object, as it does a POST's body. */
@QuarkusTest
class PatchFieldValidationTest {
    private static final String MERGE = "application/merge-patch+json";
    private static final String JSON_PATCH = "application/json-patch+json";

    @Inject
    ApiServer server;

    private String path;

    @BeforeEach
    void createConfigMap() {
        String ns = namespace(server);
        api(server)
                .body(
                        "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"p\"},\"data\":{\"a\":\"1\"}}")
                .post("/api/v1/namespaces/" + ns + "/configmaps")
                .then()
                .statusCode(201);
        path = "/api/v1/namespaces/" + ns + "/configmaps/p";
    }

    @Test
    void strictRefusesAMergePatchWithAnUnknownFieldAndStoresNothing() {
        Response response = patch(MERGE, "{\"dta\":{\"b\":\"2\"},\"data\":{\"a\":\"9\"}}", "Strict");

        // upstream's patcher: 422 on the field "patch", whose value is the patched document
        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(response.jsonPath().getString("reason")).isEqualTo("Invalid");
        assertThat(response.jsonPath().getString("message"))
                .startsWith(" \"\" is invalid: patch: Invalid value: ")
                .endsWith(": strict decoding error: unknown field \"dta\"");
        assertThat(api(server).get(path).jsonPath().getString("data.a")).isEqualTo("1");
    }

    @Test
    void strictRefusesAJsonPatchThatAddsAnUnknownField() {
        Response response =
                patch(JSON_PATCH, "[{\"op\":\"add\",\"path\":\"/metadata/labelz\",\"value\":{\"x\":\"y\"}}]", "Strict");

        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(response.jsonPath().getString("message")).contains("unknown field \"metadata.labelz\"");
    }

    @Test
    void warnAppliesThePatchAndWarnsOfTheField() {
        Response response = patch(MERGE, "{\"dta\":{\"b\":\"2\"}}", "Warn");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.getHeaders().getValues("Warning")).contains("299 - \"unknown field \\\"dta\\\"\"");
    }

    @Test
    void aPatchOfKnownFieldsPassesStrict() {
        Response response = patch(MERGE, "{\"data\":{\"a\":\"2\"}}", "Strict");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.jsonPath().getString("data.a")).isEqualTo("2");
        assertThat(response.getHeaders().getValues("Warning")).isEmpty();
    }

    private Response patch(String contentType, String body, String fieldValidation) {
        return api(server).contentType(contentType).body(body).patch(path + "?fieldValidation=" + fieldValidation);
    }
}
