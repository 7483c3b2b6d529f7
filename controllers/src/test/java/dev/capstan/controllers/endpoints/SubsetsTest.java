package dev.capstan.controllers.endpoints;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointPort;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.ObjectReference;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SubsetsTest {
    private static EndpointAddress addr(String ip, String uid) {
        EndpointAddress a = new EndpointAddress();
        a.setIp(ip);
        if (uid != null) {
            ObjectReference ref = new ObjectReference();
            ref.setUid(uid);
            a.setTargetRef(ref);
        }
        return a;
    }

    private static EndpointPort port(String name, int number) {
        EndpointPort p = new EndpointPort();
        p.setName(name);
        p.setPort(number);
        p.setProtocol("TCP");
        return p;
    }

    private static EndpointSubset subset(
            List<EndpointAddress> ready, List<EndpointAddress> notReady, EndpointPort... ports) {
        EndpointSubset s = new EndpointSubset();
        s.setAddresses(new ArrayList<>(ready));
        s.setNotReadyAddresses(new ArrayList<>(notReady));
        s.setPorts(new ArrayList<>(List.of(ports)));
        return s;
    }

    private static String render(List<EndpointSubset> subsets) {
        StringBuilder b = new StringBuilder();
        for (EndpointSubset s : subsets) {
            b.append('{');
            s.getAddresses().forEach(a -> b.append(a.getIp()).append(' '));
            b.append('|');
            s.getNotReadyAddresses().forEach(a -> b.append(a.getIp()).append(' '));
            b.append('|');
            s.getPorts()
                    .forEach(p -> b.append(p.getName())
                            .append(':')
                            .append(p.getPort())
                            .append(' '));
            b.append('}');
        }
        return b.toString();
    }

    static Stream<Arguments> repackCases() {
        return Stream.of(
                Arguments.of("empty", List.of(), ""),
                Arguments.of(
                        "one address, two ports in two subsets: one subset",
                        List.of(
                                subset(List.of(addr("1.1.1.1", "u1")), List.of(), port("a", 1)),
                                subset(List.of(addr("1.1.1.1", "u1")), List.of(), port("b", 2))),
                        "{1.1.1.1 ||a:1 b:2 }"),
                Arguments.of(
                        "addresses sorted by IP, duplicates merged",
                        List.of(
                                subset(List.of(addr("1.1.1.2", "u2"), addr("1.1.1.1", "u1")), List.of(), port("a", 1)),
                                subset(List.of(addr("1.1.1.1", "u1")), List.of(), port("a", 1))),
                        "{1.1.1.1 1.1.1.2 ||a:1 }"),
                Arguments.of(
                        "not ready wins over ready for the same address and port",
                        List.of(
                                subset(List.of(addr("1.1.1.1", "u1")), List.of(), port("a", 1)),
                                subset(List.of(), List.of(addr("1.1.1.1", "u1")), port("a", 1))),
                        "{|1.1.1.1 |a:1 }"),
                Arguments.of(
                        "same IP with different uids are different addresses",
                        List.of(
                                subset(List.of(addr("1.1.1.1", "u1")), List.of(), port("a", 1)),
                                subset(List.of(addr("1.1.1.1", "u2")), List.of(), port("a", 1))),
                        "{1.1.1.1 1.1.1.1 ||a:1 }"),
                Arguments.of(
                        "different port numbers for different addresses: two subsets",
                        List.of(
                                subset(List.of(addr("1.1.1.1", "u1")), List.of(), port("http", 8080)),
                                subset(List.of(addr("1.1.1.2", "u2")), List.of(), port("http", 9090))),
                        "{1.1.1.1 ||http:8080 }{1.1.1.2 ||http:9090 }"),
                Arguments.of(
                        "subsets without ports are kept",
                        List.of(subset(List.of(addr("1.1.1.1", null)), List.of())),
                        "{1.1.1.1 ||}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("repackCases")
    void repack(String name, List<EndpointSubset> in, String expected) {
        assertThat(render(Subsets.repack(new ArrayList<>(in)))).isEqualTo(expected);
    }

    private static List<EndpointAddress> many(String prefix, int n) {
        List<EndpointAddress> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(addr(prefix + (i / 250) + "." + (i % 250), "u" + prefix + i));
        }
        return out;
    }

    @Test
    void truncateKeepsReadyFirstAndSharesCapacityByProportion() {
        List<EndpointSubset> under = new ArrayList<>(List.of(subset(many("10.0.", 1000), List.of(), port("a", 1))));
        assertThat(Subsets.truncate(under)).isFalse();

        List<EndpointSubset> ready = new ArrayList<>(List.of(
                subset(many("10.0.", 600), many("10.9.", 10), port("a", 1)),
                subset(many("10.1.", 600), List.of(), port("a", 2))));
        assertThat(Subsets.truncate(ready)).isTrue();
        assertThat(ready.get(0).getAddresses()).hasSize(500);
        assertThat(ready.get(0).getNotReadyAddresses()).isEmpty();
        assertThat(ready.get(1).getAddresses()).hasSize(500);

        List<EndpointSubset> mixed = new ArrayList<>(List.of(
                subset(many("10.0.", 800), many("10.2.", 300), port("a", 1)),
                subset(List.of(), many("10.3.", 100), port("a", 2))));
        assertThat(Subsets.truncate(mixed)).isTrue();
        assertThat(mixed.get(0).getAddresses()).hasSize(800);
        assertThat(mixed.get(0).getNotReadyAddresses()).hasSize(150);
        assertThat(mixed.get(1).getNotReadyAddresses()).hasSize(50);
    }
}
