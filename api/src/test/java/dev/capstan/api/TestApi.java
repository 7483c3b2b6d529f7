package dev.capstan.api;

import static io.restassured.RestAssured.given;

import dev.capstan.api.http.ApiServer;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/** Requests against the running API server of the test, authenticated as the admin. */
public final class TestApi {
    private TestApi() {}

    public static String token() {
        try {
            return Files.readString(Path.of("target/capstan-test-data/admin-token"))
                    .trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static RequestSpecification api(ApiServer server) {
        return given().relaxedHTTPSValidation()
                .baseUri("https://127.0.0.1")
                .port(server.port())
                .header("Authorization", "Bearer " + token())
                .contentType("application/json");
    }

    /** TLS that trusts only the CA the server generated, as a kubeconfig does. */
    public static javax.net.ssl.SSLContext trustingTheClusterCa() {
        try (var in = Files.newInputStream(Path.of("target/capstan-test-data/pki/ca.crt"))) {
            var ca = java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in);
            var keyStore = java.security.KeyStore.getInstance(java.security.KeyStore.getDefaultType());
            keyStore.load(null, null);
            keyStore.setCertificateEntry("capstan-ca", ca);
            var trust = javax.net.ssl.TrustManagerFactory.getInstance(
                    javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
            trust.init(keyStore);
            var ssl = javax.net.ssl.SSLContext.getInstance("TLS");
            ssl.init(null, trust.getTrustManagers(), null);
            return ssl;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String randomName(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Creates a namespace with a random name and answers the name. */
    public static String namespace(ApiServer server) {
        String name = randomName("ns");
        api(server)
                .body("{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"" + name + "\"}}")
                .post("/api/v1/namespaces")
                .then()
                .statusCode(201);
        return name;
    }

    /**
     * Creates pod {@code p} (one container) in a new namespace and binds it to node {@code n1}, so that deleting it is
     * graceful; answers the namespace's pods path.
     */
    public static String boundPod(ApiServer server) {
        String pods = "/api/v1/namespaces/" + namespace(server) + "/pods";
        api(server)
                .body("{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\"},"
                        + "\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"i\"}]}}")
                .post(pods)
                .then()
                .statusCode(201);
        api(server)
                .body("{\"apiVersion\":\"v1\",\"kind\":\"Binding\",\"metadata\":{\"name\":\"p\"},"
                        + "\"target\":{\"kind\":\"Node\",\"name\":\"n1\"}}")
                .post(pods + "/p/binding")
                .then()
                .statusCode(201);
        return pods;
    }

    /** Opens a watch and feeds its events, one JSON object per line, into a queue. */
    public static java.util.concurrent.BlockingQueue<com.fasterxml.jackson.databind.JsonNode> watch(
            ApiServer server, String pathAndQuery) throws Exception {
        var client = java.net.http.HttpClient.newBuilder()
                .sslContext(trustingTheClusterCa())
                .connectTimeout(java.time.Duration.ofSeconds(5))
                .build();
        var request = java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("https://127.0.0.1:" + server.port() + pathAndQuery))
                .header("Authorization", "Bearer " + token())
                .build();
        var response = client.send(request, java.net.http.HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() != 200) {
            throw new AssertionError("the watch " + pathAndQuery + " answered " + response.statusCode());
        }
        var events = new java.util.concurrent.LinkedBlockingQueue<com.fasterxml.jackson.databind.JsonNode>();
        Thread.ofVirtual().start(() -> {
            try (var reader = new java.io.BufferedReader(
                    new java.io.InputStreamReader(response.body(), java.nio.charset.StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    events.add(dev.capstan.api.Json.MAPPER.readTree(line));
                }
            } catch (IOException e) {
                // The stream ended; the test sees the missing events.
            }
        });
        return events;
    }
}
