package dev.capstan.api;

import static dev.capstan.api.TestApi.api;
import static dev.capstan.api.TestApi.namespace;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.capstan.api.http.ApiServer;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The HTTP server's limits and negotiation, as kube-apiserver's: long URLs pass, unknown Accept types get 406. */
@QuarkusTest
class HttpLimitsTest {
    @Inject
    ApiServer server;

    @Test
    void aListUrlOfSeveralKilobytesIsServed() {
        String ns = namespace(server);
        // 8 KiB of label selector: twice what Vert.x's default request line allowed (4 KiB gave 414).
        String selector =
                IntStream.range(0, 800).mapToObj(i -> "key-" + i + "!=v").collect(Collectors.joining(","));
        assertThat(selector.length()).isGreaterThan(7_800);
        api(server)
                .queryParam("labelSelector", selector)
                .get("/api/v1/namespaces/" + ns + "/configmaps")
                .then()
                .statusCode(200)
                .body("kind", equalTo("ConfigMapList"));
    }

    @Test
    void anAcceptTypeThatIsNotServedGets406() {
        String ns = namespace(server);
        api(server)
                .header("Accept", "application/xml")
                .get("/api/v1/namespaces/" + ns + "/configmaps")
                .then()
                .statusCode(406)
                .body("kind", equalTo("Status"))
                .body("reason", equalTo("NotAcceptable"))
                .body(
                        "message",
                        equalTo("only the following media types are accepted: application/json, application/yaml,"
                                + " application/vnd.kubernetes.protobuf"));
        api(server)
                .header("Accept", "application/yaml")
                .queryParam("watch", "true")
                .get("/api/v1/namespaces/" + ns + "/configmaps")
                .then()
                .statusCode(406)
                .body(
                        "message",
                        equalTo("only the following media types are accepted: application/json,"
                                + " application/vnd.kubernetes.protobuf"));
        api(server).header("Accept", "text/html").get("/apis").then().statusCode(406);
        api(server).header("Accept", "application/json;q=0").get("/api").then().statusCode(406);
    }

    @Test
    void yamlIsAnsweredWhenAskedForFirst() {
        String ns = namespace(server);
        api(server)
                .body(
                        "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"y\"},\"data\":{\"a\":\"b\"}}")
                .post("/api/v1/namespaces/" + ns + "/configmaps")
                .then()
                .statusCode(201);
        String yaml = api(server)
                .header("Accept", "application/yaml")
                .get("/api/v1/namespaces/" + ns + "/configmaps/y")
                .then()
                .statusCode(200)
                .contentType("application/yaml")
                .extract()
                .asString();
        assertThat(yaml)
                .startsWith("apiVersion: v1\n")
                .contains("\nkind: ConfigMap\n")
                .contains("\n  a: b\n")
                .containsPattern("\n  creationTimestamp: \"\\d{4}-\\d\\d-\\d\\dT[0-9:]+Z\"\n");
        // Errors come in the negotiated format too, as upstream's.
        assertThat(api(server)
                        .header("Accept", "application/yaml")
                        .get("/api/v1/namespaces/" + ns + "/configmaps/missing")
                        .then()
                        .statusCode(404)
                        .contentType("application/yaml")
                        .extract()
                        .asString())
                .contains("kind: Status")
                .contains("reason: NotFound");
        // Quality and order decide, as upstream's negotiation: JSON here.
        api(server)
                .header("Accept", "application/yaml;q=0.5, application/json")
                .get("/api/v1/namespaces/" + ns + "/configmaps/y")
                .then()
                .statusCode(200)
                .contentType("application/json");
        api(server)
                .header("Accept", "application/yaml")
                .get("/api/v1/namespaces/" + ns + "/configmaps")
                .then()
                .statusCode(200)
                .contentType("application/yaml");
    }

    @Test
    void whatClientsSendIsStillServed() {
        String ns = namespace(server);
        for (String accept : new String[] {
            "application/vnd.kubernetes.protobuf,application/json", // kubectl, client-go
            "application/json;as=Table;v=v1;g=meta.k8s.io,application/json", // kubectl get
            "application/json, */*", // fabric8
            "*/*",
            "application/*",
            "application/vnd.kubernetes.protobuf", // answered in JSON; client-go decodes by Content-Type
            "text/html, application/xml;q=0.9, */*;q=0.8" // browsers
        }) {
            api(server)
                    .header("Accept", accept)
                    .get("/api/v1/namespaces/" + ns + "/configmaps")
                    .then()
                    .statusCode(200);
        }
    }

    @Test
    void theManagementPortAsksForATokenExceptForHealth() {
        String base = "http://127.0.0.1:" + RestAssured.port;
        for (String path : new String[] {"/q/metrics", "/q/openapi", "/q/openapi/apis/apps/v1"}) {
            given().get(base + path)
                    .then()
                    .statusCode(401)
                    .body("kind", equalTo("Status"))
                    .body("reason", equalTo("Unauthorized"));
            given().header("Authorization", "Bearer not-the-token")
                    .get(base + path)
                    .then()
                    .statusCode(401);
        }
        given().header("Authorization", "Bearer " + TestApi.token())
                .get(base + "/q/metrics")
                .then()
                .statusCode(200);
        given().get(base + "/q/health/ready").then().statusCode(200);
        given().get(base + "/q/health/live").then().statusCode(200);
    }

    @Test
    void aClientThatSendsItsHeadersTooSlowlyIsDisconnected() throws Exception {
        // The test profile's header timeout is 5 s (32 s by default, as upstream's ReadHeaderTimeout).
        try (var socket = (javax.net.ssl.SSLSocket)
                TestApi.trustingTheClusterCa().getSocketFactory().createSocket("127.0.0.1", server.port())) {
            socket.setSoTimeout(30_000);
            socket.startHandshake();
            socket.getOutputStream().write("GET /version HT".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            long start = System.nanoTime();
            int read;
            try {
                read = socket.getInputStream().read();
            } catch (java.net.SocketException reset) {
                read = -1;
            }
            assertThat(read).as("the server answered a request it never got").isEqualTo(-1);
            assertThat((System.nanoTime() - start) / 1_000_000).isBetween(3_000L, 20_000L);
        }
    }

    @Test
    void aBodyThatDoesNotArriveLosesItsConnectionEvenOnAGet() throws Exception {
        // No credentials either: the body is read before anything else, so its clock must run for everyone.
        // The test profile's body timeout is 5 s (60 s by default, upstream's request timeout).
        for (String method : new String[] {"GET", "POST"}) {
            try (var socket = (javax.net.ssl.SSLSocket)
                    TestApi.trustingTheClusterCa().getSocketFactory().createSocket("127.0.0.1", server.port())) {
                socket.setSoTimeout(30_000);
                socket.getOutputStream()
                        .write((method + " /api HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\nabc")
                                .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                socket.getOutputStream().flush();
                long start = System.nanoTime();
                int read;
                try {
                    read = socket.getInputStream().read();
                } catch (java.net.SocketException reset) {
                    read = -1;
                }
                assertThat(read)
                        .as(method + ": answered a request whose body never came")
                        .isEqualTo(-1);
                assertThat((System.nanoTime() - start) / 1_000_000).as(method).isBetween(3_000L, 20_000L);
            }
        }
    }
}
