package dev.capstan.api.security;

import dev.capstan.model.tls.PemKeyPair;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

/** PEM files in dir: ca.crt, ca.key, apiserver.crt, apiserver.key (keys 0600). */
public record Pki(Path caCert, Path caKey, Path serverCert, Path serverKey) {
    /** Re-issue this long before expiry, so a server restarted now and then never serves an expired certificate. */
    static final Duration RENEW_BEFORE = Duration.ofDays(30);

    /**
     * Loads the PKI in dir, creating what is missing: a self-signed CA (10 years, CN "capstan-ca", basicConstraints
     * CA:true, keyUsage keyCertSign|cRLSign) and a serving certificate signed by it (1 year, CN "capstan-apiserver",
     * extendedKeyUsage serverAuth, SANs: DNS localhost, kubernetes, kubernetes.default, kubernetes.default.svc,
     * kubernetes.default.svc.cluster.local, the machine's hostname, plus extraDnsNames; IPs 127.0.0.1, ::1, plus
     * extraIps). If the serving cert exists but lacks a requested SAN or expires within 30 days, it is re-issued from
     * the same CA (the CA is never replaced once it exists, so kubeconfigs stay valid). Keys are EC P-256 (fast to
     * generate) in PKCS#8 PEM ("PRIVATE KEY"); certificates are "CERTIFICATE" PEM.
     *
     * <p>The serving pair is also re-issued when it is unreadable, its key is missing or does not match, or it was not
     * signed by ca.crt; apiserver.crt.verified records the digest of the files that last passed those checks, which
     * are not repeated while the files stay the same. The CA exists once ca.crt does; ca.key is only needed to issue,
     * so it may be kept offline.
     *
     * @throws IllegalArgumentException if an extra DNS name is blank or not printable ASCII, or an extra IP is not an
     *     IP literal
     * @throws IOException if the CA is unreadable, or a certificate must be issued and ca.key is missing or the CA has
     *     expired
     */
    public static Pki ensure(Path dir, List<String> extraDnsNames, List<String> extraIps) throws IOException {
        return ensure(dir, extraDnsNames, extraIps, Clock.systemUTC());
    }

    static Pki ensure(Path dir, List<String> extraDnsNames, List<String> extraIps, Clock clock) throws IOException {
        SubjectAltNames names = SubjectAltNames.of(extraDnsNames, extraIps);
        SecureFiles.createDirectories(dir);
        Pki pki = new Pki(
                dir.resolve("ca.crt"),
                dir.resolve("ca.key"),
                dir.resolve("apiserver.crt"),
                dir.resolve("apiserver.key"));
        Instant now = clock.instant();
        X509Certificate ca = pki.ensureCa(now);
        pki.ensureServing(ca, names, now);
        for (Path key : List.of(pki.caKey, pki.serverKey)) {
            if (Files.exists(key)) {
                SecureFiles.restrictToOwner(key);
            }
        }
        return pki;
    }

    /** The serving key and its chain, as the API server's TLS listener presents them. */
    public PemKeyPair servingKeyPair() throws IOException {
        List<X509Certificate> chain = PemKeyPair.readChain(serverCert);
        return new PemKeyPair(
                Pem.readPrivateKey(serverKey, chain.get(0).getPublicKey().getAlgorithm()), chain);
    }

    private X509Certificate ensureCa(Instant now) throws IOException {
        if (Files.exists(caCert)) {
            return Pem.readCertificate(caCert);
        }
        // A ca.key without ca.crt is left over from a crash between the two writes below: no client can trust a CA
        // whose certificate never existed, so replacing that key breaks nothing.
        KeyPair keys = CertificateIssuer.newKeyPair();
        X509Certificate ca = CertificateIssuer.selfSignedCa(keys, now);
        SecureFiles.write(caKey, Pem.encode(keys.getPrivate()), true);
        SecureFiles.write(caCert, Pem.encode(ca), false);
        return ca;
    }

    private void ensureServing(X509Certificate ca, SubjectAltNames names, Instant now) throws IOException {
        if (servingUsable(ca, names, now)) {
            return;
        }
        if (!Files.exists(caKey)) {
            throw new IOException("cannot issue a serving certificate: " + caKey + " is missing; restore it, or delete "
                    + caCert + " to create a new CA (existing kubeconfigs then stop working)");
        }
        if (!now.isBefore(ca.getNotAfter().toInstant())) {
            throw new IOException(
                    "the CA in " + caCert + " expired at " + ca.getNotAfter().toInstant() + "; delete " + caCert
                            + " and " + caKey + " to create a new one, then rewrite the kubeconfigs");
        }
        PrivateKey caPrivate = Pem.readPrivateKey(caKey, ca.getPublicKey().getAlgorithm());
        KeyPair keys = CertificateIssuer.newKeyPair();
        X509Certificate cert = CertificateIssuer.serving(ca, caPrivate, keys.getPublic(), names, now);
        // Key first: a crash in between leaves a mismatched pair, which the next start detects and re-issues.
        SecureFiles.write(serverKey, Pem.encode(keys.getPrivate()), true);
        SecureFiles.write(serverCert, Pem.encode(cert), false);
        try {
            writeVerified(filesDigest());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private boolean servingUsable(X509Certificate ca, SubjectAltNames names, Instant now) {
        if (!Files.exists(serverCert) || !Files.exists(serverKey)) {
            return false;
        }
        try {
            X509Certificate cert = Pem.readCertificate(serverCert);
            if (!cert.getNotAfter().toInstant().isAfter(now.plus(RENEW_BEFORE)) || !names.coveredBy(cert)) {
                return false;
            }
            // The signature and key checks cost half a second of CPU at each start (EC arithmetic before the JIT has
            // compiled it); files that passed them before, byte for byte, need not pass them again.
            String digest = filesDigest();
            if (digest.equals(readVerified())) {
                return true;
            }
            cert.verify(ca.getPublicKey());
            if (!CertificateIssuer.isKeyOf(
                    Pem.readPrivateKey(serverKey, cert.getPublicKey().getAlgorithm()), cert)) {
                return false;
            }
            writeVerified(digest);
            return true;
        } catch (IOException | GeneralSecurityException e) {
            return false; // unreadable or signed by another CA: replace it, the CA is what clients pin
        }
    }

    /** Holds {@link #filesDigest()} of the CA and serving files last found to belong together. */
    private Path verifiedStamp() {
        return serverCert.resolveSibling(serverCert.getFileName() + ".verified");
    }

    /** Best effort: a directory that is not writable costs the checks at each start, nothing else. */
    private void writeVerified(String digest) {
        try {
            Files.writeString(verifiedStamp(), digest);
        } catch (IOException e) {
            // checked again at the next start
        }
    }

    private String readVerified() throws IOException {
        Path stamp = verifiedStamp();
        return Files.exists(stamp) ? Files.readString(stamp).strip() : "";
    }

    /** SHA-256 of each of ca.crt, the serving certificate and its key, hex, one after the other. */
    private String filesDigest() throws IOException, GeneralSecurityException {
        StringBuilder digest = new StringBuilder();
        for (Path file : List.of(caCert, serverCert, serverKey)) {
            digest.append(HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file))));
        }
        return digest.toString();
    }
}
