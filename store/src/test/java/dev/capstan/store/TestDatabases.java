package dev.capstan.store;

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
            try {
                server = EmbeddedDatabase.start(Files.createTempDirectory("capstan-store-it"), 0);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(server::close));
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

    static Path tempDir(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
