package dev.capstan.bench;

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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The Kubernetes API over HTTPS with {@link HttpClient}: HTTP/1.1, trusting only the server's CA, the admin
 * bearer token on every request. A small pool of clients spreads the connections over several selector
 * threads; each calling thread keeps to one client, so its connection is reused.
 */
final class ApiClient implements AutoCloseable {
    /** The size of a ConfigMap's one data value; the whole object is about 1 KiB of JSON. */
    static final int VALUE_CHARS = 900;

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final ApiTarget target;
    private final List<HttpClient> clients = new ArrayList<>();
    private final AtomicInteger next = new AtomicInteger();
    private final ThreadLocal<HttpClient> mine;
    private final String value;

    ApiClient(ApiTarget target, int poolSize) throws IOException, GeneralSecurityException {
        this.target = target;
        SSLContext ssl = trusting(target.caCert());
        for (int i = 0; i < poolSize; i++) {
            clients.add(newHttpClient(ssl, Duration.ofSeconds(10)));
        }
        this.mine = ThreadLocal.withInitial(() -> clients.get(Math.floorMod(next.getAndIncrement(), clients.size())));
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
        expect(201, post("/api/v1/namespaces", body));
    }

    /** POST a ConfigMap; returns when the server has answered 201 (the write is committed). */
    void createConfigMap(String namespace, String name) throws IOException, InterruptedException {
        expect(201, post("/api/v1/namespaces/" + namespace + "/configmaps", configMap(name)));
    }

    void getConfigMap(String namespace, String name) throws IOException, InterruptedException {
        expect(200, get("/api/v1/namespaces/" + namespace + "/configmaps/" + name));
    }

    /** GET the collection with limit (and continue); the body, checked for 200. */
    byte[] listConfigMaps(String namespace, int limit, String continueToken) throws IOException, InterruptedException {
        String query = "?limit=" + limit
                + (continueToken.isEmpty()
                        ? ""
                        : "&continue=" + URLEncoder.encode(continueToken, StandardCharsets.UTF_8));
        HttpResponse<byte[]> response = get("/api/v1/namespaces/" + namespace + "/configmaps" + query);
        expect(200, response);
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
        return get(path).statusCode();
    }

    /** The Prometheus text the API serves on /metrics. */
    String metrics() throws IOException, InterruptedException {
        HttpResponse<byte[]> response = get("/metrics");
        expect(200, response);
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    private HttpResponse<byte[]> post(String path, byte[] body) throws IOException, InterruptedException {
        HttpRequest request = request(path)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        return mine.get().send(request, HttpResponse.BodyHandlers.ofByteArray());
    }

    private HttpResponse<byte[]> get(String path) throws IOException, InterruptedException {
        return mine.get().send(request(path).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(target.base() + path))
                .timeout(TIMEOUT)
                .header("Authorization", "Bearer " + target.token())
                .header("Accept", "application/json");
    }

    private static void expect(int status, HttpResponse<byte[]> response) throws IOException {
        if (response.statusCode() != status) {
            String body = new String(response.body(), StandardCharsets.UTF_8);
            throw new IOException("HTTP " + response.statusCode() + " from "
                    + response.request().method() + " " + response.uri().getPath() + ": "
                    + (body.length() > 200 ? body.substring(0, 200) : body));
        }
    }

    @Override
    public void close() {
        clients.forEach(HttpClient::shutdownNow);
    }
}
