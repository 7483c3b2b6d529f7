package dev.capstan.api;

import static dev.capstan.api.TestApi.namespace;
import static org.assertj.core.api.Assertions.assertThat;

import dev.capstan.api.http.ApiServer;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Inputs that used to answer 500 (or a 200 stream carrying an error) answer their 4xx Status before anything is
 * read or streamed.
 */
@QuarkusTest
class BadInputTest {
    @Inject
    ApiServer server;

    @Inject
    Vertx vertx;

    private static String token(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            path escape            | /configmaps/%zz                                   | 400 | BadRequest | invalid URL escape "%zz"
            path escape at the end | /configmaps/a%2                                   | 400 | BadRequest | invalid URL escape "%2"
            query escape           | /configmaps?labelSelector=%zz                     | 400 | BadRequest | invalid URL escape "%zz"
            query escape in a key  | /configmaps?%zz=1                                 | 400 | BadRequest | invalid URL escape "%zz"
            label selector ends with a comma | /configmaps?labelSelector=a%3Db,        | 400 | BadRequest | found '', expected: identifier after ','
            label selector, watch  | /configmaps?watch=true&labelSelector=a%3Db,       | 400 | BadRequest | found '', expected: identifier after ','
            field selector without value | /configmaps?fieldSelector=metadata.name     | 400 | BadRequest | invalid selector: 'metadata.name'; can't understand 'metadata.name'
            continue with NUL      | /configmaps?limit=1&continue=NUL_TOKEN            | 400 | BadRequest | invalid continue token: continue key is not valid: /registry/core/configmaps/x\u0000y
            continue raw NUL       | /configmaps?limit=1&continue=%00                  | 400 | BadRequest | invalid continue token: continue key is not valid: illegal base64 data at input byte 0
            continue garbage       | /configmaps?limit=1&continue=ab!c                 | 400 | BadRequest | invalid continue token: continue key is not valid: illegal base64 data at input byte 2
            continue not JSON      | /configmaps?limit=1&continue=YWJj                 | 400 | BadRequest | invalid continue token: continue key is not valid: the request body is not valid JSON: Unrecognized token 'abc': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')
            continue other version | /configmaps?limit=1&continue=V2_TOKEN             | 400 | BadRequest | invalid continue token: continue key is not valid: server does not recognize this encoded version meta.k8s.io/v2
            continue revision 0    | /configmaps?limit=1&continue=RV0_TOKEN            | 400 | BadRequest | invalid continue token: continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)
            continue without start | /configmaps?limit=1&continue=NOSTART_TOKEN        | 400 | BadRequest | invalid continue token: continue key is not valid: encoded start key empty (version meta.k8s.io/v1)
            continue traversal     | /configmaps?limit=1&continue=DOTS_TOKEN           | 400 | BadRequest | invalid continue token: continue key is not valid: /registry/core/../secrets/x
            watch from -1          | /configmaps?watch=true&resourceVersion=-1         | 400 | BadRequest | resourceVersion: Invalid value: "-1": strconv.ParseUint: parsing "-1": invalid syntax
            watch from abc         | /configmaps?watch=true&resourceVersion=abc        | 400 | BadRequest | resourceVersion: Invalid value: "abc": strconv.ParseUint: parsing "abc": invalid syntax
            list at -1             | /configmaps?resourceVersion=-1                    | 400 | BadRequest | resourceVersion: Invalid value: "-1": strconv.ParseUint: parsing "-1": invalid syntax
            list beyond uint64     | /configmaps?resourceVersion=99999999999999999999  | 400 | BadRequest | resourceVersion: Invalid value: "99999999999999999999": strconv.ParseUint: parsing "99999999999999999999": value out of range
            timeoutSeconds abc     | /configmaps?watch=true&timeoutSeconds=abc         | 400 | BadRequest | "abc" is not a number
            limit abc              | /configmaps?limit=abc                             | 400 | BadRequest | "abc" is not a number
            match without a resourceVersion | /configmaps?resourceVersionMatch=Exact   | 422 | Invalid | ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided
            match not supported    | /configmaps?resourceVersion=5&resourceVersionMatch=Bogus | 422 | Invalid | ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Unsupported value: "Bogus": supported values: "Exact", "NotOlderThan", ""
            sendInitialEvents on a list | /configmaps?sendInitialEvents=true           | 422 | Invalid | ListOptions.meta.k8s.io "" is invalid: sendInitialEvents: Forbidden: sendInitialEvents is forbidden for list
            watch match without sendInitialEvents | /configmaps?watch=true&resourceVersionMatch=NotOlderThan | 422 | Invalid | ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided
            watch sendInitialEvents without NotOlderThan | /configmaps?watch=true&sendInitialEvents=true | 422 | Invalid | ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan
            """)
    void answersTheStatus(String name, String path, int code, String reason, String message) throws Exception {
        String ns = namespace(server);
        String uri = "/api/v1/namespaces/" + ns
                + path.replace(
                                "NUL_TOKEN",
                                token("{\"v\":\"meta.k8s.io/v1\",\"rv\":1,\"start\":"
                                        + "\"/registry/core/configmaps/x\\u0000y\"}"))
                        .replace("V2_TOKEN", token("{\"v\":\"meta.k8s.io/v2\",\"rv\":1,\"start\":\"/a\"}"))
                        .replace("RV0_TOKEN", token("{\"v\":\"meta.k8s.io/v1\",\"rv\":0,\"start\":\"/a\"}"))
                        .replace("NOSTART_TOKEN", token("{\"v\":\"meta.k8s.io/v1\",\"rv\":1}"))
                        .replace(
                                "DOTS_TOKEN",
                                token("{\"v\":\"meta.k8s.io/v1\",\"rv\":1,"
                                        + "\"start\":\"/registry/core/../secrets/x\"}"));
        RawRequests.Answer answer = RawRequests.send(vertx, server.port(), HttpMethod.GET, uri);
        assertThat(answer.code()).as(answer.body()).isEqualTo(code);
        JsonObject status = answer.json();
        assertThat(status.getString("kind")).isEqualTo("Status");
        assertThat(status.getInteger("code")).isEqualTo(code);
        assertThat(status.getString("reason")).isEqualTo(reason);
        assertThat(status.getString("message")).isEqualTo(message.replace("\\u0000", "\u0000"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            limit beyond int32        | /configmaps?limit=99999999999999
            negative limit lists everything, as upstream | /configmaps?limit=-1
            continue at a negative revision reads the current state | /configmaps?limit=1&continue=NEG_TOKEN
            plus in a query is a space | /configmaps?labelSelector=a+in+(b)
            """)
    void answersTheList(String name, String path) throws Exception {
        String ns = namespace(server);
        String uri = "/api/v1/namespaces/" + ns
                + path.replace(
                        "NEG_TOKEN",
                        token("{\"v\":\"meta.k8s.io/v1\",\"rv\":-1,\"start\":\"/registry/core/configmaps/" + ns
                                + "/a\"}"));
        RawRequests.Answer answer = RawRequests.send(vertx, server.port(), HttpMethod.GET, uri);
        assertThat(answer.code()).as(answer.body()).isEqualTo(200);
        assertThat(answer.json().getString("kind")).isEqualTo("ConfigMapList");
    }

    @org.junit.jupiter.api.Test
    void aCollectionDeleteWithABadContinueTokenDeletesNothingAndLimitBoundsWhatItDeletes() {
        String ns = namespace(server);
        String configMaps = "/api/v1/namespaces/" + ns + "/configmaps";
        for (String name : new String[] {"a", "b", "c"}) {
            TestApi.api(server)
                    .body("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"" + name + "\"}}")
                    .post(configMaps)
                    .then()
                    .statusCode(201);
        }
        TestApi.api(server)
                .queryParam("limit", "1")
                .queryParam("continue", "ab!c")
                .delete(configMaps)
                .then()
                .statusCode(400)
                .body("reason", org.hamcrest.Matchers.equalTo("BadRequest"))
                .body("message", org.hamcrest.Matchers.startsWith("invalid continue token"));
        TestApi.api(server)
                .queryParam("labelSelector", "a=b,")
                .delete(configMaps)
                .then()
                .statusCode(400);
        assertThat(TestApi.api(server).get(configMaps).jsonPath().getList("items"))
                .hasSize(3);

        // Upstream lists with the request's options: limit=1 deletes the first page only.
        TestApi.api(server).queryParam("limit", "1").delete(configMaps).then().statusCode(200);
        assertThat(TestApi.api(server).get(configMaps).jsonPath().getList("items.metadata.name", String.class))
                .containsExactly("b", "c");
    }

    @org.junit.jupiter.api.Test
    void aContentTypeWithoutAMediaTypeIsUnsupported() throws Exception {
        String ns = namespace(server);
        byte[] body = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"x\"}}"
                .getBytes(StandardCharsets.UTF_8);
        var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                        "https://127.0.0.1:" + server.port() + "/api/v1/namespaces/" + ns + "/configmaps"))
                .header("Authorization", "Bearer " + TestApi.token())
                .header("Content-Type", ";;;")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        try (var client = java.net.http.HttpClient.newBuilder()
                .sslContext(TestApi.trustingTheClusterCa())
                .build()) {
            var response = client.send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(415);
            assertThat(new JsonObject(response.body()).getString("reason")).isEqualTo("UnsupportedMediaType");
        }
        TestApi.api(server)
                .get("/api/v1/namespaces/" + ns + "/configmaps/x")
                .then()
                .statusCode(404);
    }
}
