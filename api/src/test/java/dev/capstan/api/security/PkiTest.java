package dev.capstan.api.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PkiTest {
    private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";

    @TempDir
    Path dir;

    @Test
    void createsCaAndServingCertificate() throws Exception {
        Pki pki = Pki.ensure(dir.resolve("pki"), List.of("capstan.example.com"), List.of("10.0.0.7"));

        assertThat(List.of(pki.caCert(), pki.caKey(), pki.serverCert(), pki.serverKey()))
                .allMatch(Files::isRegularFile)
                .allMatch(file -> file.getParent().equals(dir.resolve("pki")));
        assertThat(pki.caCert().getFileName()).hasToString("ca.crt");
        assertThat(pki.caKey().getFileName()).hasToString("ca.key");
        assertThat(pki.serverCert().getFileName()).hasToString("apiserver.crt");
        assertThat(pki.serverKey().getFileName()).hasToString("apiserver.key");
        assertThat(Files.readString(pki.caKey())).startsWith("-----BEGIN PRIVATE KEY-----\n");
        assertThat(Files.readString(pki.serverKey())).startsWith("-----BEGIN PRIVATE KEY-----\n");
        assertThat(Files.readString(pki.serverCert())).startsWith("-----BEGIN CERTIFICATE-----\n");

        X509Certificate ca = certificate(pki.caCert());
        assertThat(ca.getSubjectX500Principal().getName()).isEqualTo("CN=capstan-ca");
        assertThat(ca.getIssuerX500Principal()).isEqualTo(ca.getSubjectX500Principal());
        assertThat(ca.getBasicConstraints()).isNotNegative();
        assertThat(ca.getKeyUsage()[5]).as("keyCertSign").isTrue();
        assertThat(ca.getKeyUsage()[6]).as("cRLSign").isTrue();
        assertThat(ca.getPublicKey()).isInstanceOf(ECPublicKey.class);
        assertThat(Duration.between(Instant.now(), ca.getNotAfter().toInstant()))
                .isBetween(Duration.ofDays(3649), Duration.ofDays(3651));
        ca.verify(ca.getPublicKey());

        X509Certificate server = certificate(pki.serverCert());
        assertThat(server.getSubjectX500Principal().getName()).isEqualTo("CN=capstan-apiserver");
        assertThat(server.getBasicConstraints()).isEqualTo(-1);
        assertThat(server.getExtendedKeyUsage()).containsExactly(SERVER_AUTH);
        assertThat(Duration.between(Instant.now(), server.getNotAfter().toInstant()))
                .isBetween(Duration.ofDays(364), Duration.ofDays(366));
        server.verify(ca.getPublicKey());
        validatePath(server, ca);

        List<String> dns = server.getSubjectAlternativeNames().stream()
                .filter(san -> san.get(0).equals(2))
                .map(san -> (String) san.get(1))
                .toList();
        List<String> ips = server.getSubjectAlternativeNames().stream()
                .filter(san -> san.get(0).equals(7))
                .map(san -> (String) san.get(1))
                .toList();
        assertThat(dns)
                .contains(
                        "localhost",
                        "kubernetes",
                        "kubernetes.default",
                        "kubernetes.default.svc",
                        "kubernetes.default.svc.cluster.local",
                        "capstan.example.com");
        SubjectAltNames.localHostname().ifPresent(host -> assertThat(dns).contains(host));
        assertThat(ips).containsExactlyInAnyOrder("127.0.0.1", "0:0:0:0:0:0:0:1", "10.0.0.7");
    }

    @Test
    void keysAreOwnerOnly() throws Exception {
        Pki pki = Pki.ensure(dir, List.of(), List.of());

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(pki.caKey())))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(pki.serverKey())))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(pki.caCert())))
                .isEqualTo("rw-r--r--");
        try (var files = Files.list(dir)) { // no temporary files left behind
            assertThat(files.map(f -> f.getFileName().toString()))
                    .containsExactlyInAnyOrder(
                            "ca.crt", "ca.key", "apiserver.crt", "apiserver.key", "apiserver.crt.verified");
        }
    }

    @Test
    void tightensKeyModeOfExistingFiles() throws Exception {
        Pki pki = Pki.ensure(dir, List.of(), List.of());
        Files.setPosixFilePermissions(pki.serverKey(), PosixFilePermissions.fromString("rw-r--r--"));

        Pki.ensure(dir, List.of(), List.of());

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(pki.serverKey())))
                .isEqualTo("rw-------");
    }

    @Test
    void secondEnsureKeepsEverything() throws Exception {
        Pki first = Pki.ensure(dir, List.of("a.example"), List.of("10.0.0.1"));
        List<byte[]> before = contents(first);

        Pki second = Pki.ensure(dir, List.of("a.example"), List.of("10.0.0.1"));

        assertThat(second).isEqualTo(first);
        assertThat(contents(second)).containsExactlyElementsOf(before);
        // a SAN no longer requested is no reason to re-issue
        Pki.ensure(dir, List.of(), List.of());
        assertThat(contents(second)).containsExactlyElementsOf(before);
    }

    @Test
    void newSanReissuesServingCertificateFromSameCa() throws Exception {
        Pki pki = Pki.ensure(dir, List.of(), List.of());
        byte[] ca = Files.readAllBytes(pki.caCert());
        byte[] caKey = Files.readAllBytes(pki.caKey());
        byte[] server = Files.readAllBytes(pki.serverCert());

        Pki.ensure(dir, List.of("New.Example.com"), List.of("2001:db8::1"));

        assertThat(Files.readAllBytes(pki.caCert())).isEqualTo(ca);
        assertThat(Files.readAllBytes(pki.caKey())).isEqualTo(caKey);
        assertThat(Files.readAllBytes(pki.serverCert())).isNotEqualTo(server);
        X509Certificate reissued = certificate(pki.serverCert());
        validatePath(reissued, certificate(pki.caCert()));
        assertThat(reissued.getSubjectAlternativeNames())
                .contains(List.of(2, "new.example.com"), List.of(7, "2001:db8:0:0:0:0:0:1"));
    }

    @Test
    void reissuesServingCertificateThatExpiresWithin30Days() throws Exception {
        Clock longAgo = Clock.fixed(Instant.now().minus(Duration.ofDays(340)), ZoneOffset.UTC);
        Pki pki = Pki.ensure(dir, List.of(), List.of(), longAgo);
        byte[] ca = Files.readAllBytes(pki.caCert());
        X509Certificate old = certificate(pki.serverCert());

        Pki.ensure(dir, List.of(), List.of());

        assertThat(Files.readAllBytes(pki.caCert())).isEqualTo(ca);
        X509Certificate renewed = certificate(pki.serverCert());
        assertThat(renewed.getNotAfter()).isAfter(old.getNotAfter());
        validatePath(renewed, certificate(pki.caCert()));
    }

    @Test
    void reissuesWhenServingKeyIsMissingOrDoesNotMatch() throws Exception {
        Pki pki = Pki.ensure(dir, List.of(), List.of());
        byte[] server = Files.readAllBytes(pki.serverCert());

        Files.delete(pki.serverKey());
        Pki.ensure(dir, List.of(), List.of());
        assertThat(Files.readAllBytes(pki.serverCert())).isNotEqualTo(server);

        // as a crash between writing the new key and the new certificate would leave it
        byte[] matching = Files.readAllBytes(pki.serverCert());
        Files.copy(pki.caKey(), pki.serverKey(), StandardCopyOption.REPLACE_EXISTING);
        Pki.ensure(dir, List.of(), List.of());
        assertThat(Files.readAllBytes(pki.serverCert())).isNotEqualTo(matching);
        assertThat(CertificateIssuer.isKeyOf(Pem.readPrivateKey(pki.serverKey(), "EC"), certificate(pki.serverCert())))
                .isTrue();
    }

    @Test
    void reissuesAServingCertificateOfAnotherCaAfterAVerifiedStart(@TempDir Path other) throws Exception {
        Pki pki = Pki.ensure(dir, List.of(), List.of());
        Pki.ensure(dir, List.of(), List.of());
        assertThat(dir.resolve("apiserver.crt.verified")).exists();
        byte[] server = Files.readAllBytes(pki.serverCert());

        // the operator replaces the CA: the serving pair still matches, but ca.crt did not sign it
        Pki replacement = Pki.ensure(other, List.of(), List.of());
        Files.copy(replacement.caCert(), pki.caCert(), StandardCopyOption.REPLACE_EXISTING);
        Files.copy(replacement.caKey(), pki.caKey(), StandardCopyOption.REPLACE_EXISTING);
        Pki.ensure(dir, List.of(), List.of());

        assertThat(Files.readAllBytes(pki.serverCert())).isNotEqualTo(server);
        validatePath(certificate(pki.serverCert()), certificate(pki.caCert()));
    }

    @Test
    void neverReplacesAnExistingCa() throws Exception {
        Pki pki = Pki.ensure(dir, List.of(), List.of());
        byte[] ca = Files.readAllBytes(pki.caCert());
        Files.delete(pki.caKey());

        // with the serving certificate still good, the CA key is not needed at all
        Pki.ensure(dir, List.of(), List.of());
        assertThatThrownBy(() -> Pki.ensure(dir, List.of("other.example"), List.of()))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("ca.key is missing");

        assertThat(Files.readAllBytes(pki.caCert())).isEqualTo(ca);
        assertThat(pki.caKey()).doesNotExist();
    }

    @Test
    void rejectsInvalidExtraNames() {
        assertThatThrownBy(() -> Pki.ensure(dir, List.of(), List.of("example.com")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("example.com");
        assertThatThrownBy(() -> Pki.ensure(dir, List.of("has space"), List.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(dir).isEmptyDirectory();
    }

    static X509Certificate certificate(Path file) throws Exception {
        try (var in = Files.newInputStream(file)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    private static void validatePath(X509Certificate server, X509Certificate ca) throws Exception {
        PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(ca, null)));
        params.setRevocationEnabled(false);
        CertPathValidator.getInstance("PKIX")
                .validate(CertificateFactory.getInstance("X.509").generateCertPath(List.of(server)), params);
    }

    private static List<byte[]> contents(Pki pki) throws IOException {
        return List.of(
                Files.readAllBytes(pki.caCert()),
                Files.readAllBytes(pki.caKey()),
                Files.readAllBytes(pki.serverCert()),
                Files.readAllBytes(pki.serverKey()));
    }
}
