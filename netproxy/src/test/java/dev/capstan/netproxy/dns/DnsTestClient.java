package dev.capstan.netproxy.dns;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.dns.AbstractDnsOptPseudoRrRecord;
import io.netty.handler.codec.dns.DatagramDnsQuery;
import io.netty.handler.codec.dns.DefaultDnsQuery;
import io.netty.handler.codec.dns.DefaultDnsQuestion;
import io.netty.handler.codec.dns.DefaultDnsRecordDecoder;
import io.netty.handler.codec.dns.DnsPtrRecord;
import io.netty.handler.codec.dns.DnsQuery;
import io.netty.handler.codec.dns.DnsRawRecord;
import io.netty.handler.codec.dns.DnsRecord;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponse;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.handler.codec.dns.DnsSection;
import io.netty.handler.codec.dns.TcpDnsQueryEncoder;
import io.netty.handler.codec.dns.TcpDnsResponseDecoder;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** A DNS client on Netty's codec for the server tests and the benchmark: UDP (many in flight) and TCP. */
final class DnsTestClient implements AutoCloseable {
    /** A response with its records in {@link Rr#toString()}'s form. */
    record Reply(
            DnsResponseCode rcode,
            boolean authoritative,
            boolean truncated,
            List<String> answers,
            List<String> authority,
            List<String> additional) {}

    private final InetSocketAddress server;
    private final EventLoopGroup group = new NioEventLoopGroup(1);
    private final Map<Integer, CompletableFuture<Reply>> pending = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();
    private final Channel udp;

    DnsTestClient(InetSocketAddress server) throws InterruptedException {
        this.server = server;
        this.udp = new Bootstrap()
                .group(group)
                .channel(NioDatagramChannel.class)
                .handler(DnsClientPipeline.udp(r -> {
                    var f = pending.remove(r.id());
                    if (f != null) {
                        f.complete(reply(r));
                    }
                }))
                .bind(new InetSocketAddress("127.0.0.1", 0))
                .sync()
                .channel();
    }

    Reply udp(String name, DnsRecordType type) throws Exception {
        return udpAsync(name, type, -1).get(5, TimeUnit.SECONDS);
    }

    Reply udp(String name, DnsRecordType type, int ednsPayload) throws Exception {
        return udpAsync(name, type, ednsPayload).get(5, TimeUnit.SECONDS);
    }

    /** Sends one UDP query; {@code ednsPayload} -1 for none. */
    CompletableFuture<Reply> udpAsync(String name, DnsRecordType type, int ednsPayload) {
        int id = ids.getAndIncrement() & 0xffff;
        var future = new CompletableFuture<Reply>();
        pending.put(id, future);
        DatagramDnsQuery query = new DatagramDnsQuery(null, server, id);
        prepare(query, name, type, ednsPayload);
        udp.writeAndFlush(query);
        return future;
    }

    /** One query over a TCP connection of its own. */
    Reply tcp(String name, DnsRecordType type) throws Exception {
        var future = new CompletableFuture<Reply>();
        Channel ch = new Bootstrap()
                .group(group)
                .channel(NioSocketChannel.class)
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline()
                                .addLast(new TcpDnsQueryEncoder())
                                .addLast(new TcpDnsResponseDecoder())
                                .addLast(new SimpleChannelInboundHandler<DnsResponse>() {
                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, DnsResponse r) {
                                        future.complete(reply(r));
                                    }
                                });
                    }
                })
                .connect(server)
                .sync()
                .channel();
        try {
            DnsQuery query = new DefaultDnsQuery(7);
            prepare(query, name, type, -1);
            ch.writeAndFlush(query);
            return future.get(5, TimeUnit.SECONDS);
        } finally {
            ch.close().sync();
        }
    }

    private static void prepare(DnsQuery query, String name, DnsRecordType type, int ednsPayload) {
        query.setRecursionDesired(true);
        query.addRecord(DnsSection.QUESTION, new DefaultDnsQuestion(name, type));
        if (ednsPayload >= 0) {
            query.addRecord(DnsSection.ADDITIONAL, new AbstractDnsOptPseudoRrRecord(ednsPayload) {});
        }
    }

    private static Reply reply(DnsResponse r) {
        return new Reply(
                r.code(),
                r.isAuthoritativeAnswer(),
                r.isTruncated(),
                records(r, DnsSection.ANSWER),
                records(r, DnsSection.AUTHORITY),
                records(r, DnsSection.ADDITIONAL));
    }

    private static List<String> records(DnsResponse r, DnsSection section) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < r.count(section); i++) {
            DnsRecord record = r.recordAt(section, i);
            if (record.type() != DnsRecordType.OPT) {
                out.add(record.name() + " " + record.timeToLive() + " IN "
                        + record.type().name() + " " + text(record));
            }
        }
        return out;
    }

    private static String text(DnsRecord record) {
        if (record instanceof DnsPtrRecord ptr) {
            return ptr.hostname();
        }
        ByteBuf data = ((DnsRawRecord) record).content().duplicate();
        DnsRecordType type = record.type();
        if (type == DnsRecordType.A || type == DnsRecordType.AAAA) {
            byte[] bytes = new byte[data.readableBytes()];
            data.readBytes(bytes);
            try {
                return InetAddress.getByAddress(bytes).getHostAddress();
            } catch (UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        }
        if (type == DnsRecordType.SRV) {
            int priority = data.readUnsignedShort();
            int weight = data.readUnsignedShort();
            int port = data.readUnsignedShort();
            return priority + " " + weight + " " + port + " " + DefaultDnsRecordDecoder.decodeName(data);
        }
        if (type == DnsRecordType.SOA) {
            StringBuilder out = new StringBuilder(DefaultDnsRecordDecoder.decodeName(data));
            out.append(' ').append(DefaultDnsRecordDecoder.decodeName(data));
            for (int i = 0; i < 5; i++) {
                out.append(' ').append(data.readUnsignedInt());
            }
            return out.toString();
        }
        if (type == DnsRecordType.CNAME) {
            return DefaultDnsRecordDecoder.decodeName(data);
        }
        if (type == DnsRecordType.TXT) {
            int length = data.readUnsignedByte();
            return "\"" + data.readCharSequence(length, StandardCharsets.US_ASCII) + "\"";
        }
        return "?";
    }

    @Override
    public void close() {
        udp.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
