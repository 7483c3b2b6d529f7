package dev.capstan.controllers.expectations;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ControllerExpectationsTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final ControllerExpectations expectations = new ControllerExpectations(clock);

    @Test
    void noExpectationsAreSatisfied() {
        assertThat(expectations.satisfied("ns/rs")).isTrue();
    }

    @Test
    void creationsMustAllBeObserved() {
        expectations.expectCreations("ns/rs", 2);
        assertThat(expectations.satisfied("ns/rs")).isFalse();
        expectations.creationObserved("ns/rs");
        assertThat(expectations.satisfied("ns/rs")).isFalse();
        expectations.creationObserved("ns/rs");
        assertThat(expectations.satisfied("ns/rs")).isTrue();
    }

    @Test
    void deletionsCountEachExpectedKeyOnce() {
        expectations.expectDeletions("ns/rs", List.of("ns/a", "ns/b"));
        expectations.deletionObserved("ns/rs", "ns/a");
        expectations.deletionObserved("ns/rs", "ns/a"); // seen deleting, then deleted
        expectations.deletionObserved("ns/rs", "ns/other");
        assertThat(expectations.satisfied("ns/rs")).isFalse();
        assertThat(expectations.pending("ns/rs")).containsExactly(0, 1);
        expectations.deletionObserved("ns/rs", "ns/b");
        assertThat(expectations.satisfied("ns/rs")).isTrue();
    }

    @Test
    void unobservedExpectationsExpireAfterFiveMinutes() {
        expectations.expectCreations("ns/rs", 1);
        clock.advance(Duration.ofMinutes(5));
        assertThat(expectations.satisfied("ns/rs")).isFalse();
        clock.advance(Duration.ofMillis(1));
        assertThat(expectations.satisfied("ns/rs")).isTrue();
    }

    @Test
    void observationsWithoutExpectationsAreIgnoredAndDeleteForgets() {
        expectations.creationObserved("ns/rs");
        assertThat(expectations.pending("ns/rs")).containsExactly(0, 0);
        expectations.expectCreations("ns/rs", 3);
        expectations.delete("ns/rs");
        assertThat(expectations.satisfied("ns/rs")).isTrue();
    }
}
