package dev.capstan.api;

import static dev.capstan.api.TestApi.api;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import com.google.protobuf.ByteString;
import dev.capstan.api.http.ApiServer;
import io.kubernetes.client.proto.Meta;
import io.kubernetes.client.proto.Runtime;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What {@code kubectl drain} sends: the pods/eviction subresource when discovery lists it, and otherwise a DELETE
 * whose DeleteOptions body is protobuf (kubectl's typed client).
 */
@QuarkusTest
class PodEvictionTest {
    /** kubectl 1.32 drain's DELETE body, as captured with -v=8: DeleteOptions of v1, no field set. */
    private static final byte[] DRAIN_DELETE_BODY = {
        'k', '8', 's', 0, 0x0a, 0x13, 0x0a, 0x02, 'v', '1', 0x12, 0x0d, 'D', 'e', 'l', 'e', 't', 'e', 'O', 'p', 't',
        'i', 'o', 'n', 's', 0x12, 0x00, 0x1a, 0x00, 0x22, 0x00
    };

    @Inject
    ApiServer server;

    private String pods;

    @BeforeEach
    void boundPod() {
        pods = TestApi.boundPod(server);
    }

    @Test
    void anEvictionMarksThePodAndDeletesItGracefully() {
        api(server)
                .body(eviction("p", ""))
                .post(pods + "/p/eviction")
                .then()
                .statusCode(201)
                .body("kind", equalTo("Status"))
                .body("status", equalTo("Success"))
                .body("code", equalTo(201));

        api(server)
                .get(pods + "/p")
                .then()
                .statusCode(200)
                .body("metadata.deletionTimestamp", notNullValue())
                .body("metadata.deletionGracePeriodSeconds", equalTo(30))
                .body("status.conditions.find { it.type == 'DisruptionTarget' }.status", equalTo("True"))
                .body(
                        "status.conditions.find { it.type == 'DisruptionTarget' }.reason",
                        equalTo("EvictionByEvictionAPI"))
                .body(
                        "status.conditions.find { it.type == 'DisruptionTarget' }.message",
                        equalTo("Eviction API: evicting"));
    }

    @Test
    void theEvictionsDeleteOptionsApply() {
        api(server)
                .body(eviction("p", ",\"deleteOptions\":{\"gracePeriodSeconds\":0}"))
                .post(pods + "/p/eviction")
                .then()
                .statusCode(201);
        api(server).get(pods + "/p").then().statusCode(404);
    }

    @Test
    void aDryRunEvictionChangesNothing() {
        api(server)
                .body(eviction("p", ",\"deleteOptions\":{\"dryRun\":[\"All\"]}"))
                .post(pods + "/p/eviction")
                .then()
                .statusCode(201);
        api(server)
                .body(eviction("p", ""))
                .post(pods + "/p/eviction?dryRun=All")
                .then()
                .statusCode(201);

        assertPodUntouched();
    }

    @Test
    void badEvictionsAreRefusedWithTheRightStatus() {
        api(server)
                .body(eviction("other", ""))
                .post(pods + "/p/eviction")
                .then()
                .statusCode(400)
                .body("message", equalTo("name in URL does not match name in Eviction object"));
        api(server)
                .body(eviction("gone", ""))
                .post(pods + "/gone/eviction")
                .then()
                .statusCode(404);
        api(server)
                .body(eviction("p", ",\"deleteOptions\":{\"propagationPolicy\":\"Sideways\"}"))
                .post(pods + "/p/eviction")
                .then()
                .statusCode(422)
                .body("details.kind", equalTo("DeleteOptions"));
        api(server).get(pods + "/p/eviction").then().statusCode(405);
        api(server).body("{").post(pods + "/p/eviction").then().statusCode(400);
        api(server)
                .body("{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\"}}")
                .post(pods + "/p/eviction")
                .then()
                .statusCode(400)
                .body(
                        "message",
                        equalTo("Pod in version \"v1\" cannot be handled as a Eviction: converting (v1.Pod) to"
                                + " (policy.Eviction): unknown conversion"));
        // a precondition that fails refuses the eviction before anything is written
        api(server)
                .body(eviction("p", ",\"deleteOptions\":{\"preconditions\":{\"uid\":\"not-it\"}}"))
                .post(pods + "/p/eviction")
                .then()
                .statusCode(409)
                .body("reason", equalTo("Conflict"));

        assertPodUntouched();
    }

    @Test
    void discoveryListsTheSubresourceAsKubectlDrainLooksForIt() {
        api(server)
                .get("/api/v1")
                .then()
                .statusCode(200)
                .body("resources.find { it.name == 'pods/eviction' }.kind", equalTo("Eviction"))
                .body("resources.find { it.name == 'pods/eviction' }.group", equalTo("policy"))
                .body("resources.find { it.name == 'pods/eviction' }.version", equalTo("v1"))
                .body("resources.find { it.name == 'pods/eviction' }.verbs", hasItem("create"));
    }

    @Test
    void aProtobufDeleteOptionsBodyIsRead() {
        api(server)
                .contentType("application/vnd.kubernetes.protobuf")
                .body(DRAIN_DELETE_BODY)
                .delete(pods + "/p")
                .then()
                .statusCode(200)
                .body("metadata.deletionGracePeriodSeconds", equalTo(30));

        byte[] now = protobufDeleteOptions(Meta.DeleteOptions.newBuilder()
                .setGracePeriodSeconds(0)
                .addDryRun("All")
                .build());
        api(server)
                .contentType("application/vnd.kubernetes.protobuf")
                .body(now)
                .delete(pods + "/p")
                .then()
                .statusCode(200);
        api(server).get(pods + "/p").then().statusCode(200); // the dry run kept it

        api(server)
                .contentType("application/vnd.kubernetes.protobuf")
                .body("k8s\0garbage".getBytes(StandardCharsets.UTF_8))
                .delete(pods + "/p")
                .then()
                .statusCode(400)
                .body("reason", equalTo("BadRequest"));
        api(server)
                .contentType("text/plain")
                .body("x")
                .delete(pods + "/p")
                .then()
                .statusCode(415);
    }

    private static String eviction(String name, String more) {
        return "{\"apiVersion\":\"policy/v1\",\"kind\":\"Eviction\",\"metadata\":{\"name\":\"" + name + "\"}" + more
                + "}";
    }

    private static byte[] protobufDeleteOptions(Meta.DeleteOptions options) {
        Runtime.Unknown envelope = Runtime.Unknown.newBuilder()
                .setTypeMeta(Runtime.TypeMeta.newBuilder()
                        .setApiVersion("v1")
                        .setKind("DeleteOptions")
                        .build())
                .setRaw(ByteString.copyFrom(options.toByteArray()))
                .build();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {'k', '8', 's', 0});
        out.writeBytes(envelope.toByteArray());
        return out.toByteArray();
    }

    /** The pod neither marked for deletion nor given the eviction's condition. */
    private void assertPodUntouched() {
        api(server)
                .get(pods + "/p")
                .then()
                .statusCode(200)
                .body("metadata.deletionTimestamp", nullValue())
                .body("status.conditions.find { it.type == 'DisruptionTarget' }", nullValue());
    }
}
