package dev.capstan.node.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServingCertificateTest {
    @TempDir
    Path dir;

    @Test
    void makesAnOwnerOnlyPemKeyThatBelongsToTheCertificate() throws Exception {
        ServingCertificate made = ServingCertificate.ensure(dir, "node-1", List.of("10.0.0.7"));

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(made.key())))
                .isEqualTo("rw-------");
        assertThat(files()).containsExactlyInAnyOrder("kubelet.key", "kubelet.crt");
        X509Certificate certificate = certificate(made.certificate());
        assertThat(certificate.getSubjectX500Principal().getName()).startsWith("CN=node-1@");
        assertThat(certificate.getSubjectAlternativeNames())
                .contains(
                        List.of(2, "node-1"), List.of(2, "localhost"), List.of(7, "127.0.0.1"), List.of(7, "10.0.0.7"));
        assertThat(belongTogether(made.key(), certificate)).isTrue();

        byte[] key = Files.readAllBytes(made.key());
        assertThat(ServingCertificate.ensure(dir, "node-1", List.of("10.0.0.7")))
                .isEqualTo(made);
        assertThat(Files.readAllBytes(made.key())).isEqualTo(key);
    }

    @Test
    void anEarlierAgentsKeystoreBecomesThePemKeyOfTheSameCertificate() throws Exception {
        // as agents before PEM left it: kubelet.p12, its password beside it, kubelet.crt
        Path password = Files.writeString(dir.resolve("kubelet.p12.password"), "secret-password\n");
        Path store = dir.resolve("kubelet.p12");
        keytool(
                store,
                password,
                "-genkeypair",
                "-alias",
                "kubelet",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                "CN=node-1@1");
        keytool(
                store,
                password,
                "-exportcert",
                "-rfc",
                "-alias",
                "kubelet",
                "-file",
                dir.resolve("kubelet.crt").toString());
        byte[] pinned = Files.readAllBytes(dir.resolve("kubelet.crt"));

        ServingCertificate converted = ServingCertificate.ensure(dir, "node-1", List.of());

        assertThat(Files.readAllBytes(converted.certificate())).isEqualTo(pinned);
        assertThat(belongTogether(converted.key(), certificate(converted.certificate())))
                .isTrue();
        assertThat(files()).containsExactlyInAnyOrder("kubelet.key", "kubelet.crt");
    }

    private List<String> files() throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).toList();
        }
    }

    private static X509Certificate certificate(Path pem) throws Exception {
        try (InputStream in = Files.newInputStream(pem)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    private static boolean belongTogether(Path keyPem, X509Certificate certificate) throws Exception {
        String base64 = Files.readString(keyPem)
                .replace("-----BEGIN PRIVATE KEY-----", "")
                .replace("-----END PRIVATE KEY-----", "")
                .replaceAll("\\s", "");
        PrivateKey key = KeyFactory.getInstance("EC")
                .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(key);
        signer.update(new byte[] {1, 2, 3});
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance("SHA256withECDSA");
        verifier.initVerify(certificate.getPublicKey());
        verifier.update(new byte[] {1, 2, 3});
        return verifier.verify(signature);
    }

    private static void keytool(Path store, Path password, String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.add("-noprompt");
        command.addAll(List.of(args));
        command.addAll(
                List.of("-keystore", store.toString(), "-storetype", "PKCS12", "-storepass:file", password.toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue())
                .as(new String(process.getInputStream().readAllBytes()))
                .isZero();
    }
}
