package dev.capstan.bench;

import dev.capstan.model.files.FileTrees;
import dev.capstan.store.Store;
import dev.capstan.store.Stores;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** A store on an embedded PostgreSQL in a fresh temporary directory, removed again on close. */
final class BenchStore implements AutoCloseable {
    private final Vertx vertx;
    private final Store store;
    private final Path directory;
    private final Map<String, String> properties;

    private BenchStore(Vertx vertx, Store store, Path directory, Map<String, String> properties) {
        this.vertx = vertx;
        this.store = store;
        this.directory = directory;
        this.properties = properties;
    }

    /**
     * Opens an empty store. {@code capstan.store.*} system properties apply first, then {@code overrides}; the
     * compactor is off and the data directory is always a new one.
     */
    static BenchStore open(Map<String, String> overrides) throws IOException {
        Map<String, String> properties = new HashMap<>();
        System.getProperties().stringPropertyNames().stream()
                .filter(name -> name.startsWith("capstan.store."))
                .forEach(name -> properties.put(name, System.getProperty(name)));
        properties.putIfAbsent("capstan.store.compaction.interval", "0s");
        properties.putAll(overrides);
        // Not under java.io.tmpdir/embedded-pg (zonky cleans that) and traversable by the server's user.
        Path directory = Files.createTempDirectory("capstan-bench-");
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-xr-x"));
        properties.put(
                "capstan.store.embedded.data-dir", directory.resolve("postgres").toString());
        Vertx vertx = Vertx.vertx();
        try {
            return new BenchStore(vertx, Stores.open(vertx, Stores.config(properties)), directory, properties);
        } catch (RuntimeException e) {
            closeVertx(vertx);
            deleteTree(directory);
            throw e;
        }
    }

    Store store() {
        return store;
    }

    /** The store settings in force, for the report. */
    String settings() {
        return properties.entrySet().stream()
                .filter(e -> !e.getKey().endsWith("data-dir"))
                .sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey().substring("capstan.store.".length()) + "=" + e.getValue())
                .reduce((a, b) -> a + " " + b)
                .orElse("");
    }

    @Override
    public void close() {
        try {
            store.close();
        } finally {
            closeVertx(vertx);
            deleteTree(directory);
        }
    }

    /** The version of the embedded server's binaries ("postgres (PostgreSQL) 14.x"), if they can be found. */
    static Optional<String> embeddedPostgresVersion() {
        Path root = Path.of(System.getProperty("java.io.tmpdir"), "capstan-embedded-pg");
        try (Stream<Path> dirs = Files.list(root)) {
            Optional<Path> binary = dirs.map(d -> d.resolve("bin/postgres"))
                    .filter(Files::isExecutable)
                    .max(Comparator.comparing(BenchStore::modified));
            if (binary.isEmpty()) {
                return Optional.empty();
            }
            return Processes.output(binary.get().toString(), "--version").map(String::strip);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static long modified(Path p) {
        try {
            return Files.getLastModifiedTime(p).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }

    private static void closeVertx(Vertx vertx) {
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            System.err.println("warning: Vert.x did not close cleanly: " + e);
        }
    }

    static void deleteTree(Path root) {
        try {
            FileTrees.delete(root);
        } catch (IOException e) {
            System.err.println("warning: could not remove " + root + ": " + e);
        }
    }
}
