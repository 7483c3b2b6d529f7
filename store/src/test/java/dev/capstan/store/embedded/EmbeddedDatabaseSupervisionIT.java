package dev.capstan.store.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server restarts its PostgreSQL after a crash and starts over what a killed predecessor left running. */
class EmbeddedDatabaseSupervisionIT {

    @Test
    void aKilledPostmasterIsStartedAgainOnTheSamePortWithItsData(@TempDir Path tmp) throws Exception {
        try (EmbeddedDatabase db = EmbeddedDatabase.start(tmp.resolve("pg"), 0)) {
            write(db, "before the crash");
            long first = db.pid().orElseThrow();

            ProcessHandle.of(first).orElseThrow().destroyForcibly(); // SIGKILL to our own child
            await().atMost(Duration.ofSeconds(2)).until(() -> !db.isRunning());
            await().atMost(Duration.ofSeconds(10)).until(db::isRunning);

            assertThat(db.pid().orElseThrow()).isNotEqualTo(first);
            assertThat(values(db)).containsExactly("before the crash");
            write(db, "after the crash");
            assertThat(values(db)).containsExactly("before the crash", "after the crash");

            // Killed again at once: the back-off keeps trying.
            ProcessHandle.of(db.pid().orElseThrow()).orElseThrow().destroyForcibly();
            await().atMost(Duration.ofSeconds(10)).until(db::isRunning);
            assertThat(values(db)).containsExactly("before the crash", "after the crash");

            db.stop();
            Thread.sleep(1500); // longer than the first restart delay: a stopped server stays stopped
            assertThat(db.isRunning()).isFalse();
            assertThat(db.pid()).isEmpty();
        }
    }

    @Test
    void anOrphanedPostmasterOfAKilledPredecessorIsShutDownAndReplaced(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("pg");
        List<String> prefix;
        int port;
        try (EmbeddedDatabase db = EmbeddedDatabase.start(dir, 0)) {
            write(db, "kept");
            prefix = db.launcher.prefix();
            port = db.port();
        }
        // What a kill -9 of the API server leaves: its postmaster, now a child of init.
        List<String> command = new ArrayList<>(prefix);
        command.addAll(List.of(
                PostgresBinaries.path().resolve("bin/postgres").toString(),
                "-D",
                dir.toString(),
                "-p",
                Integer.toString(port),
                "-c",
                "listen_addresses=127.0.0.1",
                "-c",
                "unix_socket_directories="));
        String script = "exec "
                + String.join(" ", command.stream().map(a -> "'" + a + "'").toList()) + " >/dev/null 2>&1 </dev/null &";
        assertThat(new ProcessBuilder("sh", "-c", script).start().waitFor(10, TimeUnit.SECONDS))
                .isTrue();
        long orphan = await().atMost(Duration.ofSeconds(30)).until(() -> readyPid(dir), pid -> pid > 0);
        ProcessHandle handle = ProcessHandle.of(orphan).orElseThrow();
        try {
            assertThat(handle.parent().map(ProcessHandle::pid).orElse(1L))
                    .isNotEqualTo(ProcessHandle.current().pid());

            try (EmbeddedDatabase db = EmbeddedDatabase.start(dir, 0)) {
                // Gone, or a zombie until init reaps it.
                assertThat(Postmasters.isLive(handle)).isFalse();
                assertThat(db.pid().orElseThrow()).isNotEqualTo(orphan);
                assertThat(values(db)).containsExactly("kept");
            }
        } finally {
            handle.destroyForcibly(); // only if the test failed before the replacement
        }
    }

    @Test
    void aStalePidFileDoesNotBlockTheStart(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("pg");
        try (EmbeddedDatabase db = EmbeddedDatabase.start(dir, 0)) {
            write(db, "kept");
        }
        // A pid file of a crash whose pid now belongs to an unrelated process (PostgreSQL alone would refuse).
        Process unrelated = new ProcessBuilder("sleep", "60").start();
        try {
            Files.writeString(dir.resolve("postmaster.pid"), unrelated.pid() + "\n" + dir + "\n");
            try (EmbeddedDatabase db = EmbeddedDatabase.start(dir, 0)) {
                assertThat(values(db)).containsExactly("kept");
                assertThat(unrelated.isAlive())
                        .as("an unrelated process is left alone")
                        .isTrue();
            }
        } finally {
            unrelated.destroyForcibly();
        }
        // ... and of a process that is gone.
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Files.writeString(dir.resolve("postmaster.pid"), gone.pid() + "\n" + dir + "\n");
        try (EmbeddedDatabase db = EmbeddedDatabase.start(dir, 0)) {
            assertThat(values(db)).containsExactly("kept");
        }
    }

    private static long readyPid(Path dir) {
        try {
            List<String> lines = Files.readAllLines(dir.resolve("postmaster.pid"));
            return lines.size() >= 8 && lines.get(7).trim().equals("ready")
                    ? Long.parseLong(lines.getFirst().trim())
                    : 0;
        } catch (java.io.IOException e) {
            return 0;
        }
    }

    private static void write(EmbeddedDatabase db, String value) throws Exception {
        try (Connection c = EmbeddedDatabaseIT.connect(db);
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS notes (id serial PRIMARY KEY, v text NOT NULL)");
            s.executeUpdate("INSERT INTO notes (v) VALUES ('" + value + "')");
        }
    }

    private static List<String> values(EmbeddedDatabase db) throws Exception {
        List<String> values = new ArrayList<>();
        try (Connection c = EmbeddedDatabaseIT.connect(db);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT v FROM notes ORDER BY id")) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }
}
