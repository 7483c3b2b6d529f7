package dev.capstan.api.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.Json;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/** Small rules on {@code metadata} that every kind shares: timestamps, generated names, deletion state. */
public final class ObjectMetaRules {
    // Upstream's alphabet for generated name suffixes: no vowels, no confusable characters.
    private static final String SUFFIX_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";
    private static final SecureRandom RANDOM = new SecureRandom();
    // Upstream keeps generated names within 63 characters: the prefix is cut to 58 before the 5-character suffix.
    private static final int MAX_PREFIX = 58;

    private ObjectMetaRules() {}

    public static String name(ObjectNode object) {
        return Json.metadata(object).path("name").asText("");
    }

    /** An RFC 3339 time at second precision, as metav1.Time serialises. */
    public static String timestamp(Instant instant) {
        return DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.SECONDS));
    }

    public static String generatedName(String prefix) {
        StringBuilder name = new StringBuilder(prefix.length() > MAX_PREFIX ? prefix.substring(0, MAX_PREFIX) : prefix);
        for (int i = 0; i < 5; i++) {
            name.append(SUFFIX_ALPHABET.charAt(RANDOM.nextInt(SUFFIX_ALPHABET.length())));
        }
        return name.toString();
    }

    public static boolean isBeingDeleted(ObjectNode object) {
        return Json.metadata(object).hasNonNull("deletionTimestamp");
    }

    public static boolean hasFinalizers(ObjectNode object) {
        JsonNode finalizers = Json.metadata(object).get("finalizers");
        return finalizers != null && finalizers.isArray() && !finalizers.isEmpty();
    }

    /** Whether the spec changed: what bumps {@code generation} for the kinds that track it. */
    public static boolean specChanged(ObjectNode before, ObjectNode after) {
        return !before.path("spec").equals(after.path("spec"));
    }

    /**
     * The generation rules of kinds that track it (upstream's strategies for Deployments, Jobs, ...): 1 on create,
     * and one more on every update that changes the spec.
     */
    public static void initGeneration(ObjectNode object) {
        Json.metadata(object).put("generation", 1);
    }

    /** The stored generation, plus one when {@code changed}. */
    public static void setGeneration(ObjectNode object, ObjectNode old, boolean changed) {
        long generation = Json.metadata(old).path("generation").asLong(0);
        Json.metadata(object).put("generation", Math.max(changed ? generation + 1 : generation, 1));
    }
}
