package dev.capstan.api.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/** The admin's bearer token, generated once and kept with the state so that kubeconfigs survive restarts. */
public final class AdminToken {
    private static final SecureRandom RANDOM = new SecureRandom();

    private AdminToken() {}

    /**
     * Reads the token in file, or creates one (32 random bytes, base64url without padding) with mode 0600. Surrounding
     * whitespace is ignored, so an operator may put in a token of their own with an editor; an empty file gets a new
     * token.
     */
    public static String ensure(Path file) throws IOException {
        if (Files.exists(file)) {
            String token = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (!token.isEmpty()) {
                SecureFiles.restrictToOwner(file);
                return token;
            }
        }
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        SecureFiles.write(file, (token + "\n").getBytes(StandardCharsets.US_ASCII), true);
        return token;
    }

    /**
     * Constant-time comparison of a presented bearer token: the time taken reveals nothing about how much of it was
     * right. An empty expected token matches nothing.
     */
    public static boolean matches(String expected, String presented) {
        if (expected == null || expected.isEmpty() || presented == null) {
            return false;
        }
        return MessageDigest.isEqual(
                expected.getBytes(StandardCharsets.UTF_8), presented.getBytes(StandardCharsets.UTF_8));
    }
}
