package dev.capstan.api.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PemTest {
    @TempDir
    Path dir;

    @Test
    void readsPkcs8AndTheTraditionalFormOpensslWrites() throws Exception {
        // one key as openssl writes it both ways (`openssl req -newkey ec`, then `openssl ec`)
        PrivateKey pkcs8 = Pem.readPrivateKey(fixture("serving.key"), "EC");
        PrivateKey traditional = Pem.readPrivateKey(fixture("traditional.key"), "EC");

        assertThat(Files.readString(fixture("traditional.key"))).startsWith("-----BEGIN EC PRIVATE KEY-----");
        // the same secret on the same curve (the encodings differ in what optional fields they carry)
        assertThat(((ECPrivateKey) traditional).getS()).isEqualTo(((ECPrivateKey) pkcs8).getS());
        assertThat(((ECPrivateKey) traditional).getParams().getCurve())
                .isEqualTo(((ECPrivateKey) pkcs8).getParams().getCurve());
    }

    @Test
    void theServingPairIsTheKeyPkiWrote() throws Exception {
        Pki pki = Pki.ensure(dir, List.of(), List.of());
        assertThat(Files.readString(pki.serverKey())).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(pki.servingKeyPair().key()).isEqualTo(Pem.readPrivateKey(pki.serverKey(), "EC"));
        assertThat(pki.servingKeyPair().chain()).containsExactly(Pem.readCertificate(pki.serverCert()));
    }

    private static Path fixture(String name) throws URISyntaxException {
        return Path.of(PemTest.class.getResource("/tls/" + name).toURI());
    }

    @Test
    void aFileWithoutAKeyIsRefused() throws Exception {
        Path notAKey = Files.writeString(dir.resolve("not.key"), "hello\n");
        assertThatThrownBy(() -> Pem.readPrivateKey(notAKey, "EC"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("not.key");
    }
}
