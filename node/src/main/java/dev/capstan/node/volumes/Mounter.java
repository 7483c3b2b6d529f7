package dev.capstan.node.volumes;

import java.nio.file.Path;
import java.util.List;

/** The mounts volumes need: tmpfs for memory-backed emptyDirs and secrets, and their removal. A fake in tests. */
public interface Mounter {
    /** Mounts a tmpfs of at most {@code sizeBytes} (0: the kernel's default, half the memory) on {@code dir}. */
    void mountTmpfs(Path dir, long sizeBytes);

    void unmount(Path dir);

    /** The mount points at or below {@code dir}. */
    List<Path> mountsUnder(Path dir);
}
