package dev.capstan.client.leader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LeaderElectionConfigTest {

    private static LeaderElectionConfig config(long leaseMs, long renewMs, long retryMs, String identity) {
        return new LeaderElectionConfig(
                "kube-system",
                "kube-scheduler",
                identity,
                Duration.ofMillis(leaseMs),
                Duration.ofMillis(renewMs),
                Duration.ofMillis(retryMs),
                false);
    }

    @ParameterizedTest
    @CsvSource({
        "15000, 10000, 2000",
        "1000, 600, 100",
        // renewDeadline must exceed retryPeriod * 1.2 strictly: 2401 > 2400
        "15000, 2401, 2000",
    })
    void acceptsUpstreamOrdering(long lease, long renew, long retry) {
        assertThat(config(lease, renew, retry, "me").retryPeriod()).isEqualTo(Duration.ofMillis(retry));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "10000 | 10000 | 2000 | me | leaseDuration must be greater than renewDeadline",
                "9000  | 10000 | 2000 | me | raise leaseDuration or lower renewDeadline",
                "15000 | 2400  | 2000 | me | renewDeadline must be greater than retryPeriod*JitterFactor",
                "15000 | 2000  | 2000 | me | raise renewDeadline or lower retryPeriod",
                "0     | 10000 | 2000 | me | leaseDuration must be greater than zero",
                "15000 | 0     | 2000 | me | renewDeadline must be greater than zero",
                "15000 | 10000 | 0    | me | retryPeriod must be greater than zero",
                "15000 | 10000 | 2000 | ''  | Lock identity is empty",
            })
    void refusesWhatUpstreamRefuses(long lease, long renew, long retry, String identity, String message) {
        assertThatThrownBy(() -> config(lease, renew, retry, identity))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }

    @ParameterizedTest
    @CsvSource({"15000, 15", "1000, 1", "1500, 2", "200, 1"})
    void leaseDurationSecondsRoundUp(long leaseMs, int seconds) {
        assertThat(config(leaseMs, leaseMs / 2, leaseMs / 5, "me").leaseDurationSeconds())
                .isEqualTo(seconds);
    }

    @ParameterizedTest
    @CsvSource({"kube-scheduler", "kube-controller-manager"})
    void defaultsAreUpstreams(String name) {
        LeaderElectionConfig config = LeaderElectionConfig.of(name);
        assertThat(config.namespace()).isEqualTo("kube-system");
        assertThat(config.name()).isEqualTo(name);
        assertThat(config.leaseDuration()).isEqualTo(Duration.ofSeconds(15));
        assertThat(config.renewDeadline()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.retryPeriod()).isEqualTo(Duration.ofSeconds(2));
        assertThat(config.identity()).matches(".+_[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
        assertThat(LeaderElectionConfig.of(name).identity()).isNotEqualTo(config.identity());
    }
}
