package dev.capstan.api.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdminTokenTest {
    @TempDir
    Path dir;

    @Test
    void createsTokenOnceAndKeepsIt() throws Exception {
        Path file = dir.resolve("state/admin.token");

        String token = AdminToken.ensure(file);

        assertThat(token).matches("[A-Za-z0-9_-]{43}");
        assertThat(Base64.getUrlDecoder().decode(token)).hasSize(32);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        assertThat(AdminToken.ensure(file)).isEqualTo(token);
        assertThat(AdminToken.ensure(dir.resolve("other.token"))).isNotEqualTo(token);
    }

    @Test
    void readsTokenPutInByOperator() throws Exception {
        Path file = dir.resolve("admin.token");
        Files.writeString(file, "  my-own-token\n");

        assertThat(AdminToken.ensure(file)).isEqualTo("my-own-token");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
    }

    @Test
    void replacesEmptyToken() throws Exception {
        Path file = dir.resolve("admin.token");
        Files.writeString(file, "\n");

        assertThat(AdminToken.ensure(file)).hasSize(43).isEqualTo(AdminToken.ensure(file));
    }

    @Test
    void matchesOnlyTheExactToken() throws Exception {
        String token = AdminToken.ensure(dir.resolve("admin.token"));

        assertThat(AdminToken.matches(token, new String(token))).isTrue();
        assertThat(AdminToken.matches(token, token.substring(1))).isFalse();
        assertThat(AdminToken.matches(token, token + "x")).isFalse();
        assertThat(AdminToken.matches(token, token.toUpperCase())).isFalse();
        assertThat(AdminToken.matches(token, "")).isFalse();
        assertThat(AdminToken.matches(token, null)).isFalse();
        assertThat(AdminToken.matches("", "")).isFalse();
        assertThat(AdminToken.matches(null, null)).isFalse();
    }
}
