package dev.capstan.bench;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The Kubernetes API over HTTPS: HTTP/1.1, trusting only the server's CA, the admin bearer token on every
 * request. Requests go through {@link WatchConnections}' Vert.x client, whose pool keeps a connection per
 * concurrent caller; {@link #newClient()} gives a JDK {@link HttpClient} for the startup part's watch.
 */
final class ApiClient implements AutoCloseable {
    /** The size of a ConfigMap's one data value; the whole object is about 1 KiB of JSON. */
    static final int VALUE_CHARS = 900;

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final ApiTarget target;
    // More connections than the most concurrent clients of a run, so no caller waits for one.
    private static final int CONNECTIONS = 256;

    private final WatchConnections http;
    private final String value;

    ApiClient(ApiTarget target) {
        this.target = target;
        this.http = new WatchConnections(target, CONNECTIONS);
        StringBuilder text = new StringBuilder(VALUE_CHARS);
        String alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        for (int i = 0; i < VALUE_CHARS; i++) {
            text.append(alphabet.charAt(ThreadLocalRandom.current().nextInt(alphabet.length())));
        }
        this.value = text.toString();
    }

    static SSLContext trusting(Path caCert) throws IOException, GeneralSecurityException {
        Certificate ca;
        try (InputStream in = Files.newInputStream(caCert)) {
            ca = CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        trust.setCertificateEntry("capstan-ca", ca);
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }

    static HttpClient newHttpClient(SSLContext ssl, Duration connectTimeout) {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .sslContext(ssl)
                .connectTimeout(connectTimeout)
                .build();
    }

    ApiTarget target() {
        return target;
    }

    /** A ConfigMap of about 1 KiB: one data value of {@link #VALUE_CHARS} random letters and digits. */
    byte[] configMap(String name) {
        return ("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"" + name
                        + "\",\"labels\":{\"app\":\"capstan-bench\"}},\"data\":{\"value\":\"" + value + "\"}}")
                .getBytes(StandardCharsets.UTF_8);
    }

    void createNamespace(String name) throws IOException, InterruptedException {
        byte[] body = ("{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"" + name + "\"}}")
                .getBytes(StandardCharsets.UTF_8);
        expect(201, "POST", "/api/v1/namespaces", post("/api/v1/namespaces", body));
    }

    /** POST a ConfigMap; returns when the server has answered 201 (the write is committed). */
    void createConfigMap(String namespace, String name) throws IOException, InterruptedException {
        String path = "/api/v1/namespaces/" + namespace + "/configmaps";
        expect(201, "POST", path, post(path, configMap(name)));
    }

    void getConfigMap(String namespace, String name) throws IOException, InterruptedException {
        String path = "/api/v1/namespaces/" + namespace + "/configmaps/" + name;
        expect(200, "GET", path, get(path));
    }

    /** GET the collection with limit (and continue); the body, checked for 200. */
    byte[] listConfigMaps(String namespace, int limit, String continueToken) throws IOException, InterruptedException {
        String query = "?limit=" + limit
                + (continueToken.isEmpty()
                        ? ""
                        : "&continue=" + URLEncoder.encode(continueToken, StandardCharsets.UTF_8));
        String path = "/api/v1/namespaces/" + namespace + "/configmaps";
        WatchConnections.Response response = get(path + query);
        expect(200, "GET", path, response);
        return response.body();
    }

    /** The collection's current resourceVersion (from a list of one item). */
    String resourceVersion(String namespace) throws IOException, InterruptedException {
        JsonObject list = new JsonObject(io.vertx.core.buffer.Buffer.buffer(listConfigMaps(namespace, 1, "")));
        return list.getJsonObject("metadata").getString("resourceVersion");
    }

    /** Opens a watch from resourceVersion; the response arrives with its headers, the body streams on. */
    HttpResponse<InputStream> watch(HttpClient client, String namespace, String resourceVersion, Duration timeout)
            throws IOException, InterruptedException {
        HttpRequest request = request("/api/v1/namespaces/" + namespace + "/configmaps?watch=true&resourceVersion="
                        + resourceVersion + "&timeoutSeconds=" + timeout.toSeconds())
                .timeout(timeout.plusSeconds(30))
                .GET()
                .build();
        return client.send(request, HttpResponse.BodyHandlers.ofInputStream());
    }

    /** A new client of its own (for watchers, which hold their connection). */
    HttpClient newClient() throws IOException, GeneralSecurityException {
        return newHttpClient(trusting(target.caCert()), Duration.ofSeconds(10));
    }

    /** GET any path; its status code. */
    int getPath(String path) throws IOException, InterruptedException {
        return get(path).status();
    }

    /** The Prometheus text the API serves on /metrics. */
    String metrics() throws IOException, InterruptedException {
        WatchConnections.Response response = get("/metrics");
        expect(200, "GET", "/metrics", response);
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    private WatchConnections.Response post(String path, byte[] body) throws IOException, InterruptedException {
        return http.send(HttpMethod.POST, path, body);
    }

    private WatchConnections.Response get(String path) throws IOException, InterruptedException {
        return http.send(HttpMethod.GET, path, null);
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(target.base() + path))
                .timeout(TIMEOUT)
                .header("Authorization", "Bearer " + target.token())
                .header("Accept", "application/json");
    }

    private static void expect(int status, String method, String path, WatchConnections.Response response)
            throws IOException {
        if (response.status() != status) {
            String body = new String(response.body(), StandardCharsets.UTF_8);
            throw new IOException("HTTP " + response.status() + " from " + method + " " + path + ": "
                    + (body.length() > 200 ? body.substring(0, 200) : body));
        }
    }

    @Override
    public void close() {
        http.close();
    }
}
