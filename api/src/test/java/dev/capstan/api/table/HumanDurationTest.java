package dev.capstan.api.table;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HumanDurationTest {

    @ParameterizedTest(name = "{0} ms -> {1}")
    @CsvSource({
        "-2000, <invalid>",
        "-1999, 0s",
        "-1500, 0s",
        "-1000, 0s",
        "-1, 0s",
        "0, 0s",
        "999, 0s",
        "1000, 1s",
        "45000, 45s",
        "119999, 119s",
        "120000, 2m",
        "200000, 3m20s",
        "599000, 9m59s",
        "600000, 10m",
        "10799000, 179m",
        "10800000, 3h",
        "18000000, 5h",
        "28740000, 7h59m",
        "28800000, 8h",
        "172799000, 47h",
        "172800000, 2d",
        "183600000, 2d3h",
        "691140000, 7d23h",
        "691200000, 8d",
        "34560000000, 400d",
        "62985600000, 729d",
        "63072000000, 2y",
        "63158400000, 2y1d",
        "252201600000, 7y364d",
        "252288000000, 8y",
        "315360000000, 10y",
    })
    void matchesUpstreamHumanDuration(long millis, String expected) {
        assertThat(Durations.human(Duration.ofMillis(millis))).isEqualTo(expected);
    }
}
