package dev.capstan.netproxy.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capstan.model.net.Ipv4Cidr;
import dev.capstan.netproxy.policy.CompiledPolicy.Port;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PortMatchTest {
    private static Port tcp(int from, int to) {
        return new Port("TCP", null, from, to);
    }

    @Test
    void rangesMergeWhenTheyOverlapOrTouch() {
        var m = PortMatch.of(
                List.of(tcp(100, 200), tcp(150, 160), tcp(201, 210), tcp(80, 80), tcp(300, 310), tcp(299, 299)), null);
        assertThat(m.numericMatches()).containsExactly("tcp dport { 80, 100-210, 299-310 }");
        var wide = PortMatch.of(List.of(tcp(10, 20), tcp(30, 40), tcp(1, 100)), null);
        assertThat(wide.numericMatches()).containsExactly("tcp dport 1-100");
    }

    @Test
    void aProtocolWithoutPortCoversEveryPortOfIt() {
        var m = PortMatch.of(
                List.of(
                        tcp(80, 80),
                        new Port("TCP", null, null, null),
                        new Port("TCP", "http", null, null),
                        new Port("UDP", null, 53, 53)),
                null);
        assertThat(m.numericMatches()).containsExactly("meta l4proto tcp", "udp dport 53");
        assertThat(m.namedMatches(List.of(), ip -> true)).isEmpty();
        assertThat(m.any()).isFalse();
        assertThat(PortMatch.of(List.of(), null).any()).isTrue();
    }

    @Test
    void egressNamedPortsResolvePerDestinationAndProtocol() {
        int ip1 = Ipv4Cidr.parseAddress("10.0.0.1").getAsInt();
        int ip2 = Ipv4Cidr.parseAddress("10.0.0.2").getAsInt();
        var one = new PodEndpoint(
                "ns",
                "one",
                "n",
                Map.of(),
                List.of(ip1),
                List.of(new PodEndpoint.NamedPort("web", "TCP", 8080), new PodEndpoint.NamedPort("web", "UDP", 9999)));
        var two = new PodEndpoint(
                "ns", "two", "n", Map.of(), List.of(ip2), List.of(new PodEndpoint.NamedPort("web", "TCP", 80)));
        var m = PortMatch.of(List.of(new Port("TCP", "web", null, null)), null);
        assertThat(m.namedMatches(List.of(two, one), ip -> true))
                .containsExactly("ip daddr . tcp dport { 10.0.0.1 . 8080, 10.0.0.2 . 80 }");
        assertThat(m.namedMatches(List.of(two, one), ip -> ip == ip2))
                .containsExactly("ip daddr . tcp dport 10.0.0.2 . 80");
        // ingress: resolved on the guarded pod
        assertThat(PortMatch.of(List.of(new Port("UDP", "web", null, null)), one)
                        .numericMatches())
                .containsExactly("udp dport 9999");
    }
}
