package dev.capstan.api.registry.core;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * What an allocation key holds: the owning Service ("namespace/name") and when it was claimed, so that the repair
 * can tell a leak from a claim whose Service is still being stored.
 */
record Claim(String owner, Instant claimedAt) {
    static byte[] encode(String owner, Instant at) {
        return (owner + "\n" + at.toEpochMilli()).getBytes(StandardCharsets.UTF_8);
    }

    /** Reads a claim; one written before claims carried a time counts as made long ago. */
    static Claim decode(byte[] value) {
        String text = new String(value, StandardCharsets.UTF_8);
        int newline = text.indexOf('\n');
        if (newline < 0) {
            return new Claim(text, Instant.EPOCH);
        }
        try {
            return new Claim(
                    text.substring(0, newline), Instant.ofEpochMilli(Long.parseLong(text.substring(newline + 1))));
        } catch (NumberFormatException e) {
            return new Claim(text.substring(0, newline), Instant.EPOCH);
        }
    }
}
