package dev.capstan.model.net;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class Ipv4CidrTest {

    @ParameterizedTest
    @CsvSource({
        "10.0.0.0/8, 10.0.0.0/8",
        "10.0.0.5/24, 10.0.0.0/24",
        "172.17.255.255/12, 172.16.0.0/12",
        "0.0.0.0/0, 0.0.0.0/0",
        "1.2.3.4/0, 0.0.0.0/0",
        "255.255.255.255/32, 255.255.255.255/32",
        "192.168.1.129/25, 192.168.1.128/25"
    })
    void parsesAndMasksAsGo(String in, String canonical) {
        assertThat(Ipv4Cidr.parse(in)).get().hasToString(canonical);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "10.0.0.0",
                "10.0.0.0/33",
                "10.0.0/8",
                "10.0.0.256/8",
                "010.0.0.0/8",
                "10.0.0.0/",
                "fd00::/8",
                "10.0.0.0/-1",
                "a.b.c.d/8",
                "10.0.0.0/8/8",
                "10..0.0/8"
            })
    void rejectsWhatIsNotAnIpv4Cidr(String in) {
        assertThat(Ipv4Cidr.parse(in)).isEmpty();
    }

    @Test
    void containment() {
        Ipv4Cidr outer = Ipv4Cidr.parse("172.17.0.0/16").orElseThrow();
        Ipv4Cidr inner = Ipv4Cidr.parse("172.17.1.0/24").orElseThrow();
        assertThat(outer.contains(inner)).isTrue();
        assertThat(inner.contains(outer)).isFalse();
        assertThat(outer.contains(outer)).isTrue();
        assertThat(outer.contains(Ipv4Cidr.parseAddress("172.17.200.1").getAsInt()))
                .isTrue();
        assertThat(outer.contains(Ipv4Cidr.parseAddress("172.18.0.1").getAsInt()))
                .isFalse();
        assertThat(Ipv4Cidr.parse("0.0.0.0/0").orElseThrow().contains(-1)).isTrue();
    }

    @Test
    void addressesRoundTripAndSortUnsigned() {
        int high = Ipv4Cidr.parseAddress("200.1.2.3").getAsInt();
        assertThat(Ipv4Cidr.format(high)).isEqualTo("200.1.2.3");
        assertThat(high).isNegative();
        assertThat(new Ipv4Cidr(high, 32))
                .isGreaterThan(new Ipv4Cidr(Ipv4Cidr.parseAddress("10.0.0.1").getAsInt(), 32));
        assertThat(Ipv4Cidr.parse("10.0.0.0/8").orElseThrow())
                .isLessThan(Ipv4Cidr.parse("10.0.0.0/16").orElseThrow());
        assertThat(Ipv4Cidr.parseAddress("1.2.3")).isEmpty();
        assertThat(Ipv4Cidr.parseAddress("::1")).isEmpty();
    }
}
