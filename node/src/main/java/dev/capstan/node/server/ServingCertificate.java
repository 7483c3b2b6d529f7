package dev.capstan.node.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The agent's self-signed serving certificate, made once at its first start as the kubelet makes its own when it is
 * given none (CN {@code <node>@<unix time>}, SAN = the node's name and IPs, 127.0.0.1 and localhost). It is made with the
 * JDK's keytool (no crypto library needed): a PKCS12 keystore, its password in a file beside it, and the certificate in
 * PEM for whoever wants to pin it.
 *
 * @param keyStore the PKCS12 keystore holding the key and certificate under the alias {@code kubelet}
 * @param certificate the certificate in PEM
 */
public record ServingCertificate(Path keyStore, String password, Path certificate) {
    private static final String ALIAS = "kubelet";

    /** The certificate under {@code dir} (kubelet.p12, kubelet.p12.password, kubelet.crt), made if missing. */
    public static ServingCertificate ensure(Path dir, String nodeName, List<String> ips) {
        Path keyStore = dir.resolve("kubelet.p12");
        Path passwordFile = dir.resolve("kubelet.p12.password");
        Path certificate = dir.resolve("kubelet.crt");
        try {
            if (!Files.exists(keyStore) || !Files.exists(passwordFile) || !Files.exists(certificate)) {
                make(dir, nodeName, ips, keyStore, passwordFile, certificate);
            }
            return new ServingCertificate(
                    keyStore, Files.readString(passwordFile).strip(), certificate);
        } catch (IOException e) {
            throw new IllegalStateException(
                    "cannot make the serving certificate under " + dir + ": " + e.getMessage(), e);
        }
    }

    private static void make(
            Path dir, String nodeName, List<String> ips, Path keyStore, Path passwordFile, Path certificate)
            throws IOException {
        Files.createDirectories(dir);
        byte[] secret = new byte[24];
        new SecureRandom().nextBytes(secret);
        Path password = ownerOnly(dir.resolve("kubelet.p12.password.tmp"));
        Files.writeString(password, HexFormat.of().formatHex(secret));
        Path store = dir.resolve("kubelet.p12.tmp");
        Files.deleteIfExists(store);
        Set<String> san = new LinkedHashSet<>();
        san.add("dns:" + nodeName);
        san.add("dns:localhost");
        san.add("ip:127.0.0.1");
        ips.forEach(ip -> san.add("ip:" + ip));
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
                password.toString()));
        Path pem = dir.resolve("kubelet.crt.tmp");
        Files.deleteIfExists(pem);
        keytool(List.of(
                "-exportcert",
                "-rfc",
                "-alias",
                ALIAS,
                "-file",
                pem.toString(),
                "-keystore",
                store.toString(),
                "-storetype",
                "PKCS12",
                "-storepass:file",
                password.toString()));
        Files.setPosixFilePermissions(store, PosixFilePermissions.fromString("rw-------"));
        Files.move(pem, certificate, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        Files.move(store, keyStore, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        Files.move(password, passwordFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
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
