package dev.capstan.model.tls;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * A serving key and its certificate chain, read from PEM files (PKCS#8 "PRIVATE KEY", then "CERTIFICATE"s), and a key
 * manager that always presents them. Vert.x's PEM options would put the key into an in-memory PKCS12 keystore, whose
 * password-based encryption runs 10,000 iterations on every store and load: a second of CPU at start before the JIT
 * has compiled it.
 */
public record PemKeyPair(PrivateKey key, List<X509Certificate> chain) {
    private static final String ALIAS = "serving";
    /** The header of an unencrypted PKCS#8 key in PEM. */
    public static final String PKCS8_BEGIN = "-----BEGIN PRIVATE KEY-----";

    public PemKeyPair {
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("a serving key needs its certificate");
        }
        chain = List.copyOf(chain);
    }

    /** Reads {@code keyFile} (unencrypted PKCS#8) and {@code certificateFile} (the chain, leaf first). */
    public static PemKeyPair read(Path keyFile, Path certificateFile) throws IOException {
        List<X509Certificate> chain = readChain(certificateFile);
        return new PemKeyPair(readKey(keyFile, chain.get(0).getPublicKey().getAlgorithm()), chain);
    }

    /** Every PEM certificate in {@code certificateFile}, in order; at least one. */
    public static List<X509Certificate> readChain(Path certificateFile) throws IOException {
        List<X509Certificate> chain;
        try (InputStream in = Files.newInputStream(certificateFile)) {
            chain = CertificateFactory.getInstance("X.509").generateCertificates(in).stream()
                    .map(X509Certificate.class::cast)
                    .toList();
        } catch (GeneralSecurityException | ClassCastException e) {
            throw new IOException("not PEM X.509 certificates: " + certificateFile, e);
        }
        if (chain.isEmpty()) {
            throw new IOException("no certificate in " + certificateFile);
        }
        return chain;
    }

    /** Reads an unencrypted PKCS#8 PEM key ("BEGIN PRIVATE KEY") of the JCA {@code algorithm}, e.g. "EC". */
    public static PrivateKey readKey(Path keyFile, String algorithm) throws IOException {
        return parseKey(Files.readString(keyFile), algorithm, keyFile.toString());
    }

    /** As {@link #readKey}, from the file's text; {@code source} names it in errors. */
    public static PrivateKey parseKey(String pem, String algorithm, String source) throws IOException {
        int begin = pem.indexOf(PKCS8_BEGIN);
        int end = pem.indexOf("-----END PRIVATE KEY-----");
        if (begin < 0 || end < begin) {
            throw new IOException("not an unencrypted PKCS#8 PEM key (BEGIN PRIVATE KEY): " + source);
        }
        try {
            byte[] der = Base64.getMimeDecoder().decode(pem.substring(begin + PKCS8_BEGIN.length(), end));
            return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IOException("unusable " + algorithm + " private key in " + source, e);
        }
    }

    /** {@code der} as PEM of the given type ("PRIVATE KEY", "CERTIFICATE"): Base64 in lines of 64, as openssl writes. */
    public static String encode(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    /** A key manager for a server that presents this key and chain to every client. */
    public X509ExtendedKeyManager serverKeyManager() {
        X509Certificate[] certificates = chain.toArray(X509Certificate[]::new);
        String keyType = key.getAlgorithm();
        return new X509ExtendedKeyManager() {
            @Override
            public String chooseServerAlias(String type, Principal[] issuers, Socket socket) {
                return keyType.equals(type) ? ALIAS : null;
            }

            @Override
            public String chooseEngineServerAlias(String type, Principal[] issuers, SSLEngine engine) {
                return keyType.equals(type) ? ALIAS : null;
            }

            @Override
            public String[] getServerAliases(String type, Principal[] issuers) {
                return keyType.equals(type) ? new String[] {ALIAS} : null;
            }

            @Override
            public X509Certificate[] getCertificateChain(String alias) {
                return ALIAS.equals(alias) ? certificates.clone() : null;
            }

            @Override
            public PrivateKey getPrivateKey(String alias) {
                return ALIAS.equals(alias) ? key : null;
            }

            @Override
            public String[] getClientAliases(String type, Principal[] issuers) {
                return null;
            }

            @Override
            public String chooseClientAlias(String[] types, Principal[] issuers, Socket socket) {
                return null;
            }
        };
    }
}
