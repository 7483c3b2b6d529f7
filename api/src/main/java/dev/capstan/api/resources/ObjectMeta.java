package dev.capstan.api.resources;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.Json;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/** Small rules on {@code metadata} that every resource shares. */
final class ObjectMeta {
    // Upstream's alphabet for generated name suffixes: no vowels, no confusable characters.
    private static final String SUFFIX_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    private ObjectMeta() {}

    static String name(ObjectNode object) {
        return Json.metadata(object).path("name").asText("");
    }

    static String timestamp(Instant instant) {
        return DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.SECONDS));
    }

    static String generatedName(String prefix) {
        StringBuilder name = new StringBuilder(prefix.length() > 58 ? prefix.substring(0, 58) : prefix);
        for (int i = 0; i < 5; i++) {
            name.append(SUFFIX_ALPHABET.charAt(RANDOM.nextInt(SUFFIX_ALPHABET.length())));
        }
        return name.toString();
    }

    static boolean isBeingDeleted(ObjectNode object) {
        return Json.metadata(object).hasNonNull("deletionTimestamp");
    }

    static boolean hasFinalizers(ObjectNode object) {
        JsonNode finalizers = Json.metadata(object).get("finalizers");
        return finalizers != null && finalizers.isArray() && !finalizers.isEmpty();
    }

    /** Everything but metadata and status: what a change of bumps {@code generation}. */
    static boolean specChanged(ObjectNode before, ObjectNode after) {
        ObjectNode a = before.deepCopy();
        ObjectNode b = after.deepCopy();
        for (ObjectNode o : new ObjectNode[] {a, b}) {
            o.remove("metadata");
            o.remove("status");
            o.remove("apiVersion");
            o.remove("kind");
        }
        return !a.equals(b);
    }
}
