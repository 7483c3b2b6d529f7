package dev.capstan.node.volumes;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * hostPath type checks as upstream's hostpath plugin: DirectoryOrCreate and FileOrCreate make what is missing (0755 and
 * 0644), every other type must already be there as that kind of file. Symbolic links are followed, as stat does.
 */
public final class HostPaths {
    private HostPaths() {}

    /** Checks {@code path} against the volume's {@code type} (null or empty: no check). */
    public static void check(Path path, String type) {
        if (type == null || type.isEmpty()) {
            return;
        }
        switch (type) {
            case "DirectoryOrCreate" -> {
                if (!Files.exists(path)) {
                    make(path, true);
                } else if (!Files.isDirectory(path)) {
                    throw notA(path, "directory");
                }
            }
            case "Directory" -> {
                if (!Files.isDirectory(path)) {
                    throw notA(path, "directory");
                }
            }
            case "FileOrCreate" -> {
                if (!Files.exists(path)) {
                    make(path, false);
                } else if (!Files.isRegularFile(path)) {
                    throw notA(path, "file");
                }
            }
            case "File" -> {
                if (!Files.isRegularFile(path)) {
                    throw notA(path, "file");
                }
            }
            case "Socket" -> requireKind(path, "socket file", 0140000);
            case "CharDevice" -> requireKind(path, "character device", 0020000);
            case "BlockDevice" -> requireKind(path, "block device", 0060000);
            default -> throw new VolumeException(type + " is an invalid volume type");
        }
    }

    /** The file type bits of st_mode (S_IFMT), which Java reports only through the unix attribute view. */
    private static void requireKind(Path path, String what, int kind) {
        try {
            int mode = (Integer) Files.getAttribute(path, "unix:mode");
            if ((mode & 0170000) == kind) {
                return;
            }
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            // missing, or not a unix file system: not of that kind
        }
        throw notA(path, what);
    }

    private static void make(Path path, boolean dir) {
        try {
            if (dir) {
                Files.createDirectories(path);
                Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwxr-xr-x"));
            } else {
                Files.createFile(path);
                Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-r--r--"));
            }
        } catch (IOException e) {
            throw new VolumeException("cannot create " + path + ": " + e.getMessage(), e);
        }
    }

    private static VolumeException notA(Path path, String what) {
        return new VolumeException("hostPath type check failed: " + path + " is not a " + what);
    }
}
