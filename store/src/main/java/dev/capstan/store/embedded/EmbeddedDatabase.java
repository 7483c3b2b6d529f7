package dev.capstan.store.embedded;

import com.sun.security.auth.module.UnixSystem;
import io.zonky.test.db.postgres.util.LinuxUtils;
import java.io.File;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
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
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * A PostgreSQL 14 server (zonky's binaries) that this process runs, supervises and restarts, with a data directory
 * that outlives the process.
 *
 * <p>Access: the server listens on 127.0.0.1 only, without a unix socket, and every login needs a SCRAM-SHA-256
 * password: pg_hba.conf is rewritten at each start and has no trust line. The run-time role {@link #user()} is no
 * superuser; it owns the database {@link #database()}. Both passwords are generated at first start into files of
 * mode 0600 beside the data directory ({@code <dir>.password}, {@code <dir>.superuser-password}), which the server's
 * user cannot read when root runs it as nobody. The superuser's password is set in single-user mode before each
 * start, so the file is what counts, and a data directory of earlier versions (trust, no password) is taken over.
 *
 * <p>Launchers: a non-root process runs the binaries directly; root runs them under {@code unshare -U} (the
 * server then sees itself, and root's files, as uid 65534, so it agrees to run while files stay root's), or, without
 * user namespaces, as uid 65534 via {@code setpriv} with the data directory chowned to it.
 *
 * <p>Supervision: the postmaster is a child of this process. When it exits without {@link #stop}, it is started
 * again with a back-off of 0.5 s doubling to 10 s. A postmaster left running by a predecessor that was killed (an
 * orphan, whose parent is no longer a JVM) is shut down before the start; a stale postmaster.pid naming a process
 * that is not PostgreSQL for this directory is removed.
 */
public final class EmbeddedDatabase implements AutoCloseable {
    // Starts begun by startInBackground, by data directory and port, until start takes them over.
    private static final Map<String, CompletableFuture<EmbeddedDatabase>> EARLY = new ConcurrentHashMap<>();
    private static final Logger LOG = Logger.getLogger(EmbeddedDatabase.class);
    private static final String HOST = "127.0.0.1";
    private static final String SUPERUSER = "postgres";
    private static final String ROLE = "capstan";
    private static final String DATABASE = "capstan";
    private static final int NOBODY = 65534;
    private static final Duration STARTUP_WAIT = Duration.ofSeconds(60); // covers WAL replay after a crash
    private static final Duration STOP_WAIT = Duration.ofSeconds(60);
    private static final Duration FIRST_RESTART_DELAY = Duration.ofMillis(500);
    private static final Duration MAX_RESTART_DELAY = Duration.ofSeconds(10);
    /** Forces the setpriv launcher (tests; hosts where unshare exists but misbehaves). */
    static final String FORCE_SETPRIV_PROPERTY = "capstan.embedded-postgres.force-setpriv";

    // Passed as -c on every start, so they beat postgresql.conf and ALTER SYSTEM.
    private static final Map<String, String> SETTINGS = new LinkedHashMap<>();

    static {
        SETTINGS.put("listen_addresses", HOST);
        SETTINGS.put("unix_socket_directories", ""); // TCP on loopback only
        SETTINGS.put("password_encryption", "scram-sha-256");
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

    // pg_hba.conf, rewritten at every start: password logins over loopback TCP, nothing else.
    private static final String HBA = """
            # Written by Capstan at every start of its embedded PostgreSQL; changes here are overwritten.
            # Loopback TCP only, SCRAM-SHA-256 passwords only; the passwords are in files beside the data directory.
            host  %s  %s  127.0.0.1/32  scram-sha-256
            host  all  %s  127.0.0.1/32  scram-sha-256
            """.formatted(DATABASE, ROLE, SUPERUSER);

    /** How the binaries are run; see the class comment. */
    enum Launcher {
        DIRECT,
        UNSHARE,
        SETPRIV;

        List<String> prefix() {
            return switch (this) {
                case DIRECT -> List.of();
                case UNSHARE -> List.of("unshare", "-U");
                case SETPRIV -> List.of("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups");
            };
        }

        /** The uid that must own the data directory. */
        int owner() {
            return this == SETPRIV ? NOBODY : ownUid();
        }
    }

    private final Path dataDirectory;
    private final Path logFile;
    private final Path passwordFile;
    private final Path superuserPasswordFile;
    private final int port;
    private final ReentrantLock lifecycle = new ReentrantLock();
    Launcher launcher; // package-private for tests
    private String password;
    private String superuserPassword;
    private volatile Process server; // the postmaster while one runs
    private volatile boolean ready; // the postmaster in `server` has accepted connections
    private volatile boolean wanted; // between a start and stop: an exit is a crash, restarted
    private Thread supervisor; // restarting after a crash; guarded by lifecycle

    private EmbeddedDatabase(Path dataDirectory, Path logFile, int port, Launcher launcher) {
        this.dataDirectory = dataDirectory;
        this.logFile = logFile;
        this.passwordFile = dataDirectory.resolveSibling(dataDirectory.getFileName() + ".password");
        this.superuserPasswordFile = dataDirectory.resolveSibling(dataDirectory.getFileName() + ".superuser-password");
        this.port = port;
        this.launcher = launcher;
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
        Launcher launcher = Boolean.getBoolean(FORCE_SETPRIV_PROPERTY) || (isRoot() && !LinuxUtils.isUnshareAvailable())
                ? Launcher.SETPRIV
                : isRoot() ? Launcher.UNSHARE : Launcher.DIRECT;
        EmbeddedDatabase db = new EmbeddedDatabase(dir, logFile, chosen, launcher);
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

    /** The store's database, owned by {@link #user()}. */
    public String database() {
        return DATABASE;
    }

    /** The run-time role: LOGIN and owner of {@link #database()}, but no superuser and no CREATEDB/CREATEROLE. */
    public String user() {
        return ROLE;
    }

    /** The run-time role's password, kept in {@link #passwordFile()}. */
    public String password() {
        return password;
    }

    /** Where the run-time role's password is kept (mode 0600); deleting it makes the next start generate another. */
    public Path passwordFile() {
        return passwordFile;
    }

    /** The superuser, for setup and administration only; the store never logs in as it. */
    public String superuser() {
        return SUPERUSER;
    }

    /** The superuser's password, kept in {@link #superuserPasswordFile()}. */
    public String superuserPassword() {
        return superuserPassword;
    }

    public Path superuserPasswordFile() {
        return superuserPasswordFile;
    }

    public Path dataDirectory() {
        return dataDirectory;
    }

    /** The postmaster's pid while one runs. */
    public OptionalLong pid() {
        Process p = server;
        return p != null && p.isAlive() ? OptionalLong.of(p.pid()) : OptionalLong.empty();
    }

    /** Fast shutdown (open transactions roll back, committed data stays); the data directory is kept. */
    public void stop() {
        Thread restarting;
        lifecycle.lock();
        try {
            wanted = false;
            restarting = supervisor;
            supervisor = null;
        } finally {
            lifecycle.unlock();
        }
        if (restarting != null) { // it may be waiting for a start, holding the lock
            restarting.interrupt();
            joinQuietly(restarting);
        }
        lifecycle.lock();
        try {
            Process p = server;
            server = null;
            ready = false;
            if (p != null) {
                Postmasters.shutDown(p.toHandle(), dataDirectory, logFile);
            }
        } finally {
            lifecycle.unlock();
        }
    }

    /** Stops, then starts again on the same port with the same data. */
    public void restart() throws IOException {
        stop();
        launch();
    }

    /** Whether the server runs and has accepted connections (false while it is being restarted after a crash). */
    public boolean isRunning() {
        Process p = server;
        return ready && p != null && p.isAlive();
    }

    @Override
    public void close() {
        stop();
    }

    private void launch() throws IOException {
        lifecycle.lock();
        try {
            requirePortFree(port);
            replaceOrphan();
            long logOffset = Files.exists(logFile) ? Files.size(logFile) : 0;
            try {
                prepareCluster();
            } catch (IOException | RuntimeException e) {
                if (launcher != Launcher.UNSHARE || !logTail(logOffset).contains("cannot be run as root")) {
                    throw failure(logOffset, e);
                }
                LOG.warn("unshare -U did not hide root from PostgreSQL; running it as uid 65534 via setpriv instead");
                launcher = Launcher.SETPRIV;
                try {
                    prepareCluster();
                } catch (IOException | RuntimeException again) {
                    throw failure(logOffset, again);
                }
            }
            try {
                wanted = true;
                startServer();
                ClusterSetup.apply(HOST, port, SUPERUSER, superuserPassword, ROLE, password, DATABASE, dataDirectory);
            } catch (IOException | RuntimeException e) {
                wanted = false;
                Process p = server;
                server = null;
                ready = false;
                if (p != null) {
                    Postmasters.shutDown(p.toHandle(), dataDirectory, logFile);
                }
                throw failure(logOffset, e);
            }
        } finally {
            lifecycle.unlock();
        }
        LOG.infof(
                "PostgreSQL listens on %s:%d (password logins only), data in %s, log in %s",
                HOST, port, dataDirectory, logFile);
    }

    /** Initialises the cluster on first use, sets the superuser's password and writes pg_hba.conf. */
    private void prepareCluster() throws IOException {
        if (Files.exists(dataDirectory.resolve("postgresql.conf"))
                && !Files.exists(dataDirectory.resolve("global/pg_control"))) {
            throw new IOException("Data directory " + dataDirectory + " is not a complete PostgreSQL cluster (initdb"
                    + " interrupted?): move it away to initialise a fresh one, or restore it from a backup");
        }
        alignOwnership();
        if (launcher == Launcher.SETPRIV) {
            requireReachableByNobody();
        }
        password = Secrets.readOrCreate(passwordFile);
        superuserPassword = Secrets.readOrCreate(superuserPasswordFile);
        String dir = dataDirectory.toString();
        if (!Files.exists(dataDirectory.resolve("postgresql.conf"))) {
            // reject: initdb's pg_hba.conf is replaced below; the password is set in single-user mode next.
            run(null, "initdb", "-A", "reject", "-U", SUPERUSER, "-E", "UTF-8", "--locale=C", "-D", dir);
        }
        // Single-user mode takes no connections, so setting the password needs no login; it also makes the file
        // the truth (a directory of an earlier version had none, a lost file gets a new one).
        run(
                "ALTER ROLE " + SUPERUSER + " WITH PASSWORD '" + superuserPassword + "';\n",
                "postgres",
                "--single",
                "-D",
                dir,
                "-c",
                "password_encryption=scram-sha-256",
                "template1");
        Path hba = dataDirectory.resolve("pg_hba.conf");
        Files.writeString(hba, HBA, StandardCharsets.UTF_8);
        if (isRoot()) {
            Files.setAttribute(hba, "unix:uid", launcher.owner(), LinkOption.NOFOLLOW_LINKS);
            Files.setAttribute(hba, "unix:gid", launcher.owner(), LinkOption.NOFOLLOW_LINKS);
        }
        Files.setPosixFilePermissions(hba, PosixFilePermissions.fromString("rw-------"));
    }

    /** Starts the postmaster as a child of this process and waits until it accepts connections. */
    private void startServer() throws IOException {
        List<String> command = new ArrayList<>(launcher.prefix());
        command.add(PostgresBinaries.path().resolve("bin/postgres").toString());
        command.addAll(List.of("-D", dataDirectory.toString(), "-p", Integer.toString(port)));
        SETTINGS.forEach((k, v) -> command.addAll(List.of("-c", k + "=" + v)));
        Process p = new ProcessBuilder(command)
                .directory(dataDirectory.toFile())
                .redirectInput(new File("/dev/null"))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .start();
        server = p;
        awaitReady(p);
        ready = true;
        p.onExit().thenAccept(this::exited);
    }

    // pg_ctl's own test: postmaster.pid names the process and its status line says "ready".
    private void awaitReady(Process p) throws IOException {
        long deadline = System.nanoTime() + STARTUP_WAIT.toNanos();
        String pid = Long.toString(p.pid());
        while (true) {
            if (!p.isAlive()) {
                throw new IOException("postgres exited with status " + p.exitValue() + " during start");
            }
            List<String> lines = pidFileLines();
            if (lines.size() >= 8
                    && lines.get(0).trim().equals(pid)
                    && lines.get(7).trim().equals("ready")) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("postgres did not accept connections within " + STARTUP_WAIT.toSeconds() + " s");
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while PostgreSQL was starting");
            }
        }
    }

    private void exited(Process p) {
        lifecycle.lock();
        try {
            if (p != server || !wanted) {
                return; // stopped on purpose, or already replaced
            }
            ready = false;
            LOG.errorf(
                    "PostgreSQL (pid %d) for %s exited with status %d; restarting it (see %s)",
                    p.pid(), dataDirectory, p.exitValue(), logFile);
            if (supervisor == null) {
                supervisor = Thread.ofPlatform()
                        .name("embedded-postgres-restart")
                        .daemon()
                        .start(this::restartUntilRunning);
            }
        } finally {
            lifecycle.unlock();
        }
    }

    private void restartUntilRunning() {
        Duration delay = FIRST_RESTART_DELAY;
        try {
            while (true) {
                Thread.sleep(delay);
                lifecycle.lockInterruptibly();
                try {
                    if (!wanted || Thread.currentThread() != supervisor) {
                        return;
                    }
                    long begin = System.nanoTime();
                    try {
                        startServer();
                        supervisor = null;
                        if (!server.isAlive()) {
                            // Died before startServer registered its exit callback, which then ran here and saw
                            // this thread still supervising: hand it on as a fresh crash.
                            exited(server);
                            return;
                        }
                        LOG.infof(
                                "PostgreSQL for %s runs again (pid %d, started in %d ms)",
                                dataDirectory, server.pid(), (System.nanoTime() - begin) / 1_000_000);
                        return;
                    } catch (InterruptedIOException e) {
                        return;
                    } catch (IOException | RuntimeException e) {
                        Process failed = server;
                        if (failed != null && failed.isAlive()) {
                            Postmasters.shutDown(failed.toHandle(), dataDirectory, logFile);
                        }
                        delay = min(delay.multipliedBy(2), MAX_RESTART_DELAY);
                        LOG.errorf(
                                "restarting PostgreSQL for %s failed (%s); trying again in %d ms, see %s",
                                dataDirectory, e.getMessage(), delay.toMillis(), logFile);
                    }
                } finally {
                    lifecycle.unlock();
                }
            }
        } catch (InterruptedException e) {
            // stop() interrupts: it takes over
        }
    }

    /**
     * A postmaster.pid naming a live process: a PostgreSQL on this directory that no running JVM owns is the orphan
     * of a killed predecessor and is shut down; one whose parent is a JVM belongs to a server that runs, and is
     * refused; any other process only reuses the pid, and the stale file goes.
     */
    private void replaceOrphan() throws IOException {
        List<String> lines = pidFileLines();
        if (lines.isEmpty()) {
            return;
        }
        long pid;
        try {
            pid = Long.parseLong(lines.getFirst().trim());
        } catch (NumberFormatException e) {
            return; // being written, or damaged: PostgreSQL itself judges it
        }
        ProcessHandle process =
                ProcessHandle.of(pid).filter(Postmasters::isLive).orElse(null);
        if (process == null) {
            return; // PostgreSQL removes a lock file of a dead process itself
        }
        if (!Postmasters.isPostmasterOf(pid, dataDirectory)) {
            LOG.warnf(
                    "%s names pid %d, which is not PostgreSQL for this directory; removing the stale file",
                    dataDirectory.resolve("postmaster.pid"), pid);
            Files.deleteIfExists(dataDirectory.resolve("postmaster.pid"));
            return;
        }
        ProcessHandle parent = process.parent().orElse(null);
        if (parent != null
                && parent.pid() != 1
                && parent.info().command().orElse("").endsWith("/java")) {
            throw new IOException("PostgreSQL (pid " + pid + ") already runs on data directory " + dataDirectory
                    + " for process " + parent.pid() + " ("
                    + parent.info().commandLine().orElse("java")
                    + "); stop that process first or use another directory");
        }
        LOG.warnf(
                "PostgreSQL (pid %d) still runs on %s, left by a process that ended without stopping it;"
                        + " shutting it down to start our own",
                pid, dataDirectory);
        Postmasters.shutDown(process, dataDirectory, logFile);
    }

    private List<String> pidFileLines() {
        try {
            return Files.readAllLines(dataDirectory.resolve("postmaster.pid"), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + dataDirectory.resolve("postmaster.pid"), e);
        }
    }

    /** Runs a PostgreSQL program with the launcher, stdin from {@code input}, output to the log. */
    private void run(String input, String program, String... args) throws IOException {
        List<String> command = new ArrayList<>(launcher.prefix());
        command.add(PostgresBinaries.path().resolve("bin").resolve(program).toString());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command)
                .directory(dataDirectory.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .start();
        try (OutputStream in = process.getOutputStream()) {
            if (input != null) {
                in.write(input.getBytes(StandardCharsets.UTF_8));
            }
        }
        try {
            if (!process.waitFor(STARTUP_WAIT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException(program + " did not finish within " + STARTUP_WAIT.toSeconds() + " s");
            }
            if (process.exitValue() != 0) {
                throw new IOException(program + " exited with status " + process.exitValue());
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for " + program);
        }
    }

    // The server's uid must own the data: nobody's under setpriv, ours otherwise (unshare -U keeps root's files).
    private void alignOwnership() throws IOException {
        int owner = (Integer) Files.getAttribute(dataDirectory, "unix:uid");
        int serverUid = launcher.owner();
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

    private void requireReachableByNobody() throws IOException {
        for (Path p = dataDirectory.getParent(); p != null; p = p.getParent()) {
            if (!Files.getPosixFilePermissions(p).contains(PosixFilePermission.OTHERS_EXECUTE)) {
                throw new IOException("PostgreSQL runs as uid 65534 here (root without user namespaces) and cannot"
                        + " reach " + dataDirectory + ": run `chmod o+x " + p + "` or choose another directory");
            }
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static void joinQuietly(Thread thread) {
        try {
            thread.join(STOP_WAIT.plusSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
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
                Map.entry("pre-existing shared memory block", "Processes of an earlier server still run: wait."),
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

    static boolean isRoot() {
        return ownUid() == 0;
    }

    static int ownUid() {
        return (int) new UnixSystem().getUid();
    }
}
