package dev.capstan.store;

import dev.capstan.model.files.FileTrees;
import dev.capstan.store.embedded.EmbeddedDatabase;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * One embedded PostgreSQL server for the test JVM; every test class takes a fresh database on it, so classes
 * never see each other's revisions or compactions.
 */
final class TestDatabases {
    private static EmbeddedDatabase server;
    private static Vertx vertx;

    private TestDatabases() {}

    static synchronized EmbeddedDatabase server() {
        if (server == null) {
            Path scratch;
            try {
                scratch = Files.createTempDirectory("capstan-store-it");
                server = EmbeddedDatabase.start(scratch.resolve("pg"), 0);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            EmbeddedDatabase started = server;
            // one hook, so the data directory goes only after the server has stopped
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                started.close();
                try {
                    FileTrees.delete(scratch);
                } catch (IOException e) {
                    System.err.println("could not remove " + scratch + ": " + e.getMessage());
                }
            }));
        }
        return server;
    }

    static synchronized Vertx vertx() {
        if (vertx == null) {
            vertx = Vertx.vertx();
        }
        return vertx;
    }

    /** Creates an empty database on {@code db} and answers its URL. */
    static String freshDatabase(EmbeddedDatabase db) {
        String name = "t_" + UUID.randomUUID().toString().replace("-", "");
        String admin = "jdbc:postgresql://" + db.host() + ":" + db.port() + "/postgres";
        try (Connection conn = DriverManager.getConnection(admin, db.superuser(), db.superuserPassword())) {
            conn.createStatement().execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return url(db, name);
    }

    /** A URL of {@code database} on {@code db}, as its superuser (the tests' databases are the superuser's). */
    static String url(EmbeddedDatabase db, String database) {
        return "postgresql://" + db.superuser() + ":" + db.superuserPassword() + "@" + db.host() + ":" + db.port() + "/"
                + database;
    }

    static Store open(String url, Map<String, String> settings) {
        Map<String, String> properties = new HashMap<>(settings);
        properties.put("capstan.store.url", url);
        properties.putIfAbsent("capstan.store.compaction.interval", "0s");
        return Stores.open(vertx(), Stores.config(properties));
    }

    static Store openFresh() {
        return open(freshDatabase(server()), Map.of());
    }

    /**
     * A data directory for a server of a test's own, in a scratch directory (which also takes the server's log and
     * password files beside it) removed when the JVM exits: the test closes its server before that.
     */
    static Path tempDir(String prefix) {
        try {
            Path scratch = Files.createTempDirectory(prefix);
            FileTrees.deleteAtExit(scratch);
            return scratch.resolve("pg");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
