package dev.capstan.controllers.nodeipam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CidrSetTest {
    @Test
    void handsOutSubnetsInOrderUntilExhausted() {
        CidrSet set = new CidrSet("10.244.0.0/22", 24);
        List<String> got = new ArrayList<>();
        set.allocateNext().ifPresent(got::add);
        set.allocateNext().ifPresent(got::add);
        set.allocateNext().ifPresent(got::add);
        set.allocateNext().ifPresent(got::add);
        assertThat(got).containsExactly("10.244.0.0/24", "10.244.1.0/24", "10.244.2.0/24", "10.244.3.0/24");
        assertThat(set.allocateNext()).isEmpty();
    }

    @Test
    void releasedSubnetIsGivenAgainOnlyAfterTheOthers() {
        CidrSet set = new CidrSet("10.244.0.0/22", 24);
        set.allocateNext();
        set.allocateNext();
        set.release("10.244.0.0/24");
        assertThat(set.allocateNext()).contains("10.244.2.0/24");
        assertThat(set.allocateNext()).contains("10.244.3.0/24");
        assertThat(set.allocateNext()).contains("10.244.0.0/24");
    }

    @Test
    void occupiedSubnetsAreSkipped() {
        CidrSet set = new CidrSet("10.244.0.0/16", 24);
        assertThat(set.occupy("10.244.0.0/24")).isTrue();
        assertThat(set.occupy("10.244.1.0/24")).isTrue();
        assertThat(set.occupy("10.9.0.0/24")).isFalse();
        assertThat(set.allocateNext()).contains("10.244.2.0/24");
        assertThat(set.used()).isEqualTo(3);
        assertThat(set.size()).isEqualTo(256);
    }

    @ParameterizedTest
    @CsvSource({
        "10.244.4.0/23, 10.244.4.0/24, true",
        "10.244.4.0/23, 10.244.5.0/24, true",
        "10.244.4.0/23, 10.244.6.0/24, false",
        "10.244.0.0/16, 10.244.0.0/24, true",
        "10.244.0.0/16, 10.244.255.0/24, true"
    })
    void occupyingALargerCidrTakesEverySubnetInside(String occupied, String probe, boolean used) {
        CidrSet set = new CidrSet("10.244.0.0/16", 24);
        set.occupy(occupied);
        assertThat(set.isUsed(probe)).isEqualTo(used);
    }

    @Test
    void badConfigurationSaysWhatToChange() {
        assertThatThrownBy(() -> new CidrSet("10.244.0.0", 24)).hasMessageContaining("is not a CIDR");
        assertThatThrownBy(() -> new CidrSet("10.244.0.0/16", 8)).hasMessageContaining("must be between");
        assertThatThrownBy(() -> new CidrSet("10.0.0.0/8", 30)).hasMessageContaining("more than 16 bits longer");
        assertThatThrownBy(() -> new CidrSet("fd00::/48", 64)).hasMessageContaining("IPv4");
    }
}
