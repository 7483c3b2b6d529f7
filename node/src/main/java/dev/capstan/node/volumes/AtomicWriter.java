package dev.capstan.node.volumes;

import dev.capstan.model.files.FileTrees;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Writes a set of files into a volume directory so that a container never sees half of an update (upstream's
 * pkg/volume/util/atomic_writer.go): the files go into a new timestamped directory {@code ..2026_12_06_06_30_00.123},
 * the {@code ..data} symlink is switched to it with one rename, and each top-level name is a symlink through
 * {@code ..data}. A payload equal to what is there writes nothing. Names the new payload drops lose their symlinks,
 * and the previous timestamped directory is removed.
 */
public final class AtomicWriter {
    /** The symlink to the current timestamped directory. */
    public static final String DATA = "..data";

    private static final String DATA_TMP = "..data_tmp";
    private static final DateTimeFormatter TS_DIR = DateTimeFormatter.ofPattern("'..'yyyy_MM_dd_HH_mm_ss'.'");

    /** One file: its bytes and its permission bits (e.g. 0644). */
    public record FileProjection(byte[] data, int mode) {
        public FileProjection {
            data = data.clone();
        }

        @Override
        public byte[] data() {
            return data.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof FileProjection f && f.mode == mode && Arrays.equals(f.data, data);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(data) * 31 + mode;
        }

        @Override
        public String toString() {
            return "FileProjection[" + data.length + " bytes, mode " + Integer.toOctalString(mode) + "]";
        }
    }

    private final Path target;
    private final Clock clock;

    public AtomicWriter(Path target, Clock clock) {
        this.target = target;
        this.clock = clock;
    }

    /**
     * Makes the directory hold exactly {@code payload} (relative paths → files); answers whether anything changed.
     * Paths must be relative, without {@code ..} elements, and may not start with {@code ..}.
     */
    public boolean write(Map<String, FileProjection> payload) {
        Map<String, FileProjection> clean = new TreeMap<>();
        payload.forEach((path, file) -> clean.put(validate(path), file));
        try {
            Files.createDirectories(target);
            Path dataLink = target.resolve(DATA);
            Path oldTsDir = Files.isSymbolicLink(dataLink) ? target.resolve(Files.readSymbolicLink(dataLink)) : null;
            Map<String, FileProjection> current = oldTsDir == null ? null : read(oldTsDir);
            if (clean.equals(current)) {
                return false;
            }
            Path tsDir = Files.createTempDirectory(
                    target, TS_DIR.format(clock.instant().atOffset(ZoneOffset.UTC)));
            Files.setPosixFilePermissions(tsDir, permissions(0755));
            for (var e : clean.entrySet()) {
                Path file = tsDir.resolve(e.getKey());
                Files.createDirectories(file.getParent());
                Files.write(file, e.getValue().data());
                Files.setPosixFilePermissions(file, permissions(e.getValue().mode()));
            }
            Set<String> visible = new HashSet<>();
            for (String path : clean.keySet()) {
                String top = topLevel(path);
                visible.add(top);
                Path link = target.resolve(top);
                if (!Files.exists(link, LinkOption.NOFOLLOW_LINKS)) {
                    Files.createSymbolicLink(link, Path.of(DATA, top));
                }
            }
            // The switch: one rename of a fresh symlink over ..data.
            Path tmp = target.resolve(DATA_TMP);
            Files.deleteIfExists(tmp);
            Files.createSymbolicLink(tmp, tsDir.getFileName());
            Files.move(tmp, dataLink, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            if (current != null) {
                for (String path : current.keySet()) {
                    String top = topLevel(path);
                    if (!visible.contains(top)) {
                        Files.deleteIfExists(target.resolve(top));
                    }
                }
                FileTrees.delete(oldTsDir);
            }
            return true;
        } catch (FileAlreadyExistsException e) {
            throw new VolumeException("cannot write " + target + ": " + e.getFile() + " exists and is not ours", e);
        } catch (IOException e) {
            throw new VolumeException("cannot write " + target + ": " + e.getMessage(), e);
        }
    }

    /** The files of a timestamped directory with their modes, to compare a payload with. */
    private static Map<String, FileProjection> read(Path tsDir) throws IOException {
        Map<String, FileProjection> files = new TreeMap<>();
        if (!Files.isDirectory(tsDir)) {
            return null;
        }
        try (Stream<Path> walk = Files.walk(tsDir)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                files.put(tsDir.relativize(p).toString(), new FileProjection(Files.readAllBytes(p), mode(p)));
            }
        }
        return files;
    }

    private static String validate(String path) {
        if (path.isEmpty() || path.startsWith("/") || path.startsWith("..")) {
            throw new VolumeException("invalid path " + path + ": must be relative and may not start with '..'");
        }
        for (String element : path.split("/")) {
            if (element.equals("..")) {
                throw new VolumeException("invalid path " + path + ": must not contain '..'");
            }
        }
        return path;
    }

    private static String topLevel(String path) {
        int slash = path.indexOf('/');
        return slash < 0 ? path : path.substring(0, slash);
    }

    static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> set = new HashSet<>();
        PosixFilePermission[] bits = PosixFilePermission.values(); // OWNER_READ … OTHERS_EXECUTE, high bit first
        for (int i = 0; i < 9; i++) {
            if ((mode & (1 << (8 - i))) != 0) {
                set.add(bits[i]);
            }
        }
        return set;
    }

    static int mode(Path p) throws IOException {
        int mode = 0;
        PosixFilePermission[] bits = PosixFilePermission.values();
        Set<PosixFilePermission> set = Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS);
        for (int i = 0; i < 9; i++) {
            if (set.contains(bits[i])) {
                mode |= 1 << (8 - i);
            }
        }
        return mode;
    }
}
