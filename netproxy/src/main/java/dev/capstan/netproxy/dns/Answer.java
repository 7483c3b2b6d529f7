package dev.capstan.netproxy.dns;

import io.netty.handler.codec.dns.DnsResponseCode;
import java.util.List;

/**
 * The resolver's answer to one question. {@code outsideZone} marks a name the cluster does not own: the server
 * forwards it upstream when it has one, else refuses it (CoreDNS without a matching zone answers REFUSED).
 */
public record Answer(
        DnsResponseCode rcode,
        boolean authoritative,
        boolean outsideZone,
        List<Rr> answers,
        List<Rr> authority,
        List<Rr> additional) {

    static final Answer OUTSIDE = new Answer(DnsResponseCode.REFUSED, false, true, List.of(), List.of(), List.of());

    static Answer of(List<Rr> answers, List<Rr> additional) {
        return new Answer(
                DnsResponseCode.NOERROR, true, false, List.copyOf(answers), List.of(), List.copyOf(additional));
    }

    static Answer negative(DnsResponseCode rcode, Rr soa) {
        return new Answer(rcode, true, false, List.of(), List.of(soa), List.of());
    }
}
