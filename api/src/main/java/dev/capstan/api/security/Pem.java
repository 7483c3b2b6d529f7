package dev.capstan.api.security;

import dev.capstan.model.tls.PemKeyPair;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;

/** PEM encoding of certificates and PKCS#8 keys, the formats Quarkus, kubectl and openssl all read. */
final class Pem {
    private Pem() {}

    static byte[] encode(X509Certificate cert) throws IOException {
        try {
            return encode("CERTIFICATE", cert.getEncoded());
        } catch (CertificateException e) {
            throw new IOException("cannot encode certificate " + cert.getSubjectX500Principal(), e);
        }
    }

    /** PKCS#8 ("PRIVATE KEY"): the JDK's encoding of every private key. */
    static byte[] encode(PrivateKey key) {
        return encode("PRIVATE KEY", key.getEncoded());
    }

    private static byte[] encode(String type, byte[] der) {
        String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
        return ("-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    /** Reads the first certificate in file. */
    static X509Certificate readCertificate(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        } catch (CertificateException | ClassCastException e) {
            throw new IOException("not a PEM X.509 certificate: " + file, e);
        }
    }

    /**
     * Reads an unencrypted private key in PKCS#8 or, for keys made with openssl, traditional ("EC PRIVATE KEY", "RSA
     * PRIVATE KEY") form. algorithm is the JCA key algorithm, e.g. that of the matching certificate's public key.
     */
    static PrivateKey readPrivateKey(Path file, String algorithm) throws IOException {
        // PKCS#8 with the JDK alone; Bouncy Castle's signed jars are verified on first use, a fifth of a second
        if (Files.readString(file, StandardCharsets.US_ASCII).contains(PemKeyPair.PKCS8_BEGIN)) {
            return PemKeyPair.readKey(file, algorithm);
        }
        return TraditionalKeys.read(file, algorithm);
    }

    /** The forms only openssl writes, read with Bouncy Castle. */
    private static final class TraditionalKeys {
        static PrivateKey read(Path file, String algorithm) throws IOException {
            Object pem;
            try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
                    PEMParser parser = new PEMParser(reader)) {
                pem = parser.readObject();
            }
            PrivateKeyInfo info;
            if (pem instanceof PrivateKeyInfo pkcs8) {
                info = pkcs8;
            } else if (pem instanceof PEMKeyPair pair) {
                info = pair.getPrivateKeyInfo();
            } else {
                throw new IOException("not an unencrypted PEM private key: " + file);
            }
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(info.getEncoded()));
            } catch (GeneralSecurityException e) {
                throw new IOException("unusable " + algorithm + " private key: " + file, e);
            }
        }
    }
}
