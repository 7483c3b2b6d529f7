package dev.capstan.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PodAddressesTest {
    private final PodAddresses addresses = new PodAddresses();

    @Test
    void handsOutUniqueAddressesSkippingNetworkGatewayAndBroadcast() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 13; i++) {
            String ip = addresses.allocate("10.244.3.0/28", "p" + i);
            if (ip == null) {
                break;
            }
            seen.add(ip);
        }
        assertThat(seen)
                .hasSize(13)
                .doesNotContain("10.244.3.0", "10.244.3.1", "10.244.3.15")
                .contains("10.244.3.2", "10.244.3.14");
        assertThat(addresses.allocate("10.244.3.0/28", "p99")).isNull();
    }

    @Test
    void samePodKeepsItsAddressAndReleasedAddressesAreReused() {
        String a = addresses.allocate("10.244.0.0/24", "a");
        assertThat(addresses.allocate("10.244.0.0/24", "a")).isEqualTo(a);
        String b = addresses.allocate("10.244.0.0/24", "b");
        addresses.release("a");
        assertThat(addresses.allocate("10.244.0.0/24", "c")).isEqualTo(a);
        assertThat(b).isNotEqualTo(a);
        assertThat(addresses.inUse("10.244.0.0/24")).isEqualTo(2);
    }

    @Test
    void claimedAddressesAreNotGivenAgain() {
        assertThat(addresses.claim("10.244.0.0/24", "old", "10.244.0.2")).isTrue();
        assertThat(addresses.claim("10.244.0.0/24", "stray", "10.9.0.2")).isFalse();
        assertThat(addresses.allocate("10.244.0.0/24", "new")).isEqualTo("10.244.0.3");
    }

    @ParameterizedTest
    @CsvSource({
        "10.244.1.0/24, 10.244.1.77, true",
        "10.244.1.0/24, 10.244.2.1, false",
        "10.0.0.0/8, 10.255.255.254, true",
        "10.244.1.0/24, not-an-ip, false"
    })
    void contains(String cidr, String ip, boolean expected) {
        assertThat(PodAddresses.contains(cidr, ip)).isEqualTo(expected);
    }
}
