package dev.capstan.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.security.auth.module.UnixSystem;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import io.zonky.test.db.postgres.util.LinuxUtils;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A data directory of the versions before password authentication (zonky's initdb -A trust, the store's tables in
 * the superuser's database postgres) is taken over on the first start: every row kept, no trust left, the tables
 * owned by the run-time role.
 */
class LegacyDataDirectoryIT {

    @Test
    void anEarlierVersionsDataDirectoryIsMigratedWithAllItsData(@TempDir Path tmp) throws Exception {
        assumeTrue(
                new UnixSystem().getUid() != 0 || LinuxUtils.isUnshareAvailable(),
                "zonky, which made the old directories, needs user namespaces as root");
        Path dir = tmp.resolve("state/data/postgres");
        Files.createDirectories(dir);
        Map<String, Long> written = new LinkedHashMap<>();
        long revision;
        // Exactly what the earlier EmbeddedDatabase did: zonky's start with these settings, store opened as postgres.
        try (EmbeddedPostgres old = EmbeddedPostgres.builder()
                .setDataDirectory(dir)
                .setCleanDataDirectory(false)
                .setLocaleConfig("locale", "C")
                .setServerConfig("listen_addresses", "127.0.0.1")
                .setServerConfig("unix_socket_directories", "''")
                .setServerConfig("fsync", "on")
                .setServerConfig("synchronous_commit", "on")
                .start()) {
            String url = "postgresql://postgres@127.0.0.1:" + old.getPort() + "/postgres";
            try (Store store = TestDatabases.open(url, Map.of())) {
                for (int i = 0; i < 50; i++) {
                    String key = "/registry/configmaps/default/cm" + i;
                    written.put(key, store.create(key, ("value " + i).getBytes(UTF_8)));
                }
                String first = written.keySet().iterator().next();
                written.put(first, store.update(first, "updated".getBytes(UTF_8), written.get(first)));
                revision = store.currentRevision();
            }
        }
        assertThat(Files.readString(dir.resolve("pg_hba.conf"))).contains("trust"); // really the old kind

        Map<String, String> settings = new HashMap<>();
        settings.put("capstan.store.embedded.data-dir", dir.toString());
        settings.put("capstan.store.compaction.interval", "0s");
        try (Store store = Stores.open(TestDatabases.vertx(), Stores.config(settings))) {
            assertThat(store.currentRevision()).isEqualTo(revision);
            for (var entry : written.entrySet()) {
                KeyValue kv = store.get(entry.getKey()).orElseThrow();
                assertThat(kv.modRevision()).isEqualTo(entry.getValue());
            }
            assertThat(new String(
                            store.get(written.keySet().iterator().next())
                                    .orElseThrow()
                                    .value(),
                            UTF_8))
                    .isEqualTo("updated");
            assertThat(store.list("/registry/configmaps/", 0, 0, "").items()).hasSize(50);
            // The history came along too: a watch replays it from the start.
            try (Watch watch = store.watch("/registry/", 1)) {
                assertThat(((WatchEvent.Change) watch.next()).revision()).isEqualTo(2);
            }
            long next = store.create("/registry/configmaps/default/after", "new".getBytes(UTF_8));
            assertThat(next).isEqualTo(revision + 1);

            String hba = Files.readString(dir.resolve("pg_hba.conf"));
            assertThat(hba.toLowerCase()).doesNotContain("trust");
            int port = Integer.parseInt(
                    Files.readAllLines(dir.resolve("postmaster.pid")).get(3).trim());
            assertThatThrownBy(() -> login(port, "postgres", null, "postgres"))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("password");
            String superuserPassword = Files.readString(dir.resolveSibling("postgres.superuser-password"))
                    .trim();
            try (Connection c = login(port, "postgres", superuserPassword, "capstan");
                    Statement s = c.createStatement()) {
                assertThat(owners(s, "SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'public'"))
                        .containsExactly("capstan");
                assertThat(owners(
                                s,
                                "SELECT DISTINCT pg_get_userbyid(proowner) FROM pg_proc p"
                                        + " JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'public'"))
                        .containsExactly("capstan");
                assertThat(owners(s, "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = 'capstan'"))
                        .containsExactly("capstan");
                assertThat(owners(s, "SELECT datname FROM pg_database WHERE datname = 'postgres'"))
                        .as("an empty postgres database for tools")
                        .containsExactly("postgres");
            }
        }
    }

    private static List<String> owners(Statement s, String query) throws SQLException {
        try (ResultSet rs = s.executeQuery(query)) {
            java.util.ArrayList<String> out = new java.util.ArrayList<>();
            while (rs.next()) {
                out.add(rs.getString(1));
            }
            return out;
        }
    }

    private static Connection login(int port, String user, String password, String database) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", user);
        if (password != null) {
            props.setProperty("password", password);
        }
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/" + database, props);
    }
}
