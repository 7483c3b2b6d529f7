package dev.capstan.store.embedded;

import com.sun.security.auth.module.UnixSystem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Set;

/**
 * Password files of the embedded server: generated once, mode 0600 and owned by this process's user. They lie
 * beside the data directory, not in it, so that the server's own user (nobody, when root runs it via setpriv)
 * cannot read them.
 */
final class Secrets {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Set<PosixFilePermission> OWNER_ONLY =
            EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

    private Secrets() {}

    /** The password in {@code file}, generated (256 random bits) when the file does not exist yet. */
    static String readOrCreate(Path file) throws IOException {
        if (Files.exists(file)) {
            return read(file);
        }
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        // URL-safe Base64 has no quote or backslash, so it can go into SQL as a plain literal.
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        // Created 0600 from the start, then moved into place: no moment where others could read it.
        Path temp = Files.createTempFile(
                file.getParent(), file.getFileName() + ".", ".tmp", PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        try {
            Files.writeString(temp, password + "\n", StandardCharsets.US_ASCII);
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
        return password;
    }

    private static String read(Path file) throws IOException {
        int owner = (Integer) Files.getAttribute(file, "unix:uid");
        long uid = new UnixSystem().getUid();
        if (owner != uid) {
            throw new IOException("Password file " + file + " belongs to uid " + owner + ", not to this process (uid "
                    + uid + "): chown it, or delete it to have a new password generated");
        }
        Set<PosixFilePermission> mode = Files.getPosixFilePermissions(file);
        if (!OWNER_ONLY.containsAll(mode)) {
            throw new IOException("Password file " + file + " has mode " + PosixFilePermissions.toString(mode)
                    + ", so other users may have read it: delete it to have a new password generated (or chmod 600"
                    + " it if nobody else can have read it)");
        }
        String password = Files.readString(file, StandardCharsets.US_ASCII).trim();
        if (password.isEmpty() || !password.matches("[A-Za-z0-9_-]+")) {
            throw new IOException(
                    "Password file " + file + " is empty or damaged: delete it to have a new password" + " generated");
        }
        return password;
    }
}
