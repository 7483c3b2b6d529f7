package dev.capstan.model.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.Signature;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;

class PemKeyPairTest {
    private static Path fixture(String name) throws URISyntaxException {
        return Path.of(PemKeyPairTest.class.getResource("/tls/" + name).toURI());
    }

    @Test
    void readsAKeyThatBelongsToItsCertificate() throws Exception {
        PemKeyPair pair = PemKeyPair.read(fixture("serving.key"), fixture("serving.crt"));

        assertThat(pair.chain()).hasSize(1);
        assertThat(pair.chain().get(0).getSubjectX500Principal().getName()).isEqualTo("CN=pem-key-pair-test");
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(pair.key());
        signer.update(new byte[] {7});
        Signature verifier = Signature.getInstance("SHA256withECDSA");
        verifier.initVerify(pair.chain().get(0).getPublicKey());
        verifier.update(new byte[] {7});
        assertThat(verifier.verify(signer.sign())).isTrue();
    }

    @Test
    void theKeyManagerPresentsThePairOnlyForItsKeyType() throws Exception {
        PemKeyPair pair = PemKeyPair.read(fixture("serving.key"), fixture("serving.crt"));
        var manager = pair.serverKeyManager();

        String alias = manager.chooseEngineServerAlias("EC", null, null);
        assertThat(alias).isNotNull();
        assertThat(manager.getPrivateKey(alias)).isEqualTo(pair.key());
        assertThat(manager.getCertificateChain(alias)).containsExactlyElementsOf(pair.chain());
        assertThat(manager.chooseEngineServerAlias("RSA", null, null)).isNull();
        assertThat(manager.chooseClientAlias(new String[] {"EC"}, null, null)).isNull();
    }

    @Test
    void aClientThatTrustsTheCertificateCompletesAHandshake() throws Exception {
        PemKeyPair pair = PemKeyPair.read(fixture("serving.key"), fixture("serving.crt"));
        SSLContext server = SSLContext.getInstance("TLS");
        server.init(new KeyManager[] {pair.serverKeyManager()}, null, null);
        KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
        trusted.load(null, null);
        trusted.setCertificateEntry("serving", pair.chain().get(0));
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext client = SSLContext.getInstance("TLS");
        client.init(null, trust.getTrustManagers(), null);

        try (SSLServerSocket listener = (SSLServerSocket)
                server.getServerSocketFactory().createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Integer> served = CompletableFuture.supplyAsync(() -> {
                try (var socket = listener.accept();
                        InputStream in = socket.getInputStream();
                        OutputStream out = socket.getOutputStream()) {
                    int read = in.read();
                    out.write(read + 1);
                    return read;
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            try (SSLSocket socket = (SSLSocket)
                    client.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), listener.getLocalPort())) {
                socket.getOutputStream().write(41);
                assertThat(socket.getInputStream().read()).isEqualTo(42);
                assertThat(socket.getSession().getPeerCertificates()[0])
                        .isEqualTo(pair.chain().get(0));
            }
            assertThat(served.get(10, TimeUnit.SECONDS)).isEqualTo(41);
        }
    }

    @Test
    void anOtherKindOfKeyFileIsRefusedWithWhatItNeeds() throws Exception {
        assertThatThrownBy(() -> PemKeyPair.read(fixture("traditional.key"), fixture("serving.crt")))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("PKCS#8")
                .hasMessageContaining("traditional.key");
        assertThatThrownBy(() -> PemKeyPair.read(fixture("serving.crt"), fixture("serving.key")))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("serving.key");
    }
}
