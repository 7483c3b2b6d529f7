package dev.capstan.node.server;

import dev.capstan.model.tls.PemKeyPair;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The agent's self-signed serving certificate, made once at its first start as the kubelet makes its own when it is
 * given none (CN {@code <node>@<unix time>}, SAN = the node's name and IPs, 127.0.0.1 and localhost). It is made with
 * the JDK's keytool (no crypto library needed) and kept as PEM: the key in PKCS#8, owner-only, and the certificate for
 * whoever wants to pin it. keytool's PKCS12 keystore is only a step: reading one costs three rounds of 10,000
 * password iterations, which took a second of the agent's start on two cores.
 *
 * @param key the private key, PKCS#8 PEM
 * @param certificate the certificate in PEM
 */
public record ServingCertificate(Path key, Path certificate) {
    private static final String ALIAS = "kubelet";

    /** The certificate under {@code dir} (kubelet.key, kubelet.crt), made if missing. */
    public static ServingCertificate ensure(Path dir, String nodeName, List<String> ips) {
        Path key = dir.resolve("kubelet.key");
        Path certificate = dir.resolve("kubelet.crt");
        try {
            if (!Files.exists(key) || !Files.exists(certificate)) {
                Path olderStore = dir.resolve("kubelet.p12");
                Path olderPassword = dir.resolve("kubelet.p12.password");
                if (Files.exists(olderStore) && Files.exists(olderPassword) && Files.exists(certificate)) {
                    // kept by an agent before PEM: the same key and certificate, so whoever pinned it still can
                    writePem(olderStore, Files.readString(olderPassword).strip(), key, null);
                } else {
                    make(dir, nodeName, ips, key, certificate);
                }
                Files.deleteIfExists(olderStore);
                Files.deleteIfExists(olderPassword);
            }
            return new ServingCertificate(key, certificate);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException(
                    "cannot make the serving certificate under " + dir + ": " + e.getMessage(), e);
        }
    }

    private static void make(Path dir, String nodeName, List<String> ips, Path key, Path certificate)
            throws IOException, GeneralSecurityException {
        Files.createDirectories(dir);
        byte[] secret = new byte[24];
        new SecureRandom().nextBytes(secret);
        String password = HexFormat.of().formatHex(secret);
        Path passwordFile = ownerOnly(dir.resolve("kubelet.password.tmp"));
        Files.writeString(passwordFile, password);
        Path store = dir.resolve("kubelet.p12.tmp");
        Files.deleteIfExists(store);
        Set<String> san = new LinkedHashSet<>();
        san.add("dns:" + nodeName);
        san.add("dns:localhost");
        san.add("ip:127.0.0.1");
        ips.forEach(ip -> san.add("ip:" + ip));
        try {
            keytool(List.of(
                    "-genkeypair",
                    "-alias",
                    ALIAS,
                    "-keyalg",
                    "EC",
                    "-groupname",
                    "secp256r1",
                    "-validity",
                    "3650",
                    "-dname",
                    "CN=" + nodeName + "@" + Instant.now().getEpochSecond(),
                    "-ext",
                    "SAN=" + String.join(",", san),
                    "-keystore",
                    store.toString(),
                    "-storetype",
                    "PKCS12",
                    "-storepass:file",
                    passwordFile.toString()));
            writePem(store, password, key, certificate);
        } finally {
            Files.deleteIfExists(store);
            Files.deleteIfExists(passwordFile);
        }
    }

    /**
     * Writes the keystore's key as owner-only PKCS#8 PEM to {@code key}, then, unless null, its certificate to
     * {@code certificate}; each atomically. Key first: a crash in between leaves no certificate, so the next start
     * makes both again.
     */
    private static void writePem(Path store, String password, Path key, Path certificate)
            throws IOException, GeneralSecurityException {
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keyStore.load(in, password.toCharArray());
        }
        Key privateKey = keyStore.getKey(ALIAS, password.toCharArray());
        Certificate cert = keyStore.getCertificate(ALIAS);
        if (privateKey == null || cert == null) {
            throw new GeneralSecurityException(store + " holds no key and certificate under the alias " + ALIAS);
        }
        write(key, PemKeyPair.encode("PRIVATE KEY", privateKey.getEncoded()), true);
        if (certificate != null) {
            write(certificate, PemKeyPair.encode("CERTIFICATE", cert.getEncoded()), false);
        }
    }

    private static void write(Path file, String content, boolean secret) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        if (secret) {
            ownerOnly(tmp);
        }
        Files.writeString(tmp, content);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static Path ownerOnly(Path file) throws IOException {
        Files.deleteIfExists(file);
        return Files.createFile(
                file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    }

    private static void keytool(List<String> args) throws IOException {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        List<String> command = new ArrayList<>();
        command.add(keytool.toString());
        command.add("-noprompt");
        command.addAll(args);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("keytool did not finish within 60 s");
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while keytool ran", e);
        }
        String output = new String(p.getInputStream().readAllBytes()).strip();
        if (p.exitValue() != 0) {
            throw new IOException(keytool + " failed (exit " + p.exitValue() + "): " + output
                    + "; the agent needs a JDK's keytool (java.home " + System.getProperty("java.home") + ")");
        }
    }
}
