package dev.capstan.store.internal;

import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Applies the versioned DDL under {@code db/} in order, each script in its own transaction, recording applied
 * versions in capstan_schema_version. An advisory lock lets several API servers start at once.
 *
 * <p>Why not Flyway or Liquibase: both need JDBC, a second driver and connection stack beside the reactive
 * client the store runs on, for what is an ordered list of scripts. This runner is the same idea in a page,
 * on the connection the store already has.
 */
final class SchemaMigrator {
    /** The scripts in order; a script's version is its number. Append, never edit an applied script. */
    static final List<String> SCRIPTS = List.of("V1__store.sql");

    private SchemaMigrator() {}

    static void migrate(Pool pool, String target) {
        Pg.await(pool.withConnection(SchemaMigrator::migrate), target);
    }

    private static io.vertx.core.Future<Void> migrate(SqlConnection conn) {
        return conn.query(Sql.MIGRATION_LOCK)
                .execute()
                .compose(locked -> conn.query(Sql.SCHEMA_VERSION_TABLE).execute())
                .compose(created -> conn.query(Sql.SCHEMA_VERSIONS).execute())
                .compose(rows -> {
                    Set<Integer> applied = new HashSet<>();
                    for (Row row : rows) {
                        applied.add(row.getInteger(0));
                    }
                    io.vertx.core.Future<Void> chain = io.vertx.core.Future.succeededFuture();
                    for (String script : SCRIPTS) {
                        int version = version(script);
                        if (!applied.contains(version)) {
                            chain = chain.compose(done -> apply(conn, script, version));
                        }
                    }
                    return chain;
                })
                .eventually(() -> conn.query(Sql.MIGRATION_UNLOCK).execute());
    }

    private static io.vertx.core.Future<Void> apply(SqlConnection conn, String script, int version) {
        String ddl = read(script);
        return conn.begin()
                .compose(tx -> conn.query(ddl)
                        .execute()
                        .compose(done -> conn.preparedQuery(Sql.RECORD_VERSION).execute(Tuple.of(version, script)))
                        .compose(done -> tx.commit()));
    }

    static int version(String script) {
        return Integer.parseInt(script.substring(1, script.indexOf("__")));
    }

    private static String read(String script) {
        try (InputStream in = SchemaMigrator.class.getResourceAsStream("/db/" + script)) {
            if (in == null) {
                throw new IllegalStateException("schema script db/" + script + " is missing from the store jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
