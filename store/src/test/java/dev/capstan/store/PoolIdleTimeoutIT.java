package dev.capstan.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.capstan.store.embedded.EmbeddedDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Pooled connections a burst opened are closed once idle, so an idle API server keeps few PostgreSQL backends. */
class PoolIdleTimeoutIT {

    @Test
    void connectionsOpenedByABurstAreClosedWhenIdle() throws Exception {
        EmbeddedDatabase db = TestDatabases.server();
        String url = TestDatabases.freshDatabase(db);
        String database = url.substring(url.lastIndexOf('/') + 1);
        try (Store store = TestDatabases.open(
                        url, Map.of("capstan.store.pool.size", "6", "capstan.store.pool.idle-timeout", "1s"));
                ExecutorService readers = Executors.newFixedThreadPool(12)) {
            store.create("/registry/configmaps/default/a", new byte[] {1});
            int peak = 0;
            for (int round = 0; round < 20 && peak < 4; round++) {
                List<Future<?>> reads = new ArrayList<>();
                for (int i = 0; i < 200; i++) {
                    reads.add(readers.submit(() -> store.list("/registry/", 0, 500, "")));
                }
                peak = Math.max(peak, backends(db, database));
                for (Future<?> read : reads) {
                    read.get();
                }
            }
            assertThat(peak).as("backends while 12 threads read").isGreaterThanOrEqualTo(4);

            // the change log reader keeps its own connection; the pool's go after a second unused
            await().atMost(Duration.ofSeconds(15)).until(() -> backends(db, database) <= 2);
            assertThat(store.get("/registry/configmaps/default/a")).isPresent();
        }
    }

    private static int backends(EmbeddedDatabase db, String database) throws SQLException {
        String admin = "jdbc:postgresql://" + db.host() + ":" + db.port() + "/postgres";
        try (Connection conn = DriverManager.getConnection(admin, db.superuser(), db.superuserPassword());
                ResultSet rows = conn.createStatement()
                        .executeQuery("SELECT count(*) FROM pg_stat_activity WHERE datname = '" + database + "'")) {
            rows.next();
            return rows.getInt(1);
        }
    }
}
