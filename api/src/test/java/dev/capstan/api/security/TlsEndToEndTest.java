package dev.capstan.api.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.capstan.api.Kubectl;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Serves TLS on 127.0.0.1 with the generated files, parsed here with the JDK alone, and connects as real clients. */
class TlsEndToEndTest {
    private static final char[] PASSWORD = "unused".toCharArray();

    @TempDir
    Path dir;

    private Pki pki;
    private String token;
    private HttpsServer server;
    private int port;

    @BeforeEach
    void startServer() throws Exception {
        pki = Pki.ensure(dir.resolve("pki"), List.of(), List.of());
        token = AdminToken.ensure(dir.resolve("pki/admin.token"));
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("apiserver", pkcs8EcKey(pki.serverKey()), PASSWORD, new Certificate[] {
            PkiTest.certificate(pki.serverCert())
        });
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, PASSWORD);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(kmf.getKeyManagers(), null, null);

        server = HttpsServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        server.createContext("/", exchange -> {
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            boolean ok = auth == null || AdminToken.matches("Bearer " + token, auth);
            byte[] body = (ok ? "ok" : "unauthorized").getBytes(StandardCharsets.US_ASCII);
            exchange.sendResponseHeaders(ok ? 200 : 401, body.length);
            try (var out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        port = server.getAddress().getPort();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    @Test
    void javaClientTrustingOnlyTheCaAcceptsLocalhostAndLoopbackIp() throws Exception {
        SSLContext trustCa = trusting(pki.caCert());

        assertThat(get(trustCa, "https://localhost:" + port + "/")).isEqualTo("ok");
        assertThat(get(trustCa, "https://127.0.0.1:" + port + "/")).isEqualTo("ok");
    }

    @Test
    void javaClientTrustingAnotherCaRejectsTheServer() throws Exception {
        Pki other = Pki.ensure(dir.resolve("other"), List.of(), List.of());

        assertThatThrownBy(() -> get(trusting(other.caCert()), "https://127.0.0.1:" + port + "/"))
                .isInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void curlTrustingOnlyTheCaAcceptsTheServer() throws Exception {
        assumeTrue(Commands.onPath("curl"), "curl is not on PATH");
        String ca = pki.caCert().toString();

        assertThat(curl("--cacert", ca, "https://127.0.0.1:" + port + "/")).isEqualTo("ok");
        // pinned to 127.0.0.1 so that "localhost" is checked against the certificate without resolving to ::1
        assertThat(curl("--cacert", ca, "--resolve", "localhost:" + port + ":127.0.0.1", "https://localhost:" + port))
                .isEqualTo("ok");
    }

    @Test
    void kubectlAcceptsTheCertificateAndToken() throws Exception {
        Kubectl.require();
        Path kubeconfig = dir.resolve("kubeconfig");
        Kubeconfig.write(kubeconfig, "https://127.0.0.1:" + port, pki.caCert(), token);

        Commands.Result ok = kubectlGetRaw(kubeconfig);
        assertThat(ok.exitCode()).as(ok.stderr()).isZero();
        assertThat(ok.stdout()).isEqualTo("ok");

        Kubeconfig.write(kubeconfig, "https://127.0.0.1:" + port, pki.caCert(), "wrong");
        Commands.Result denied = kubectlGetRaw(kubeconfig);
        assertThat(denied.exitCode()).isNotZero();
        assertThat(denied.stderr()).contains("You must be logged in");
    }

    private Commands.Result kubectlGetRaw(Path kubeconfig) throws Exception {
        return Commands.run(dir, List.of("kubectl", "--kubeconfig", kubeconfig.toString(), "get", "--raw", "/healthz"));
    }

    private String curl(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("curl", "--silent", "--show-error", "--noproxy", "*"));
        command.addAll(List.of(args));
        Commands.Result result = Commands.run(dir, command);
        assertThat(result.exitCode()).as(result.stderr()).isZero();
        return result.stdout();
    }

    private static String get(SSLContext tls, String url) throws Exception {
        try (HttpClient client = HttpClient.newBuilder()
                .sslContext(tls)
                .proxy(HttpClient.Builder.NO_PROXY)
                .version(HttpClient.Version.HTTP_1_1)
                .build()) {
            HttpResponse<String> response =
                    client.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            return response.body();
        }
    }

    private static SSLContext trusting(Path caCert) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", PkiTest.certificate(caCert));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, tmf.getTrustManagers(), null);
        return tls;
    }

    /** Independent of Pem, to prove the file is plain PKCS#8 as other tools expect. */
    private static PrivateKey pkcs8EcKey(Path file) throws Exception {
        String pem = Files.readString(file, StandardCharsets.US_ASCII);
        assertThat(pem).startsWith("-----BEGIN PRIVATE KEY-----\n").endsWith("-----END PRIVATE KEY-----\n");
        String base64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance("EC")
                .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
    }
}
