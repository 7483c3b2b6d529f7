package dev.capstan.store.embedded;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import org.jboss.logging.Logger;

/**
 * Brings a running cluster to the layout the API server expects, as the superuser, on every start: the run-time
 * role (LOGIN, nothing else; its password is set from its file each time) owns the store's database, its public
 * schema and everything in it. A data directory of the versions that kept the store in the superuser's
 * {@code postgres} database (trust auth) is converted in place: that database is renamed and handed over.
 */
final class ClusterSetup {
    private static final Logger LOG = Logger.getLogger(ClusterSetup.class);

    // Tables first: altering a table's owner also moves its indexes and owned sequences, which the loop then skips.
    private static final String OWN_EVERYTHING = """
            DO $$
            DECLARE
                r record;
                role oid := (SELECT oid FROM pg_roles WHERE rolname = current_setting('capstan.role'));
            BEGIN
                FOR r IN SELECT c.oid, c.relname, c.relkind FROM pg_class c
                           JOIN pg_namespace n ON n.oid = c.relnamespace
                          WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
                          ORDER BY c.relkind = 'S' LOOP
                    IF (SELECT relowner FROM pg_class WHERE oid = r.oid) <> role THEN
                        EXECUTE format('ALTER %s public.%I OWNER TO %I',
                            CASE r.relkind WHEN 'S' THEN 'SEQUENCE' WHEN 'v' THEN 'VIEW'
                                WHEN 'm' THEN 'MATERIALIZED VIEW' WHEN 'f' THEN 'FOREIGN TABLE' ELSE 'TABLE' END,
                            r.relname, current_setting('capstan.role'));
                    END IF;
                END LOOP;
                FOR r IN SELECT p.oid::regprocedure AS sig, p.prokind FROM pg_proc p
                           JOIN pg_namespace n ON n.oid = p.pronamespace
                          WHERE n.nspname = 'public' AND p.proowner <> role LOOP
                    EXECUTE format('ALTER %s %s OWNER TO %I',
                        CASE r.prokind WHEN 'p' THEN 'PROCEDURE' WHEN 'a' THEN 'AGGREGATE' ELSE 'FUNCTION' END,
                        r.sig, current_setting('capstan.role'));
                END LOOP;
            END $$""";

    private ClusterSetup() {}

    /**
     * Creates or updates {@code role} and its {@code database}; answers nothing, fails with an IOException that
     * says what to do.
     */
    static void apply(
            String host,
            int port,
            String superuser,
            String superuserPassword,
            String role,
            String password,
            String database,
            Path dataDirectory)
            throws IOException {
        try {
            // template1 always exists: a conversion interrupted between renaming postgres and creating it anew
            // must not keep every later start from connecting.
            try (Connection c = connect(host, port, "template1", superuser, superuserPassword);
                    Statement s = c.createStatement()) {
                requireServes(s, port, dataDirectory);
                String attributes = " LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS"
                        + " PASSWORD '" + password + "'"; // Base64url: no quote can end the literal
                if (exists(s, "SELECT 1 FROM pg_roles WHERE rolname = '" + role + "'")) {
                    s.execute("ALTER ROLE " + role + " WITH" + attributes);
                } else {
                    s.execute("CREATE ROLE " + role + attributes);
                }
                if (!exists(s, "SELECT 1 FROM pg_database WHERE datname = '" + database + "'")) {
                    if (exists(s, "SELECT 1 FROM pg_database WHERE datname = 'postgres'")
                            && holdsLegacyStore(host, port, superuser, superuserPassword)) {
                        adoptLegacyDatabase(s, database);
                    } else {
                        s.execute("CREATE DATABASE " + database + " OWNER " + role);
                    }
                }
                if (!exists(s, "SELECT 1 FROM pg_database WHERE datname = 'postgres'")) {
                    s.execute("CREATE DATABASE postgres"); // for tools that expect one
                }
            }
            try (Connection c = connect(host, port, database, superuser, superuserPassword);
                    Statement s = c.createStatement()) {
                s.execute("ALTER DATABASE " + database + " OWNER TO " + role);
                s.execute("REVOKE ALL ON DATABASE " + database + " FROM PUBLIC");
                s.execute("ALTER SCHEMA public OWNER TO " + role);
                s.execute("REVOKE ALL ON SCHEMA public FROM PUBLIC");
                s.execute("SET capstan.role = '" + role + "'");
                s.execute(OWN_EVERYTHING);
            }
        } catch (SQLException e) {
            throw new IOException(
                    "cannot set up the role " + role + " and database " + database + " as " + superuser + ": "
                            + e.getMessage()
                            + ("28P01".equals(e.getSQLState())
                                    ? " (the superuser's password file does not match the cluster: restart to reset it)"
                                    : ""),
                    e);
        }
    }

    /** Whether the superuser's {@code postgres} database holds the store of an earlier Capstan. */
    private static boolean holdsLegacyStore(String host, int port, String superuser, String password)
            throws SQLException {
        try (Connection c = connect(host, port, "postgres", superuser, password);
                Statement s = c.createStatement()) {
            return exists(s, "SELECT 1 WHERE to_regclass('public.capstan_schema_version') IS NOT NULL");
        }
    }

    /**
     * The store used to live in the {@code postgres} database: rename it (a rename keeps every row and needs no
     * copy); {@link #apply} then creates an empty {@code postgres} again.
     */
    private static void adoptLegacyDatabase(Statement s, String database) throws SQLException {
        LOG.infof(
                "moving the store from database postgres to %s, owned by its own role (a data directory of an"
                        + " earlier Capstan)",
                database);
        for (int attempt = 1; ; attempt++) {
            try {
                s.execute("ALTER DATABASE postgres RENAME TO " + database);
                return;
            } catch (SQLException e) {
                // 55006: an autovacuum worker is in it for a moment
                if (!"55006".equals(e.getSQLState()) || attempt == 50) {
                    throw e;
                }
                sleep(100);
            }
        }
    }

    private static void requireServes(Statement s, int port, Path dataDirectory) throws SQLException, IOException {
        // Another server on the port would have answered the readiness wait for ours; make sure it is ours.
        try (ResultSet rs = s.executeQuery("SHOW data_directory")) {
            rs.next();
            Path served = Path.of(rs.getString(1));
            if (!Files.isSameFile(served, dataDirectory)) {
                throw new IOException("port " + port + " is answered by the server of " + served);
            }
        }
    }

    private static boolean exists(Statement s, String query) throws SQLException {
        try (ResultSet rs = s.executeQuery(query)) {
            return rs.next();
        }
    }

    static Connection connect(String host, int port, String database, String user, String password)
            throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", user);
        props.setProperty("password", password);
        props.setProperty("connectTimeout", "10");
        props.setProperty("sslmode", "disable");
        // These sessions are the superuser's, in a database the run-time role owns: that role could otherwise put a
        // schema of its own first on the database's search_path and have the superuser run its functions.
        props.setProperty("options", "-c search_path=pg_catalog,pg_temp");
        return DriverManager.getConnection("jdbc:postgresql://" + host + ":" + port + "/" + database, props);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
