package dev.capstan.api;

import static dev.capstan.api.TestApi.api;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import dev.capstan.api.http.ApiServer;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** DeleteOptions over REST: from the body as kubectl sends them, or from the query as other clients do. */
@QuarkusTest
class DeleteOptionsTest {
    @Inject
    ApiServer server;

    private String pods;

    @BeforeEach
    void boundPod() {
        pods = TestApi.boundPod(server);
    }

    @Test
    void queryOptionsCountWhenThereIsNoBody() {
        api(server).delete(pods + "/p?dryRun=All").then().statusCode(200);
        api(server).get(pods + "/p").then().statusCode(200).body("metadata.deletionTimestamp", equalTo(null));

        api(server)
                .delete(pods + "/p")
                .then()
                .statusCode(200)
                .body("metadata.deletionGracePeriodSeconds", equalTo(30))
                .body("metadata.deletionTimestamp", notNullValue());
        // The node agent's confirmation: a grace period of 0 given in the query.
        api(server).delete(pods + "/p?gracePeriodSeconds=0").then().statusCode(200);
        api(server).get(pods + "/p").then().statusCode(404);
    }

    @Test
    void bodyOptionsAreReadAndBadOnesAreAnInvalidStatus() {
        api(server)
                .body(
                        "{\"kind\":\"DeleteOptions\",\"apiVersion\":\"v1\",\"dryRun\":[\"All\"],\"gracePeriodSeconds\":0}")
                .delete(pods + "/p")
                .then()
                .statusCode(200);
        api(server).get(pods + "/p").then().statusCode(200);

        api(server)
                .body("{\"propagationPolicy\":\"Sideways\"}")
                .delete(pods + "/p")
                .then()
                .statusCode(422)
                .body("reason", equalTo("Invalid"))
                .body("details.kind", equalTo("DeleteOptions"))
                .body(
                        "message",
                        equalTo("DeleteOptions.meta.k8s.io \"\" is invalid: propagationPolicy: Unsupported value:"
                                + " \"Sideways\": supported values: \"Foreground\", \"Background\", \"Orphan\","
                                + " \"nil\""));
        api(server)
                .delete(pods + "/p?dryRun=Bogus")
                .then()
                .statusCode(422)
                .body("details.causes[0].field", equalTo("dryRun"));
        api(server)
                .body("{\"preconditions\":{\"uid\":\"not-it\"}}")
                .delete(pods + "/p")
                .then()
                .statusCode(409)
                .body("reason", equalTo("Conflict"));
    }
}
