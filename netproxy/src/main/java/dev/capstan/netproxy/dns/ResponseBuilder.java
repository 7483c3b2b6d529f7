package dev.capstan.netproxy.dns;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.dns.AbstractDnsOptPseudoRrRecord;
import io.netty.handler.codec.dns.DatagramDnsQuery;
import io.netty.handler.codec.dns.DatagramDnsResponse;
import io.netty.handler.codec.dns.DefaultDnsQuestion;
import io.netty.handler.codec.dns.DefaultDnsRawRecord;
import io.netty.handler.codec.dns.DefaultDnsResponse;
import io.netty.handler.codec.dns.DnsQuery;
import io.netty.handler.codec.dns.DnsQuestion;
import io.netty.handler.codec.dns.DnsRecord;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponse;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.handler.codec.dns.DnsSection;
import java.util.List;

/** Turns an {@link Answer} into Netty's response message, truncating UDP answers to what the client takes. */
final class ResponseBuilder {
    /** RFC 1035's UDP limit without EDNS. */
    static final int CLASSIC_UDP = 512;
    /** What we offer and accept as EDNS payload (the DNS flag day's 1232 would also do; CoreDNS caps at 4096). */
    static final int MAX_UDP = 4096;

    /** A TCP message's two-byte length prefix allows no more. */
    static final int MAX_TCP = 65535;

    private static final int HEADER = 12;
    /** Our OPT record: root name, type, class, TTL, RDLENGTH 0. */
    private static final int OPT_SIZE = 11;

    private ResponseBuilder() {}

    /** The largest UDP response this query takes: 512, or its EDNS payload size (at most 4096). */
    static int udpLimit(DnsQuery query) {
        for (int i = 0; i < query.count(DnsSection.ADDITIONAL); i++) {
            DnsRecord r = query.recordAt(DnsSection.ADDITIONAL, i);
            if (r.type() == DnsRecordType.OPT) {
                return Math.min(MAX_UDP, Math.max(CLASSIC_UDP, r.dnsClass()));
            }
        }
        return -1;
    }

    /** An empty response to the query (question copied, RD echoed), over the query's transport. */
    static DnsResponse empty(DnsQuery query, DnsResponseCode rcode) {
        DnsResponse response = query instanceof DatagramDnsQuery udp
                ? new DatagramDnsResponse(udp.recipient(), udp.sender(), query.id(), query.opCode(), rcode)
                : new DefaultDnsResponse(query.id(), query.opCode(), rcode);
        response.setRecursionDesired(query.isRecursionDesired());
        DnsQuestion question = query.recordAt(DnsSection.QUESTION);
        if (question != null) {
            response.addRecord(DnsSection.QUESTION, new DefaultDnsQuestion(question.name(), question.type()));
        }
        return response;
    }

    /**
     * The answer as a response, within the client's limit (UDP: 512 or its EDNS size; TCP: 64 KiB) as miekg/dns's
     * Truncate does: the additional section goes first and without TC; if answers or authority still do not fit,
     * the records that do fit stay and TC tells the client to ask again over TCP.
     */
    static DnsResponse build(DnsQuery query, Answer answer, boolean recursionAvailable) {
        DnsResponse response = empty(query, answer.rcode());
        response.setAuthoritativeAnswer(answer.authoritative());
        response.setRecursionAvailable(recursionAvailable);
        int edns = udpLimit(query);
        int limit = query instanceof DatagramDnsQuery ? (edns < 0 ? CLASSIC_UDP : edns) : MAX_TCP;
        int budget = limit - HEADER - (edns < 0 ? 0 : OPT_SIZE);
        DnsQuestion question = query.recordAt(DnsSection.QUESTION);
        if (question != null) {
            budget -= Rr.nameLength(question.name()) + 4;
        }
        List<Rr> answers = answer.answers();
        List<Rr> authority = answer.authority();
        List<Rr> additional = answer.additional();
        int fitAnswers = fit(answers, budget);
        budget -= size(answers, fitAnswers);
        int fitAuthority = fitAnswers < answers.size() ? 0 : fit(authority, budget);
        budget -= size(authority, fitAuthority);
        int fitAdditional = fitAuthority < authority.size() ? 0 : fit(additional, budget);
        response.setTruncated(fitAnswers < answers.size() || fitAuthority < authority.size());
        add(response, DnsSection.ANSWER, answers.subList(0, fitAnswers));
        add(response, DnsSection.AUTHORITY, authority.subList(0, fitAuthority));
        add(response, DnsSection.ADDITIONAL, additional.subList(0, fitAdditional));
        if (edns >= 0) {
            response.addRecord(DnsSection.ADDITIONAL, new AbstractDnsOptPseudoRrRecord(MAX_UDP) {});
        }
        return response;
    }

    private static void add(DnsResponse response, DnsSection section, List<Rr> records) {
        for (Rr rr : records) {
            response.addRecord(
                    section,
                    new DefaultDnsRawRecord(rr.name(), rr.type(), rr.ttl(), Unpooled.wrappedBuffer(rr.rdata())));
        }
    }

    private static int fit(List<Rr> records, int budget) {
        int used = 0;
        for (int i = 0; i < records.size(); i++) {
            used += records.get(i).wireSize();
            if (used > budget) {
                return i;
            }
        }
        return records.size();
    }

    private static int size(List<Rr> records, int count) {
        int total = 0;
        for (int i = 0; i < count; i++) {
            total += records.get(i).wireSize();
        }
        return total;
    }
}
