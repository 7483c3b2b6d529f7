package dev.capstan.store.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.security.auth.module.UnixSystem;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Who may log in to the embedded server, and with what rights: only holders of the password files. */
class EmbeddedDatabaseSecurityIT {
    @TempDir
    static Path tmp;

    private static EmbeddedDatabase db;

    @BeforeAll
    static void start() throws Exception {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x")); // nobody may traverse
        db = EmbeddedDatabase.start(tmp.resolve("pg"), 0);
    }

    @AfterAll
    static void stop() {
        db.stop();
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgres", "capstan"})
    void refusesLoginsWithoutTheRightPassword(String user) throws Exception {
        for (String database : List.of("postgres", "capstan", "template1")) {
            // Refused either way: for a password, or (capstan outside its own database) with no rule at all.
            String refused = "(?s).*(password|no pg_hba.conf entry).*";
            for (String password : new String[] {null, "", "guessed"}) {
                assertThatThrownBy(() -> login(user, password, database))
                        .as("%s with password %s on %s", user, password, database)
                        .isInstanceOf(SQLException.class)
                        .hasMessageMatching(refused);
            }
            assertThatThrownBy(() -> login(user, "guessed", database))
                    .isInstanceOf(SQLException.class)
                    .hasMessageMatching("(?s).*(password authentication failed|no pg_hba.conf entry).*");
        }
        String right = user.equals("postgres") ? db.superuserPassword() : db.password();
        try (Connection c = login(user, right, "capstan")) {
            assertThat(c.isValid(5)).isTrue();
        }
    }

    @Test
    void theRunTimeRoleIsNoSuperuserAndCannotReadFiles() throws Exception {
        try (Connection c = EmbeddedDatabaseIT.connect(db);
                Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT rolsuper, rolcreaterole, rolcreatedb, rolreplication,"
                    + " rolbypassrls FROM pg_roles WHERE rolname = current_user")) {
                assertThat(rs.next()).isTrue();
                for (int i = 1; i <= 5; i++) {
                    assertThat(rs.getBoolean(i))
                            .as("attribute %d of the run-time role", i)
                            .isFalse();
                }
            }
            // The admin token lies beside the data directory as the password files do.
            for (String file : List.of("PG_VERSION", db.passwordFile().toString(), "/etc/passwd")) {
                assertThatThrownBy(() -> s.executeQuery("SELECT pg_read_file('" + file + "')"))
                        .isInstanceOf(SQLException.class)
                        .hasMessageContaining("permission denied");
            }
            assertThatThrownBy(() -> s.execute("COPY (SELECT 1) TO PROGRAM 'true'"))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("must be superuser");
            assertThatThrownBy(() -> s.execute("CREATE ROLE intruder"))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("permission denied");
            assertThatThrownBy(() -> s.execute("CREATE DATABASE other"))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("permission denied");
            // ... while it owns its database's schema, so the store can create and migrate its tables.
            s.execute("CREATE TABLE owned_here (k int)");
            s.execute("DROP TABLE owned_here");
        }
    }

    @Test
    void passwordFilesAreTheOwnersOnlyAndPgHbaHasNoTrust() throws Exception {
        for (Path file : List.of(db.passwordFile(), db.superuserPasswordFile())) {
            assertThat(file.getParent()).isEqualTo(db.dataDirectory().getParent()); // not inside the data directory
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                    .isEqualTo("rw-------");
            assertThat(Files.getAttribute(file, "unix:uid")).isEqualTo((int) new UnixSystem().getUid());
        }
        assertThat(db.password()).isNotEqualTo(db.superuserPassword()).hasSizeGreaterThanOrEqualTo(40);

        String hba = Files.readString(db.dataDirectory().resolve("pg_hba.conf"), StandardCharsets.UTF_8);
        assertThat(hba.toLowerCase()).doesNotContain("trust");
        List<String> rules =
                hba.lines().filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
        assertThat(rules)
                .isNotEmpty()
                .allSatisfy(rule -> assertThat(rule)
                        .startsWith("host ")
                        .contains("127.0.0.1/32")
                        .endsWith("scram-sha-256"));
        // What the server actually loaded, not only what the file says.
        try (Connection c = EmbeddedDatabaseIT.connectAsSuperuser(db);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT DISTINCT type, auth_method, address FROM pg_hba_file_rules")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("host");
            assertThat(rs.getString(2)).isEqualTo("scram-sha-256");
            assertThat(rs.getString(3)).isEqualTo("127.0.0.1");
            assertThat(rs.next()).isFalse();
        }
    }

    @Test
    void anotherLocalUserGetsNeitherALoginNorThePasswords() throws Exception {
        assumeTrue(new UnixSystem().getUid() == 0, "needs root to act as another user");
        assumeTrue(onPath("setpriv") && onPath("psql"), "needs setpriv and psql");
        // psql as nobody, the way any local account would try: no password, and the passwords' files are closed.
        Result psql = asNobody(
                "psql",
                "-h",
                "127.0.0.1",
                "-p",
                Integer.toString(db.port()),
                "-U",
                "postgres",
                "-w",
                "-d",
                "postgres",
                "-c",
                "SELECT 1");
        assertThat(psql.status()).isNotZero();
        assertThat(psql.output()).contains("no password supplied");
        for (Path file : List.of(db.passwordFile(), db.superuserPasswordFile())) {
            Result cat = asNobody("cat", file.toString());
            assertThat(cat.status()).isNotZero();
            assertThat(cat.output()).contains("Permission denied");
        }
    }

    private record Result(int status, String output) {}

    private static Result asNobody(String... command) throws Exception {
        List<String> full = new ArrayList<>(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"));
        full.addAll(List.of(command));
        Process p = new ProcessBuilder(full).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), output);
    }

    private static Connection login(String user, String password, String database) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", user);
        if (password != null) {
            props.setProperty("password", password);
        }
        props.setProperty("connectTimeout", "5");
        return DriverManager.getConnection("jdbc:postgresql://" + db.host() + ":" + db.port() + "/" + database, props);
    }

    private static boolean onPath(String program) {
        return Stream.of(System.getenv("PATH").split(File.pathSeparator))
                .anyMatch(d -> Files.isExecutable(Path.of(d, program)));
    }

    @Test
    void theRunTimeRoleCannotHaveTheSuperuserRunItsFunctionsAtTheNextStart() throws Exception {
        // The role owns its database, so it may set the database's search_path; the superuser's set-up at the next
        // start must not resolve a name to the role's own schema.
        try (Connection c = EmbeddedDatabaseIT.connect(db);
                Statement s = c.createStatement()) {
            s.execute("ALTER DATABASE " + db.database() + " SET search_path = public, pg_catalog");
            s.execute("CREATE FUNCTION public.current_setting(text) RETURNS text LANGUAGE plpgsql AS"
                    + " $$BEGIN EXECUTE 'ALTER ROLE " + db.user() + " SUPERUSER'; RETURN '" + db.user() + "'; END$$");
        }
        db.restart();
        try (Connection c = EmbeddedDatabaseIT.connect(db);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getBoolean(1)).as("the run-time role after a start").isFalse();
            s.execute("DROP FUNCTION public.current_setting(text)");
            s.execute("ALTER DATABASE " + db.database() + " RESET search_path");
        }
    }

    @Test
    void aStartAfterAConversionStoppedHalfwayCreatesThePostgresDatabaseAgain() throws Exception {
        // A conversion renames postgres to the store's database, then creates postgres anew; a crash between the two
        // used to leave every later start unable to connect.
        try (Connection c = ClusterSetup.connect(
                        db.host(), db.port(), "template1", db.superuser(), db.superuserPassword());
                Statement s = c.createStatement()) {
            s.execute("DROP DATABASE postgres");
        }
        db.restart();
        try (Connection c =
                        ClusterSetup.connect(db.host(), db.port(), "postgres", db.superuser(), db.superuserPassword());
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT current_database()")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("postgres");
        }
    }
}
