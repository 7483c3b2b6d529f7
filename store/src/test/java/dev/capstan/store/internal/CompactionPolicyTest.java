package dev.capstan.store.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CompactionPolicyTest {
    private static final Instant T0 = Instant.parse("2026-11-21T12:00:00Z");

    @Test
    void nothingIsTrimmedWhileTheLogIsYoungAndSmall() {
        var policy = new CompactionPolicy(Duration.ofMinutes(5), 1000);
        assertThat(policy.target(T0, 500, 500)).isZero();
        assertThat(policy.target(T0.plusSeconds(60), 900, 900)).isZero();
    }

    @Test
    void entriesOlderThanTheMaxAgeAreTrimmed() {
        var policy = new CompactionPolicy(Duration.ofMinutes(5), 1_000_000);
        policy.target(T0, 100, 100);
        policy.target(T0.plusSeconds(60), 200, 200);
        // Five minutes after the first sample, what was written by then is old enough.
        assertThat(policy.target(T0.plusSeconds(300), 300, 300)).isEqualTo(100);
        assertThat(policy.target(T0.plusSeconds(361), 350, 350)).isEqualTo(200);
    }

    @Test
    void theLogKeepsAtMostMaxCountEntries() {
        var policy = new CompactionPolicy(Duration.ofHours(1), 1000);
        assertThat(policy.target(T0, 5000, 5000)).isEqualTo(4000);
    }

    @Test
    void compactionNeverPassesWhatTheLocalReaderDelivered() {
        var policy = new CompactionPolicy(Duration.ofHours(1), 1000);
        assertThat(policy.target(T0, 5000, 3500)).isEqualTo(3500);
    }
}
