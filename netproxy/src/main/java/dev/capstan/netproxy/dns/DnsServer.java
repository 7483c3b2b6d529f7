package dev.capstan.netproxy.dns;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.unix.Errors;
import io.netty.handler.codec.dns.DatagramDnsQueryDecoder;
import io.netty.handler.codec.dns.DatagramDnsResponseEncoder;
import io.netty.handler.codec.dns.TcpDnsQueryDecoder;
import io.netty.handler.codec.dns.TcpDnsResponseEncoder;
import io.netty.handler.timeout.ReadTimeoutHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The cluster DNS server: UDP and TCP on one address and port, Netty's DNS codec, a fixed number of event loops
 * that also resolve (lookups are in-memory hash reads). Under epoll every loop has its own UDP socket on the port
 * (SO_REUSEPORT), so the kernel spreads datagrams over the loops.
 */
public final class DnsServer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(DnsServer.class);
    private static final int BIND_ATTEMPTS = 5;
    /** Linux's errno for a taken address; epoll's bind reports it negated. */
    private static final int EADDRINUSE = 98;
    /** A TCP connection quiet this long is closed (CoreDNS: 10 s read timeout), so idle clients hold no sockets. */
    private static final int TCP_IDLE_SECONDS = 10;

    /**
     * @param address the address to listen on
     * @param port 53, or 0 for a free one (tests): {@link #port()} says which
     * @param threads event loops (at most the cores; they never block)
     * @param upstream where names outside the zone go; empty: REFUSED
     * @param upstreamTimeout how long an upstream answer may take before the client gets SERVFAIL
     */
    public record Options(
            String address, int port, int threads, Optional<InetSocketAddress> upstream, Duration upstreamTimeout) {
        public Options {
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be at least 1, not " + threads);
            }
        }
    }

    private final ClusterResolver resolver;
    private final Options options;
    private final Transport transport = Transport.best();
    private final List<Channel> channels = new ArrayList<>();
    private EventLoopGroup group;
    private DnsForwarder forwarder;
    private int port;

    public DnsServer(ClusterResolver resolver, Options options) {
        this.resolver = resolver;
        this.options = options;
    }

    public synchronized void start() throws InterruptedException {
        group = transport.group(options.threads(), new DefaultThreadFactory("dns", true));
        try {
            if (options.upstream().isPresent()) {
                forwarder =
                        new DnsForwarder(group, transport, options.upstream().get(), options.upstreamTimeout());
            }
            QueryHandler handler = new QueryHandler(resolver, forwarder);
            for (int attempt = 1; ; attempt++) {
                try {
                    bind(handler);
                    break;
                } catch (Exception e) {
                    closeChannels();
                    // port 0: UDP's free port may be taken for TCP; another free port will do
                    if (!addressInUse(e) || options.port() != 0 || attempt == BIND_ATTEMPTS) {
                        throw e;
                    }
                }
            }
        } catch (RuntimeException | InterruptedException e) {
            close();
            throw e;
        }
        LOG.infof(
                "DNS server for %s on %s:%d (UDP and TCP, %s, %d loops, upstream %s)",
                resolver.zone(),
                options.address(),
                port,
                transport.epoll() ? "epoll" : "nio",
                options.threads(),
                options.upstream().map(InetSocketAddress::toString).orElse("none"));
    }

    /** A bind refused because the port is taken: the JDK's BindException, or epoll's own exception with EADDRINUSE. */
    static boolean addressInUse(Exception e) {
        return e instanceof BindException
                || (e instanceof Errors.NativeIoException n && n.expectedErr() == -EADDRINUSE);
    }

    private void bind(QueryHandler handler) throws InterruptedException {
        int udpSockets = transport.epoll() ? options.threads() : 1;
        int bound = options.port();
        for (int i = 0; i < udpSockets; i++) {
            Bootstrap udp = new Bootstrap()
                    .group(group)
                    .channel(transport.datagram())
                    .option(ChannelOption.SO_RCVBUF, 4 << 20)
                    .handler(new ChannelInitializer<>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            ch.pipeline()
                                    .addLast(new DatagramDnsQueryDecoder())
                                    .addLast(new DatagramDnsResponseEncoder())
                                    .addLast(handler);
                        }
                    });
            if (transport.epoll()) {
                udp.option(EpollChannelOption.SO_REUSEPORT, true);
            }
            Channel ch = udp.bind(options.address(), bound).sync().channel();
            channels.add(ch);
            bound = ((InetSocketAddress) ch.localAddress()).getPort();
        }
        ServerBootstrap tcp = new ServerBootstrap()
                .group(group)
                .channel(transport.server())
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline()
                                .addLast(new ReadTimeoutHandler(TCP_IDLE_SECONDS))
                                .addLast(new TcpDnsQueryDecoder())
                                .addLast(new TcpDnsResponseEncoder())
                                .addLast(handler);
                    }
                });
        channels.add(tcp.bind(options.address(), bound).sync().channel());
        port = bound;
    }

    /** The port UDP and TCP listen on. */
    public synchronized int port() {
        return port;
    }

    public String address() {
        return options.address();
    }

    private void closeChannels() {
        for (Channel ch : channels) {
            ch.close().syncUninterruptibly();
        }
        channels.clear();
    }

    @Override
    public synchronized void close() {
        closeChannels();
        if (forwarder != null) {
            forwarder.close();
            forwarder = null;
        }
        if (group != null) {
            group.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS)
                    .syncUninterruptibly();
            group = null;
        }
    }
}
