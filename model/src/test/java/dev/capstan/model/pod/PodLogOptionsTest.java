package dev.capstan.model.pod;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PodLogOptionsTest {

    @Test
    void decodesTheKubeletsQuery() {
        var options = PodLogOptions.fromQuery(query(Map.of(
                "follow", "true",
                "previous", "1",
                "timestamps", "T",
                "tailLines", "10",
                "sinceTime", "2026-12-06T07:00:00.5+01:00",
                "limitBytes", "100")));
        assertThat(options)
                .isEqualTo(new PodLogOptions(
                        true,
                        true,
                        true,
                        OptionalLong.of(10),
                        OptionalLong.empty(),
                        Optional.of(Instant.parse("2026-12-06T06:00:00.5Z")),
                        OptionalLong.of(100)));
        assertThat(PodLogOptions.fromQuery(query(options.toQuery()))).isEqualTo(options);
        assertThat(PodLogOptions.fromQuery(Map.of())).isEqualTo(PodLogOptions.DEFAULTS);
        assertThat(PodLogOptions.DEFAULTS.toQuery()).isEmpty();
    }

    @Test
    void theLegacyTailStandsForTailLines() {
        assertThat(PodLogOptions.fromQuery(query(Map.of("tail", "5", "tailLines", "9")))
                        .tailLines())
                .isEqualTo(OptionalLong.of(5));
        assertThat(PodLogOptions.fromQuery(query(Map.of("tail", "all", "tailLines", "9")))
                        .tailLines())
                .isEmpty();
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "follow|yes|follow: cannot parse \"yes\" as a boolean",
                "tailLines|ten|tailLines: cannot parse \"ten\" as an integer",
                "sinceTime|yesterday|sinceTime: cannot parse \"yesterday\" as an RFC 3339 time",
                "limitBytes|1.5|limitBytes: cannot parse \"1.5\" as an integer"
            })
    void undecodableValues(String name, String value, String message) {
        assertThatThrownBy(() -> PodLogOptions.fromQuery(query(Map.of(name, value))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "tailLines=-1|tailLines: Invalid value: -1: must be greater than or equal to 0",
                "limitBytes=0|limitBytes: Invalid value: 0: must be greater than 0",
                "sinceSeconds=0|sinceSeconds: Invalid value: 0: must be greater than 0",
                "sinceSeconds=5&sinceTime=2026-12-06T07:00:00Z|: Forbidden: at most one of `sinceTime` or `sinceSeconds` may be specified"
            })
    void upstreamValidation(String params, String message) {
        Map<String, String> q = new HashMap<>();
        for (String p : params.split("&")) {
            q.put(p.substring(0, p.indexOf('=')), p.substring(p.indexOf('=') + 1));
        }
        assertThat(PodLogOptions.fromQuery(query(q)).validate()).containsExactly(message);
    }

    @Test
    void sinceIsTheLaterOfSinceSecondsAndSinceTime() {
        Instant now = Instant.parse("2026-12-06T07:00:00Z");
        assertThat(PodLogOptions.fromQuery(query(Map.of("sinceSeconds", "60"))).since(now))
                .contains(Instant.parse("2026-12-06T06:59:00Z"));
        assertThat(PodLogOptions.DEFAULTS.since(now)).isEmpty();
    }

    private static Map<String, List<String>> query(Map<String, String> single) {
        Map<String, List<String>> q = new HashMap<>();
        single.forEach((k, v) -> q.put(k, List.of(v)));
        return q;
    }
}
