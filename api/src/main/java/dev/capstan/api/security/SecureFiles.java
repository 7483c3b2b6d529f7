package dev.capstan.api.security;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/** Writes credentials atomically (a crash never leaves a torn key) and never readable by others, not even briefly. */
final class SecureFiles {
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_ONLY_DIR = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> WORLD_READABLE = PosixFilePermissions.fromString("rw-r--r--");

    private SecureFiles() {}

    /** Creates dir (0700 where it is new) and its parents. */
    static void createDirectories(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        try {
            if (isPosix(dir)) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIR));
            } else {
                Files.createDirectories(dir);
            }
        } catch (FileAlreadyExistsException e) {
            // a symlink to a directory, or a concurrent creator: fine as long as it is a directory now
            if (!Files.isDirectory(dir)) {
                throw e;
            }
        }
    }

    /** Replaces file with content: mode 0600 if secret, else 0644. */
    static void write(Path file, byte[] content, boolean secret) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        createDirectories(parent);
        FileAttribute<?>[] attrs = isPosix(parent)
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)}
                : new FileAttribute<?>[0];
        Path tmp = Files.createTempFile(parent, "." + file.getFileName(), ".tmp", attrs);
        try {
            Files.write(tmp, content);
            if (!secret && isPosix(parent)) {
                Files.setPosixFilePermissions(tmp, WORLD_READABLE);
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Tightens an existing secret to 0600, e.g. after a restore from a backup that lost the mode. */
    static void restrictToOwner(Path file) throws IOException {
        if (isPosix(file) && !Files.getPosixFilePermissions(file).equals(OWNER_ONLY)) {
            Files.setPosixFilePermissions(file, OWNER_ONLY);
        }
    }

    private static boolean isPosix(Path path) {
        return path.getFileSystem().supportedFileAttributeViews().contains("posix");
    }
}
