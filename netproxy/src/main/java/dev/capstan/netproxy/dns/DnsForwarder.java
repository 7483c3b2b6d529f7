package dev.capstan.netproxy.dns;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.dns.DatagramDnsQuery;
import io.netty.handler.codec.dns.DatagramDnsResponse;
import io.netty.handler.codec.dns.DefaultDnsQuestion;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponse;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Sends questions outside the cluster domain to one upstream server over UDP and hands its response (or null after
 * the timeout) to a callback. One socket; upstream responses are matched by a fresh 16-bit id, never the client's.
 */
final class DnsForwarder implements AutoCloseable {
    private record Pending(Consumer<DnsResponse> callback, ScheduledFuture<?> timeout) {}

    private final InetSocketAddress upstream;
    private final Duration timeout;
    private final Map<Integer, Pending> pending = new ConcurrentHashMap<>();
    private final AtomicInteger nextId = new AtomicInteger();
    private final Channel channel;

    DnsForwarder(EventLoopGroup group, Transport transport, InetSocketAddress upstream, Duration timeout)
            throws InterruptedException {
        this.upstream = upstream;
        this.timeout = timeout;
        this.channel = new Bootstrap()
                .group(group)
                .channel(transport.datagram())
                .handler(DnsClientPipeline.udp(this::complete))
                .bind(new InetSocketAddress(upstream.getAddress().isLoopbackAddress() ? "127.0.0.1" : "0.0.0.0", 0))
                .sync()
                .channel();
    }

    /** Asks upstream; {@code callback} runs once, on an event loop, with the response (released after) or null. */
    void forward(String name, DnsRecordType type, boolean recursionDesired, Consumer<DnsResponse> callback) {
        int id = nextFreeId();
        ScheduledFuture<?> timer =
                channel.eventLoop().schedule(() -> expire(id), timeout.toMillis(), TimeUnit.MILLISECONDS);
        Pending previous = pending.put(id, new Pending(callback, timer));
        if (previous != null) { // 65,536 questions in flight: the oldest loses its slot
            previous.timeout().cancel(false);
            previous.callback().accept(null);
        }
        DatagramDnsQuery query = new DatagramDnsQuery(null, upstream, id);
        query.setRecursionDesired(recursionDesired);
        query.addRecord(io.netty.handler.codec.dns.DnsSection.QUESTION, new DefaultDnsQuestion(name, type));
        channel.writeAndFlush(query).addListener(f -> {
            if (!f.isSuccess()) {
                expire(id);
            }
        });
    }

    private int nextFreeId() {
        for (int i = 0; i < 16; i++) {
            int id = nextId.getAndIncrement() & 0xffff;
            if (!pending.containsKey(id)) {
                return id;
            }
        }
        return nextId.getAndIncrement() & 0xffff;
    }

    private void complete(DatagramDnsResponse response) {
        Pending p = pending.remove(response.id());
        if (p != null && response.sender().equals(upstream)) {
            p.timeout().cancel(false);
            p.callback().accept(response);
        } else if (p != null) {
            pending.put(response.id(), p); // a stray packet from elsewhere: keep waiting for upstream
        }
    }

    private void expire(int id) {
        Pending p = pending.remove(id);
        if (p != null) {
            p.callback().accept(null);
        }
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        pending.keySet().forEach(this::expire);
    }
}
