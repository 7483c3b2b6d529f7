package dev.capstan.api.table;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.capstan.api.TestRegistry;
import java.time.Instant;
import java.util.List;

/** Shared clock and JSON parsing for the table tests. */
final class Fixtures {
    /** Every fixture is created five hours before this instant unless it says otherwise. */
    static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Fixtures() {}

    static JsonNode json(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("bad fixture: " + e.getOriginalMessage(), e);
        }
    }

    static List<Object> cells(String group, String kind, String json) {
        return TestRegistry.table(group, kind).printer().cells(json(json), NOW);
    }
}
