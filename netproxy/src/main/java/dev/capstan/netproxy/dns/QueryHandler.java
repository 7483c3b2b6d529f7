package dev.capstan.netproxy.dns;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.dns.DnsOpCode;
import io.netty.handler.codec.dns.DnsQuery;
import io.netty.handler.codec.dns.DnsQuestion;
import io.netty.handler.codec.dns.DnsRawRecord;
import io.netty.handler.codec.dns.DnsRecord;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponse;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.handler.codec.dns.DnsSection;
import org.jboss.logging.Logger;

/** Answers each query on the event loop it arrived on; names outside the zone go to the forwarder, if any. */
@ChannelHandler.Sharable
final class QueryHandler extends SimpleChannelInboundHandler<DnsQuery> {
    private static final Logger LOG = Logger.getLogger(QueryHandler.class);

    private final ClusterResolver resolver;
    private final DnsForwarder forwarder;

    QueryHandler(ClusterResolver resolver, DnsForwarder forwarder) {
        this.resolver = resolver;
        this.forwarder = forwarder;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DnsQuery query) {
        DnsQuestion question = query.recordAt(DnsSection.QUESTION);
        if (query.opCode() != DnsOpCode.QUERY) {
            ctx.write(ResponseBuilder.empty(query, DnsResponseCode.NOTIMP));
            return;
        }
        if (question == null || query.count(DnsSection.QUESTION) != 1) {
            ctx.write(ResponseBuilder.empty(query, DnsResponseCode.FORMERR));
            return;
        }
        ClusterResolver.Chased chased = resolver.resolveChasing(question.name(), question.type());
        Answer answer = chased.answer();
        if (forwarder != null && (answer.outsideZone() || chased.outsideTarget().isPresent())) {
            String name = chased.outsideTarget().orElse(question.name());
            DnsQuery held = query.retain();
            forwarder.forward(name, question.type(), query.isRecursionDesired(), upstream -> {
                try {
                    ctx.writeAndFlush(reply(held, answer, upstream));
                } finally {
                    held.release();
                }
            });
            return;
        }
        ctx.write(ResponseBuilder.build(query, answer, forwarder != null));
    }

    /**
     * What upstream said: as it is for a name outside the zone (SERVFAIL when it did not answer); after our CNAME
     * chain, its answers appended and its rcode, or just the chain when it did not answer (as CoreDNS).
     */
    private static DnsResponse reply(DnsQuery query, Answer answer, DnsResponse upstream) {
        if (answer.outsideZone()) {
            return upstream == null ? ResponseBuilder.empty(query, DnsResponseCode.SERVFAIL) : relay(query, upstream);
        }
        DnsResponse response = ResponseBuilder.build(query, answer, true);
        if (upstream != null) {
            response.setCode(upstream.code());
            copy(upstream, response, DnsSection.ANSWER);
        }
        return response;
    }

    /**
     * Local answers are written as they are made and flushed once per read batch: under load one epoll wake-up
     * reads many datagrams, and their responses leave in one flush (sendmmsg) instead of a syscall each.
     */
    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush();
    }

    /** Upstream's answer under the client's id, without upstream's EDNS record. */
    private static DnsResponse relay(DnsQuery query, DnsResponse upstream) {
        DnsResponse response = ResponseBuilder.empty(query, upstream.code());
        response.setAuthoritativeAnswer(upstream.isAuthoritativeAnswer());
        response.setRecursionAvailable(upstream.isRecursionAvailable());
        response.setTruncated(upstream.isTruncated());
        for (DnsSection section : new DnsSection[] {DnsSection.ANSWER, DnsSection.AUTHORITY, DnsSection.ADDITIONAL}) {
            copy(upstream, response, section);
        }
        return response;
    }

    private static void copy(DnsResponse from, DnsResponse to, DnsSection section) {
        for (int i = 0; i < from.count(section); i++) {
            DnsRecord r = from.recordAt(section, i);
            if (r.type() != DnsRecordType.OPT) {
                to.addRecord(section, r instanceof DnsRawRecord raw ? raw.retainedDuplicate() : r);
            }
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // A malformed datagram must not close the shared UDP socket; a broken TCP stream is closed.
        LOG.debugf("DNS query failed: %s", cause.toString());
        if (!(ctx.channel() instanceof io.netty.channel.socket.DatagramChannel)) {
            ctx.close();
        }
    }
}
