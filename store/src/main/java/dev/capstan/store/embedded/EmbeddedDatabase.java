package dev.capstan.store.embedded;

import com.sun.security.auth.module.UnixSystem;
import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import io.zonky.test.db.postgres.util.LinuxUtils;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.RandomAccessFile;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.jboss.logging.Logger;
import org.tukaani.xz.XZInputStream;

/** A PostgreSQL 14 server (zonky's binaries) whose data directory outlives the process; trust auth on 127.0.0.1. */
public final class EmbeddedDatabase implements AutoCloseable {
    // Starts begun by startInBackground, by data directory and port, until start takes them over.
    private static final Map<String, CompletableFuture<EmbeddedDatabase>> EARLY = new ConcurrentHashMap<>();
    private static final Logger LOG = Logger.getLogger(EmbeddedDatabase.class);
    private static final String HOST = "127.0.0.1";
    private static final String SUPERUSER = "postgres";
    private static final int NOBODY = 65534;
    private static final Duration STARTUP_WAIT = Duration.ofSeconds(60); // covers WAL replay after a crash
    private static final Duration STOP_WAIT = Duration.ofSeconds(60);
    /** Forces the setpriv launcher (tests; hosts where unshare exists but misbehaves). */
    static final String FORCE_SETPRIV_PROPERTY = "capstan.embedded-postgres.force-setpriv";

    private static Path binaries; // extracted once per JVM for the setpriv launcher

    // Passed as -c on every start, so they beat postgresql.conf and ALTER SYSTEM. zonky adds -F (fsync off) and
    // synchronous_commit=off by default; the explicit -c values below come after -F and win (verified by the IT).
    private static final Map<String, String> SETTINGS = new LinkedHashMap<>();

    static {
        SETTINGS.put("listen_addresses", HOST);
        SETTINGS.put("unix_socket_directories", "''"); // TCP on loopback only; pg_ctl -w reads postmaster.pid
        SETTINGS.put("max_connections", "200");
        SETTINGS.put("shared_buffers", "128MB");
        SETTINGS.put("fsync", "on");
        SETTINGS.put("synchronous_commit", "on");
        SETTINGS.put("full_page_writes", "on");
        SETTINGS.put("max_wal_size", "1GB");
        SETTINGS.put("wal_level", "minimal"); // no replicas or archiving, so less WAL per batch
        SETTINGS.put("max_wal_senders", "0"); // required by wal_level=minimal
        SETTINGS.put("timezone", "UTC");
    }

    private final Path dataDirectory;
    private final Path logFile;
    private final int port;
    private boolean setpriv;
    private EmbeddedPostgres zonky; // set while zonky runs the server
    private boolean running;

    private EmbeddedDatabase(Path dataDirectory, Path logFile, int port, boolean setpriv) {
        this.dataDirectory = dataDirectory;
        this.logFile = logFile;
        this.port = port;
        this.setpriv = setpriv;
    }

    /**
     * Begins {@link #start} on a thread of its own, so that a process can boot the rest of itself meanwhile; the
     * next {@code start} of the same directory and port takes over the server (or the failure) it produced.
     */
    public static void startInBackground(Path dataDirectory, int port) {
        String key = earlyKey(dataDirectory, port);
        CompletableFuture<EmbeddedDatabase> starting = new CompletableFuture<>();
        if (EARLY.putIfAbsent(key, starting) != null) {
            return;
        }
        Thread.ofPlatform().name("embedded-postgres-start").daemon().start(() -> {
            try {
                starting.complete(startNow(dataDirectory, port));
            } catch (IOException | RuntimeException e) {
                starting.completeExceptionally(e);
            }
        });
    }

    /** Starts (initialising on first use) a PostgreSQL server whose data lives in dataDirectory; port 0 picks a free loopback port. */
    public static EmbeddedDatabase start(Path dataDirectory, int port) throws IOException {
        CompletableFuture<EmbeddedDatabase> early = EARLY.remove(earlyKey(dataDirectory, port));
        if (early == null) {
            return startNow(dataDirectory, port);
        }
        try {
            return early.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
    }

    private static String earlyKey(Path dataDirectory, int port) {
        return dataDirectory.toAbsolutePath().normalize() + ":" + port;
    }

    /**
     * Stops whatever {@link #startInBackground} started that no {@code start} took over, waiting for a start
     * still under way to finish first, so that its directory is free when this returns.
     */
    public static void stopBackgroundStarts() {
        for (String key : List.copyOf(EARLY.keySet())) {
            CompletableFuture<EmbeddedDatabase> early = EARLY.remove(key);
            if (early == null) {
                continue;
            }
            try {
                early.join().stop();
            } catch (CompletionException e) {
                LOG.debugf("a background start of PostgreSQL that nobody used had failed: %s", e.getCause());
            }
        }
    }

    private static EmbeddedDatabase startNow(Path dataDirectory, int port) throws IOException {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0 (pick a free one) or 1-65535, not " + port);
        }
        Path dir = dataDirectory.toAbsolutePath().normalize();
        if (dir.getParent() == null) {
            throw new IllegalArgumentException("the data directory cannot be the filesystem root");
        }
        Path logFile = dir.resolveSibling(dir.getFileName() + ".log");
        prepareDirectories(dir, logFile);
        int chosen = port != 0 ? port : freeLoopbackPort();
        // zonky prefixes initdb/pg_ctl with `unshare -U` when root and the check `unshare -U id -u` prints non-zero;
        // the server then sees itself (and root-owned files) as uid 65534, so it agrees to run while files stay
        // root's. Without user namespaces (e.g. Docker's default seccomp) it would run as root and PostgreSQL refuses.
        boolean setpriv = Boolean.getBoolean(FORCE_SETPRIV_PROPERTY) || (isRoot() && !LinuxUtils.isUnshareAvailable());
        EmbeddedDatabase db = new EmbeddedDatabase(dir, logFile, chosen, setpriv);
        db.launch();
        Runtime.getRuntime().addShutdownHook(new Thread(db::stop, "embedded-postgres-stop-" + chosen));
        return db;
    }

    public String host() {
        return HOST;
    }

    public int port() {
        return port;
    }

    public String database() {
        return "postgres";
    }

    public String user() {
        return SUPERUSER;
    }

    /** Empty: initdb sets trust authentication and the server listens on loopback only. */
    public String password() {
        return "";
    }

    /** Fast shutdown (open transactions roll back, committed data stays); the data directory is kept. */
    public synchronized void stop() {
        if (!running) {
            return;
        }
        running = false;
        try {
            if (zonky != null) {
                zonky.close(); // pg_ctl stop -m fast, waiting only 5 s; failures go to slf4j
            } else {
                runUnprivileged("pg_ctl", "-D", dataDirectory.toString(), "-m", "fast", "-w", "-t", "60", "stop");
            }
        } catch (IOException e) {
            LOG.warnf(e, "pg_ctl stop failed for %s; waiting for the server to exit", dataDirectory);
        } finally {
            zonky = null;
        }
        awaitPostmasterExit();
    }

    /** Stops, then starts again on the same port with the same data. */
    public synchronized void restart() throws IOException {
        stop();
        launch();
    }

    public synchronized boolean isRunning() {
        return running && livePostmaster().isPresent();
    }

    @Override
    public void close() {
        stop();
    }

    private void launch() throws IOException {
        requirePortFree(port);
        OptionalLong other = livePostmaster();
        if (other.isPresent()) {
            throw new IOException("PostgreSQL (pid " + other.getAsLong() + ") already runs on data directory "
                    + dataDirectory + "; stop it (kill -INT " + other.getAsLong() + ") or use another directory");
        }
        // zonky skips initdb once postgresql.conf exists, then waits out STARTUP_WAIT if the cluster is incomplete
        if (Files.exists(dataDirectory.resolve("postgresql.conf"))
                && !Files.exists(dataDirectory.resolve("global/pg_control"))) {
            throw new IOException("Data directory " + dataDirectory + " is not a complete PostgreSQL cluster (initdb"
                    + " interrupted?): move it away to initialise a fresh one, or restore it from a backup");
        }
        long logOffset = Files.exists(logFile) ? Files.size(logFile) : 0;
        try {
            alignOwnership();
            if (setpriv) {
                startUnprivileged();
            } else {
                startWithZonky(logOffset);
            }
            running = true;
            requireServesOurDirectory();
        } catch (IOException | RuntimeException e) {
            try {
                stop();
            } catch (RuntimeException s) {
                e.addSuppressed(s);
            }
            throw failure(logOffset, e);
        }
        LOG.infof("PostgreSQL listens on %s:%d, data in %s, log in %s", HOST, port, dataDirectory, logFile);
    }

    private void startWithZonky(long logOffset) throws IOException {
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setDataDirectory(dataDirectory)
                // false: zonky runs initdb only when postgresql.conf is missing and never deletes the directory
                .setCleanDataDirectory(false)
                .setPort(port)
                .setLocaleConfig("locale", "C") // byte-order collation, like etcd's key ranges
                .setPGStartupWait(STARTUP_WAIT)
                .setOutputRedirector(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .setErrorRedirector(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        SETTINGS.forEach(builder::setServerConfig);
        try {
            zonky = builder.start();
        } catch (IOException | RuntimeException e) {
            if (!isRoot() || !logTail(logOffset).contains("cannot be run as root")) {
                throw e;
            }
            LOG.warn("unshare -U did not hide root from PostgreSQL; running it as uid 65534 via setpriv instead");
            setpriv = true;
            alignOwnership();
            startUnprivileged();
        }
    }

    // Fallback for root without user namespaces: the same binaries run as nobody via setpriv.
    private void startUnprivileged() throws IOException {
        for (Path p = dataDirectory.getParent(); p != null; p = p.getParent()) {
            if (!Files.getPosixFilePermissions(p).contains(PosixFilePermission.OTHERS_EXECUTE)) {
                throw new IOException("PostgreSQL runs as uid 65534 here (root without user namespaces) and cannot"
                        + " reach " + dataDirectory + ": run `chmod o+x " + p + "` or choose another directory");
            }
        }
        String dir = dataDirectory.toString();
        if (!Files.exists(dataDirectory.resolve("postgresql.conf"))) { // zonky's test too: initdb only once
            runUnprivileged("initdb", "-A", "trust", "-U", SUPERUSER, "-E", "UTF-8", "--locale=C", "-D", dir);
        }
        StringBuilder options = new StringBuilder("-p ").append(port);
        SETTINGS.forEach((k, v) -> options.append(" -c ").append(k).append('=').append(v));
        String wait = Long.toString(STARTUP_WAIT.toSeconds());
        runUnprivileged("pg_ctl", "-D", dir, "-o", options.toString(), "-w", "-t", wait, "start");
    }

    private void runUnprivileged(String program, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY));
        command.add("--clear-groups");
        command.add(binaries().resolve("bin").resolve(program).toString());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command)
                .directory(dataDirectory.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .start();
        try {
            int status = process.waitFor();
            if (status != 0) {
                throw new IOException(program + " exited with status " + status);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for " + program);
        }
    }

    // The server's uid must own the data: root's under unshare -U, nobody's under setpriv, ours otherwise.
    private void alignOwnership() throws IOException {
        int owner = (Integer) Files.getAttribute(dataDirectory, "unix:uid");
        int serverUid = setpriv ? NOBODY : isRoot() ? 0 : ownUid();
        if (owner == serverUid) {
            return;
        }
        if (!isRoot()) {
            throw new IOException("Data directory " + dataDirectory + " belongs to uid " + owner
                    + " but PostgreSQL runs as uid " + serverUid + ": chown it to that user or use another directory");
        }
        try (Stream<Path> paths = Files.walk(dataDirectory)) {
            for (Path p : (Iterable<Path>) paths::iterator) {
                Files.setAttribute(p, "unix:uid", serverUid, LinkOption.NOFOLLOW_LINKS);
                Files.setAttribute(p, "unix:gid", serverUid, LinkOption.NOFOLLOW_LINKS);
            }
        }
    }

    // zonky's readiness probe accepts any server answering on the port; make sure it is ours.
    private void requireServesOurDirectory() throws IOException {
        Properties props = new Properties();
        props.setProperty("user", SUPERUSER);
        props.setProperty("connectTimeout", "10");
        String url = "jdbc:postgresql://" + HOST + ":" + port + "/" + database();
        try (Connection c = DriverManager.getConnection(url, props);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SHOW data_directory")) {
            rs.next();
            Path served = Path.of(rs.getString(1));
            if (!Files.isSameFile(served, dataDirectory)) {
                throw new IOException("port " + port + " is answered by the server of " + served);
            }
        } catch (SQLException e) {
            throw new IOException("cannot query the server on port " + port + ": " + e.getMessage(), e);
        }
    }

    private void awaitPostmasterExit() {
        long deadline = System.nanoTime() + STOP_WAIT.toNanos();
        while (livePostmaster().isPresent()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("PostgreSQL for " + dataDirectory + " did not stop within "
                        + STOP_WAIT.toSeconds() + " s; see " + logFile);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private OptionalLong livePostmaster() {
        try (Stream<String> lines = Files.lines(dataDirectory.resolve("postmaster.pid"))) {
            long pid = Long.parseLong(lines.findFirst().orElse("").trim());
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).isPresent()
                    ? OptionalLong.of(pid)
                    : OptionalLong.empty();
        } catch (NoSuchFileException | NumberFormatException e) {
            return OptionalLong.empty();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + dataDirectory.resolve("postmaster.pid"), e);
        }
    }

    private IOException failure(long logOffset, Exception cause) {
        String tail = logTail(logOffset);
        String why = cause.getMessage() != null ? cause.getMessage() : cause.toString();
        return new IOException(
                "PostgreSQL did not start on " + HOST + ":" + port + " with data directory " + dataDirectory + ": "
                        + why + ". " + hint(tail + cause) + "\nLast lines of " + logFile + ":\n" + tail,
                cause);
    }

    private String hint(String text) {
        List<Map.Entry<String, String>> hints = List.of(
                Map.entry("Address already in use", "Port " + port + " is taken: free it or start with port 0."),
                Map.entry("answered by the server of", "Another PostgreSQL holds port " + port + ": choose another."),
                Map.entry("already exists", "Another server uses this data directory: stop it first."),
                // zonky keeps its epg-lock after a failed start until the JVM exits
                Map.entry("epg-lock", "Another process or an earlier failed start holds the directory: restart it."),
                Map.entry(
                        "OverlappingFileLock", "An earlier failed start in this JVM holds the directory: restart it."),
                Map.entry("not empty", "The directory holds other files: use an empty or an existing data directory."),
                Map.entry("incompatible with server", "The data is from another PostgreSQL major version (need 14)."),
                Map.entry("cannot be run as root", "Run as non-root, allow user namespaces or install setpriv."),
                Map.entry("\"setpriv\"", "Install setpriv (util-linux) or allow user namespaces (unshare -U)."),
                Map.entry("ownership", "chown the data directory to the user PostgreSQL runs as."),
                Map.entry("Permission denied", "Give the server user access to the data directory and its parents."),
                Map.entry("shared memory", "Raise the shared memory limits (e.g. /dev/shm) or lower shared_buffers."),
                Map.entry("No space left", "Free disk space on the data directory's filesystem."));
        return hints.stream()
                .filter(h -> text.contains(h.getKey()))
                .map(Map.Entry::getValue)
                .findFirst()
                .orElse("See the server log below.");
    }

    private String logTail(long offset) {
        try (RandomAccessFile log = new RandomAccessFile(logFile.toFile(), "r")) {
            long from = Math.max(offset, log.length() - 4096);
            byte[] bytes = new byte[(int) Math.max(0, log.length() - from)];
            log.seek(from);
            log.readFully(bytes);
            List<String> lines =
                    new String(bytes, StandardCharsets.UTF_8).lines().toList();
            String tail = String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
            return tail.isBlank() ? "(nothing logged)" : tail;
        } catch (IOException e) {
            return "(cannot read the log: " + e.getMessage() + ")";
        }
    }

    private static void prepareDirectories(Path dir, Path logFile) throws IOException {
        // zonky deletes stale subdirectories of its own working directory on every start
        Path zonkyWork = Path.of(
                        System.getProperty("ot.epg.working-dir", System.getProperty("java.io.tmpdir") + "/embedded-pg"))
                .toAbsolutePath()
                .normalize();
        if (dir.startsWith(zonkyWork)) {
            throw new IOException("Data directory " + dir + " lies under " + zonkyWork
                    + ", which zonky cleans up; choose a directory elsewhere");
        }
        try {
            Files.createDirectories(dir);
            Files.newOutputStream(logFile, StandardOpenOption.CREATE, StandardOpenOption.APPEND)
                    .close();
        } catch (IOException e) {
            throw new IOException(
                    "Cannot create data directory " + dir + " and log " + logFile + " (" + e
                            + "); choose a path on a writable filesystem that this user may write to",
                    e);
        }
        if (!Files.isDirectory(dir) || !Files.isWritable(dir)) {
            throw new IOException("Data directory " + dir + " is not a writable directory; fix its permissions"
                    + " (chown/chmod) or choose another path");
        }
    }

    private static void requirePortFree(int port) throws IOException {
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true); // as PostgreSQL does, so sockets in TIME_WAIT do not count
            probe.bind(new InetSocketAddress(HOST, port));
        } catch (BindException e) {
            throw new IOException(
                    "Port " + port + " on " + HOST + " is already in use: stop the process listening"
                            + " there or start with port 0 to pick a free port",
                    e);
        }
    }

    private static int freeLoopbackPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return socket.getLocalPort();
        }
    }

    // Extracted to java.io.tmpdir (world-traversable) so that uid 65534 can execute them.
    private static synchronized Path binaries() throws IOException {
        if (binaries != null && Files.isExecutable(binaries.resolve("bin/postgres"))) {
            return binaries;
        }
        byte[] archive;
        try (InputStream in =
                DefaultPostgresBinaryResolver.INSTANCE.getPgBinary("Linux", System.getProperty("os.arch"))) {
            archive = in.readAllBytes();
        }
        Path root = Path.of(System.getProperty("java.io.tmpdir"), "capstan-embedded-pg");
        Files.createDirectories(root);
        if ((Integer) Files.getAttribute(root, "unix:uid") != ownUid()) {
            throw new IOException(root + " belongs to another user; remove it (its binaries would be executed)");
        }
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
        CRC32 crc = new CRC32(); // names the version; the ownership check above guards against tampering
        crc.update(archive);
        Path target = root.resolve("pg-" + Long.toHexString(crc.getValue()) + "-" + archive.length);
        if (Files.isExecutable(target.resolve("bin/postgres"))) {
            return binaries = target;
        }
        Path staging = Files.createTempDirectory(root, "extract-");
        extract(archive, staging);
        try {
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) { // another process won the race
            try (Stream<Path> paths = Files.walk(staging)) {
                for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                    Files.delete(p);
                }
            }
            if (!Files.isExecutable(target.resolve("bin/postgres"))) {
                throw e;
            }
        }
        return binaries = target;
    }

    private static void extract(byte[] archive, Path into) throws IOException {
        try (TarArchiveInputStream tar =
                new TarArchiveInputStream(new XZInputStream(new ByteArrayInputStream(archive)))) {
            for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                Path target = into.resolve(entry.getName()).normalize();
                if (!target.startsWith(into)) {
                    throw new IOException("unsafe path in the PostgreSQL archive: " + entry.getName());
                }
                Files.createDirectories(entry.isDirectory() ? target : target.getParent());
                if (entry.isSymbolicLink()) {
                    Files.createSymbolicLink(target, Path.of(entry.getLinkName()));
                } else if (entry.isLink()) {
                    Files.createLink(target, into.resolve(entry.getLinkName()));
                } else if (!entry.isDirectory()) {
                    Files.copy(tar, target);
                    boolean exec = (entry.getMode() & 0100) != 0;
                    Files.setPosixFilePermissions(
                            target, PosixFilePermissions.fromString(exec ? "rwxr-xr-x" : "rw-r--r--"));
                }
            }
        }
        try (Stream<Path> paths = Files.walk(into)) { // mkdir obeys the umask, which may hide them from nobody
            for (Path p : (Iterable<Path>) paths.filter(Files::isDirectory)::iterator) {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
        }
    }

    private static boolean isRoot() {
        return ownUid() == 0;
    }

    private static int ownUid() {
        return (int) new UnixSystem().getUid();
    }
}
