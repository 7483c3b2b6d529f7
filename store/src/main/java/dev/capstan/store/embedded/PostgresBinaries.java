package dev.capstan.store.embedded;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.tukaani.xz.XZInputStream;

/** zonky's PostgreSQL 14 binaries, unpacked once per user where every launcher (setpriv's uid 65534 too) runs them. */
final class PostgresBinaries {
    private static Path unpacked; // once per JVM

    private PostgresBinaries() {}

    // Extracted to java.io.tmpdir (world-traversable) so that uid 65534 can execute them under setpriv.
    static synchronized Path path() throws IOException {
        if (unpacked != null && Files.isExecutable(unpacked.resolve("bin/postgres"))) {
            return unpacked;
        }
        byte[] archive;
        try (InputStream in =
                DefaultPostgresBinaryResolver.INSTANCE.getPgBinary("Linux", System.getProperty("os.arch"))) {
            archive = in.readAllBytes();
        }
        // One per user: a directory of another user's would have to be trusted with what it executes.
        Path root = Path.of(
                System.getProperty("java.io.tmpdir"),
                "capstan-embedded-pg" + (EmbeddedDatabase.isRoot() ? "" : "-" + EmbeddedDatabase.ownUid()));
        Files.createDirectories(root);
        if ((Integer) Files.getAttribute(root, "unix:uid") != EmbeddedDatabase.ownUid()) {
            throw new IOException(root + " belongs to another user; remove it (its binaries would be executed)");
        }
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
        CRC32 crc = new CRC32(); // names the version; the ownership check above guards against tampering
        crc.update(archive);
        Path target = root.resolve("pg-" + Long.toHexString(crc.getValue()) + "-" + archive.length);
        if (Files.isExecutable(target.resolve("bin/postgres"))) {
            return unpacked = target;
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
        return unpacked = target;
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
}
