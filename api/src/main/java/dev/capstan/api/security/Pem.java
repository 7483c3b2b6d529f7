package dev.capstan.api.security;

import dev.capstan.model.tls.PemKeyPair;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
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
        return PemKeyPair.encode(type, der).getBytes(StandardCharsets.US_ASCII);
    }

    /** Reads the first certificate in file. */
    static X509Certificate readCertificate(Path file) throws IOException {
        return PemKeyPair.readChain(file).get(0);
    }

    /**
     * Reads an unencrypted private key in PKCS#8 or, for keys made with openssl, traditional ("EC PRIVATE KEY", "RSA
     * PRIVATE KEY") form. algorithm is the JCA key algorithm, e.g. that of the matching certificate's public key.
     */
    static PrivateKey readPrivateKey(Path file, String algorithm) throws IOException {
        String pem = Files.readString(file, StandardCharsets.US_ASCII);
        // PKCS#8 with the JDK alone; Bouncy Castle's signed jars are verified on first use, a fifth of a second
        if (pem.contains(PemKeyPair.PKCS8_BEGIN)) {
            return PemKeyPair.parseKey(pem, algorithm, file.toString());
        }
        return TraditionalKeys.read(pem, file, algorithm);
    }

    /** The forms only openssl writes, read with Bouncy Castle. */
    private static final class TraditionalKeys {
        static PrivateKey read(String text, Path file, String algorithm) throws IOException {
            Object pem;
            try (PEMParser parser = new PEMParser(new StringReader(text))) {
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
