package dev.capstan.model.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** Removing a directory with everything in it. */
public final class FileTrees {
    private static final List<Path> AT_EXIT = new ArrayList<>();

    private FileTrees() {}

    /**
     * Deletes {@code root} and everything below it; nothing if it does not exist. Symbolic links are removed, never
     * followed, so a link out of the tree (a hostPath, a mount's source) cannot take what it points at along.
     */
    public static void delete(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            // deepest first, so each directory is empty when its turn comes
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Deletes {@code root} when the JVM exits normally (a scratch directory of a test or a harness). */
    public static synchronized void deleteAtExit(Path root) {
        if (AT_EXIT.isEmpty()) {
            Runtime.getRuntime().addShutdownHook(new Thread(FileTrees::deleteRegistered, "delete-scratch"));
        }
        AT_EXIT.add(root);
    }

    private static synchronized void deleteRegistered() {
        for (Path p : AT_EXIT) {
            try {
                delete(p);
            } catch (IOException e) {
                System.err.println("could not remove " + p + ": " + e.getMessage());
            }
        }
    }
}
