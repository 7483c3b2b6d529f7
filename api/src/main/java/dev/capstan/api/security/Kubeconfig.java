package dev.capstan.api.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Objects;

/** Writes the admin's kubeconfig: a fixed, small document, so plain text with quoted values needs no YAML library. */
public final class Kubeconfig {
    private static final String TEMPLATE = """
            apiVersion: v1
            kind: Config
            clusters:
            - name: capstan
              cluster:
                server: %s
                certificate-authority-data: %s
            users:
            - name: capstan-admin
              user:
                token: %s
            contexts:
            - name: capstan
              context:
                cluster: capstan
                user: capstan-admin
            current-context: capstan
            preferences: {}
            """;

    private Kubeconfig() {}

    /**
     * Writes a kubeconfig (YAML, mode 0600) with one cluster "capstan" (server URL, certificate-authority-data = base64
     * of the CA PEM), user "capstan-admin" (token), context "capstan" set as current. Creates parent dirs. Replaces
     * file entirely, so point it at a file of its own rather than a kubeconfig holding other clusters.
     */
    public static void write(Path file, String serverUrl, Path caCert, String token) throws IOException {
        Objects.requireNonNull(serverUrl, "serverUrl");
        Objects.requireNonNull(token, "token");
        Pem.readCertificate(caCert); // fail here rather than in kubectl, which reports a bad CA less clearly
        String caData = Base64.getEncoder().encodeToString(Files.readAllBytes(caCert));
        String yaml = TEMPLATE.formatted(quote(serverUrl), quote(caData), quote(token));
        SecureFiles.write(file, yaml.getBytes(StandardCharsets.UTF_8), true);
    }

    /**
     * A YAML double-quoted scalar. Everything but printable ASCII is escaped, so no value can end the string, start a
     * comment or a new key, or carry characters YAML forbids.
     */
    static String quote(String value) {
        StringBuilder out = new StringBuilder(value.length() + 2).append('"');
        value.codePoints().forEach(c -> {
            if (c == '"' || c == '\\') {
                out.append('\\').append((char) c);
            } else if (c >= 0x20 && c < 0x7f) {
                out.append((char) c);
            } else if (c <= 0xffff) {
                out.append(String.format("\\u%04x", c));
            } else {
                out.append(String.format("\\U%08x", c));
            }
        });
        return out.append('"').toString();
    }
}
