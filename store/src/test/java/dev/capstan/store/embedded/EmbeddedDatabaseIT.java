package dev.capstan.store.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.security.auth.module.UnixSystem;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedDatabaseIT {

    @Test
    void keepsDataAcrossStopAndAFreshStartWithoutRerunningInitdb(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("state/pg"); // parents do not exist yet
        long clusterId;
        try (EmbeddedDatabase db = EmbeddedDatabase.start(dir, 0)) {
            assertThat(db.isRunning()).isTrue();
            assertThat(db.host()).isEqualTo("127.0.0.1");
            assertThat(db.port()).isPositive();
            assertThat(db.database()).isEqualTo("capstan");
            assertThat(db.user()).isEqualTo("capstan");
            try (Connection c = connect(db);
                    Statement s = c.createStatement()) {
                s.execute("CREATE TABLE kv (k text PRIMARY KEY, v text NOT NULL)");
                assertThat(s.executeUpdate("INSERT INTO kv VALUES ('/registry/pods/a', 'one')"))
                        .isEqualTo(1);
            }
            clusterId = clusterId(db);

            db.stop();
            assertThat(db.isRunning()).isFalse();
            assertThat(dir.resolve("postmaster.pid")).doesNotExist();
            assertThatThrownBy(() -> connect(db)).isInstanceOf(SQLException.class);
            db.stop(); // idempotent
            assertThat(db.isRunning()).isFalse();
        }

        try (EmbeddedDatabase again = EmbeddedDatabase.start(dir, 0);
                Connection c = connect(again);
                Statement s = c.createStatement()) {
            assertThat(again.isRunning()).isTrue();
            assertThat(valueOf(s, "/registry/pods/a")).isEqualTo("one");
            assertThat(clusterId(again)).as("initdb must not run again").isEqualTo(clusterId);
        }
    }

    @Test
    void restartKeepsPortAndData(@TempDir Path tmp) throws Exception {
        try (EmbeddedDatabase db = EmbeddedDatabase.start(tmp.resolve("pg"), 0)) {
            int port = db.port();
            try (Connection c = connect(db);
                    Statement s = c.createStatement()) {
                s.execute("CREATE TABLE kv (k text PRIMARY KEY, v text NOT NULL)");
                s.executeUpdate("INSERT INTO kv VALUES ('k', 'before restart')");
            }

            db.restart();

            assertThat(db.port()).isEqualTo(port);
            assertThat(db.isRunning()).isTrue();
            try (Connection c = connect(db);
                    Statement s = c.createStatement()) {
                assertThat(c.getMetaData().getURL()).contains(":" + port + "/");
                assertThat(valueOf(s, "k")).isEqualTo("before restart");
            }
        }
    }

    @Test
    void aStartBegunInTheBackgroundIsTakenOverByStart(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("pg");
        EmbeddedDatabase.startInBackground(dir, 0);

        try (EmbeddedDatabase db = EmbeddedDatabase.start(dir, 0)) {
            assertThat(db.isRunning()).isTrue();
            try (Connection c = connectAsSuperuser(db);
                    Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SHOW data_directory")) {
                rs.next();
                assertThat(Path.of(rs.getString(1)))
                        .isEqualTo(dir.toAbsolutePath().normalize());
            }
            // Taken over: nothing is left for the clean-up to stop.
            EmbeddedDatabase.stopBackgroundStarts();
            assertThat(db.isRunning()).isTrue();
        }
    }

    @Test
    void aBackgroundStartNobodyTakesOverIsStopped(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("pg");
        EmbeddedDatabase.startInBackground(dir, 0);

        EmbeddedDatabase.stopBackgroundStarts();

        // Stopped once the call returns: the directory is free for a server of its own.
        try (EmbeddedDatabase db = EmbeddedDatabase.start(dir, 0)) {
            assertThat(db.isRunning()).isTrue();
        }
    }

    @Test
    void runsWithDurableLoopbackOnlySettings(@TempDir Path tmp) throws Exception {
        try (EmbeddedDatabase db = EmbeddedDatabase.start(tmp.resolve("pg"), 0);
                Connection c = connectAsSuperuser(db);
                Statement s = c.createStatement()) {
            assertThat(setting(s, "fsync")).isEqualTo("on"); // zonky passes -F unless overridden
            assertThat(setting(s, "synchronous_commit")).isEqualTo("on");
            assertThat(setting(s, "full_page_writes")).isEqualTo("on");
            assertThat(setting(s, "listen_addresses")).isEqualTo("127.0.0.1");
            assertThat(setting(s, "unix_socket_directories")).isEmpty();
            assertThat(setting(s, "max_connections")).isEqualTo("200");
            assertThat(setting(s, "shared_buffers")).isEqualTo("128MB");
            assertThat(setting(s, "max_wal_size")).isEqualTo("1GB");
            assertThat(setting(s, "wal_level")).isEqualTo("minimal");
            assertThat(setting(s, "lc_collate")).isEqualTo("C");
            assertThat(setting(s, "server_encoding")).isEqualTo("UTF8");
        }
        assertThat(tmp.resolve("pg.log")).isNotEmptyFile();
    }

    @Test
    void refusesAPortThatIsTaken(@TempDir Path tmp) throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            assertThatThrownBy(() -> EmbeddedDatabase.start(tmp.resolve("pg"), port))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("Port " + port)
                    .hasMessageContaining("already in use")
                    .hasMessageContaining("port 0");
        }
    }

    @Test
    void refusesADataDirectoryThatCannotBeCreated(@TempDir Path tmp) throws Exception {
        Path file = Files.writeString(tmp.resolve("not-a-directory"), "x");
        assertThatThrownBy(() -> EmbeddedDatabase.start(file.resolve("pg"), 0))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("Cannot create data directory " + file.resolve("pg"))
                .hasMessageContaining("writable");
    }

    @Test
    void refusesAnIncompleteClusterAtOnce(@TempDir Path tmp) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("pg"));
        Files.writeString(dir.resolve("postgresql.conf"), "# left by an interrupted initdb\n");
        assertThatThrownBy(() -> EmbeddedDatabase.start(dir, 0))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("not a complete PostgreSQL cluster");
        assertThat(dir.resolve("postgresql.conf")).hasContent("# left by an interrupted initdb");
    }

    @Test
    void refusesASecondServerOnTheSameDirectory(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("pg");
        try (EmbeddedDatabase db = EmbeddedDatabase.start(dir, 0)) {
            assertThatThrownBy(() -> EmbeddedDatabase.start(dir, 0))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("already runs on data directory " + dir);
            assertThat(db.isRunning()).isTrue();
        }
    }

    @Test
    void asRootFallsBackToSetprivAndBack(@TempDir Path tmp) throws Exception {
        assumeTrue(new UnixSystem().getUid() == 0, "only root needs the setpriv launcher");
        assumeTrue(onPath("setpriv"), "setpriv (util-linux) is not installed");
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x")); // nobody must reach pg/
        Path dir = tmp.resolve("pg");
        System.setProperty(EmbeddedDatabase.FORCE_SETPRIV_PROPERTY, "true");
        try (EmbeddedDatabase db = EmbeddedDatabase.start(dir, 0)) {
            assertThat(Files.getAttribute(dir, "unix:uid")).isEqualTo(65534);
            try (Connection c = connect(db);
                    Statement s = c.createStatement()) {
                s.execute("CREATE TABLE kv (k text PRIMARY KEY, v text NOT NULL)");
                s.executeUpdate("INSERT INTO kv VALUES ('k', 'as nobody')");
            }
            int port = db.port();
            db.restart();
            assertThat(db.port()).isEqualTo(port);
            try (Connection c = connect(db);
                    Statement s = c.createStatement()) {
                assertThat(valueOf(s, "k")).isEqualTo("as nobody");
            }
            db.stop();
            assertThat(db.isRunning()).isFalse();
            db.stop();
        } finally {
            System.clearProperty(EmbeddedDatabase.FORCE_SETPRIV_PROPERTY);
        }

        // The default launcher takes the directory back (chown to root) and finds the data.
        try (EmbeddedDatabase db = EmbeddedDatabase.start(dir, 0);
                Connection c = connect(db);
                Statement s = c.createStatement()) {
            assertThat(valueOf(s, "k")).isEqualTo("as nobody");
        }
    }

    static Connection connect(EmbeddedDatabase db) throws SQLException {
        String url = "jdbc:postgresql://" + db.host() + ":" + db.port() + "/" + db.database();
        return DriverManager.getConnection(url, db.user(), db.password());
    }

    private static String valueOf(Statement s, String key) throws SQLException {
        try (ResultSet rs = s.executeQuery("SELECT v FROM kv WHERE k = '" + key + "'")) {
            assertThat(rs.next()).as("row %s exists", key).isTrue();
            return rs.getString(1);
        }
    }

    static Connection connectAsSuperuser(EmbeddedDatabase db) throws SQLException {
        String url = "jdbc:postgresql://" + db.host() + ":" + db.port() + "/" + db.database();
        return DriverManager.getConnection(url, db.superuser(), db.superuserPassword());
    }

    private static long clusterId(EmbeddedDatabase db) throws SQLException {
        try (Connection c = connectAsSuperuser(db);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT system_identifier FROM pg_control_system()")) {
            assertThat(rs.next()).isTrue();
            return rs.getLong(1);
        }
    }

    private static String setting(Statement s, String name) throws SQLException {
        try (ResultSet rs = s.executeQuery("SHOW " + name)) {
            assertThat(rs.next()).isTrue();
            return rs.getString(1);
        }
    }

    private static boolean onPath(String program) {
        return Stream.of(System.getenv("PATH").split(File.pathSeparator))
                .anyMatch(d -> Files.isExecutable(Path.of(d, program)));
    }
}
