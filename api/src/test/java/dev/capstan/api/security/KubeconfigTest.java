package dev.capstan.api.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.capstan.api.Kubectl;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KubeconfigTest {
    @TempDir
    Path dir;

    @Test
    void writesKubeconfigThatKubectlReads() throws Exception {
        Pki pki = Pki.ensure(dir.resolve("pki"), List.of(), List.of());
        Path file = dir.resolve("home/.kube/capstan.yaml");

        Kubeconfig.write(file, "https://127.0.0.1:6443", pki.caCert(), "tok-en_1");

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        assertThat(Files.readString(file)).contains("current-context: capstan\n");

        Kubectl.require();
        assertThat(view(file, "{.current-context}")).isEqualTo("capstan");
        assertThat(view(file, "{.clusters[0].name}")).isEqualTo("capstan");
        assertThat(view(file, "{.clusters[0].cluster.server}")).isEqualTo("https://127.0.0.1:6443");
        assertThat(Base64.getDecoder().decode(view(file, "{.clusters[0].cluster.certificate-authority-data}")))
                .isEqualTo(Files.readAllBytes(pki.caCert()));
        assertThat(view(file, "{.users[0].name}")).isEqualTo("capstan-admin");
        assertThat(view(file, "{.users[0].user.token}")).isEqualTo("tok-en_1");
        assertThat(view(file, "{.contexts[0].name}")).isEqualTo("capstan");
        assertThat(view(file, "{.contexts[0].context.cluster}")).isEqualTo("capstan");
        assertThat(view(file, "{.contexts[0].context.user}")).isEqualTo("capstan-admin");
    }

    @Test
    void quotesValuesThatWouldBreakYaml() throws Exception {
        Pki pki = Pki.ensure(dir.resolve("pki"), List.of(), List.of());
        Path file = dir.resolve("kubeconfig");
        String token = "a\"b\\c: #d\n- 'e'\té \u2028 \uD83D\uDE00 {x} &y *z";

        Kubeconfig.write(file, "https://[::1]:6443/p?q=1#f", pki.caCert(), token);

        assertThat(Files.readString(file).lines()).hasSize(18);
        Kubectl.require();
        assertThat(view(file, "{.users[0].user.token}")).isEqualTo(token);
        assertThat(view(file, "{.clusters[0].cluster.server}")).isEqualTo("https://[::1]:6443/p?q=1#f");
    }

    @Test
    void rejectsSomethingThatIsNotACertificate() throws Exception {
        Path notCert = Files.writeString(dir.resolve("ca.crt"), "hello");

        assertThatThrownBy(() -> Kubeconfig.write(dir.resolve("k"), "https://x", notCert, "t"))
                .isInstanceOf(IOException.class);
        assertThat(dir.resolve("k")).doesNotExist();
    }

    private String view(Path kubeconfig, String jsonPath) throws Exception {
        Commands.Result result = Commands.run(
                dir,
                List.of(
                        "kubectl",
                        "--kubeconfig",
                        kubeconfig.toString(),
                        "config",
                        "view",
                        "--raw",
                        "-o",
                        "jsonpath=" + jsonPath));
        assertThat(result.exitCode()).as(result.stderr()).isZero();
        return result.stdout();
    }
}
