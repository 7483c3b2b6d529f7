package dev.capstan.netproxy.dns;

import static dev.capstan.netproxy.dns.FakeClusterState.endpoint;
import static dev.capstan.netproxy.dns.FakeClusterState.port;
import static dev.capstan.netproxy.dns.FakeClusterState.service;
import static dev.capstan.netproxy.dns.FakeClusterState.slice;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.dns.DatagramDnsQuery;
import io.netty.handler.codec.dns.DefaultDnsQuestion;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponse;
import io.netty.handler.codec.dns.DnsSection;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Queries per second and latency of the DNS server on 127.0.0.1 with 1,000 Services (900 with a ClusterIP, 100
 * headless with 3 endpoints), client and server on the same machine. Two runs, each bounded in time: closed loop
 * (a fixed number of queries in flight: the most the server does) and open loop at a fixed rate (latency at the
 * goal load). Latency is from the client's send to its receipt of the response. The mix: 70% A of ClusterIP Services, 10% A of headless ones,
 * 10% SRV, 10% names the search path misses (NXDOMAIN).
 *
 * <p>Run (test scope, after {@code ./mvnw -o -pl netproxy test-compile dependency:build-classpath
 * -Dmdep.outputFile=target/cp.txt}): {@code java -cp netproxy/target/test-classes:netproxy/target/classes:$(cat
 * netproxy/target/cp.txt) dev.capstan.netproxy.dns.DnsBench [seconds] [rate] [threads]}.
 */
public final class DnsBench {
    private static final int SERVICES = 1000;
    private static final int HEADLESS = 100;
    private static final int SOCKETS = 2;
    private static final int WINDOW = 32;

    private DnsBench() {}

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int rate = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        FakeClusterState state = new FakeClusterState();
        for (int i = 0; i < SERVICES - HEADLESS; i++) {
            state.add(service(
                    "default", "svc-" + i, "10.96." + (i / 250) + "." + (i % 250 + 1), port("http", 80, "TCP")));
        }
        for (int i = 0; i < HEADLESS; i++) {
            state.add(service("default", "hl-" + i, "None", port("http", 80, "TCP")));
            state.add(slice(
                    "default",
                    "hl-" + i,
                    "hl-" + i + "-x",
                    80,
                    endpoint("10.244." + i + ".1", null, true),
                    endpoint("10.244." + i + ".2", null, true),
                    endpoint("10.244." + i + ".3", null, true)));
        }
        List<Query> mix = mix();
        var server = new DnsServer(
                new ClusterResolver("cluster.local", 30, new IndexedState(state)),
                new DnsServer.Options("127.0.0.1", 0, threads, Optional.empty(), Duration.ofSeconds(2)));
        server.start();
        System.out.printf(
                "DNS server: %d services, %d event loops, %d cores; client on the same machine%n",
                SERVICES, threads, Runtime.getRuntime().availableProcessors());
        try (var load = new Load(new InetSocketAddress("127.0.0.1", server.port()), mix)) {
            load.closedLoop(Duration.ofSeconds(2)); // warm-up
            load.report(
                    "closed loop, " + SOCKETS * WINDOW + " in flight", load.closedLoop(Duration.ofSeconds(seconds)));
            load.report("open loop at " + rate + " q/s", load.openLoop(rate, Duration.ofSeconds(seconds)));
        } finally {
            server.close();
        }
    }

    record Query(String name, DnsRecordType type) {}

    private static List<Query> mix() {
        List<Query> out = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            int n = i % 10;
            if (n < 7) {
                out.add(new Query("svc-" + (i * 7 % 900) + ".default.svc.cluster.local", DnsRecordType.A));
            } else if (n == 7) {
                out.add(new Query("hl-" + (i % HEADLESS) + ".default.svc.cluster.local", DnsRecordType.A));
            } else if (n == 8) {
                out.add(new Query("_http._tcp.svc-" + (i % 900) + ".default.svc.cluster.local", DnsRecordType.SRV));
            } else {
                out.add(new Query("svc-" + (i % 900) + ".svc.cluster.local", DnsRecordType.A));
            }
        }
        return out;
    }

    /** The fake's slices by service, indexed once, so that the benchmark times the server and not a list scan. */
    private static final class IndexedState implements ClusterState {
        private final FakeClusterState state;
        private final java.util.Map<String, List<io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice>> slices =
                new java.util.HashMap<>();

        IndexedState(FakeClusterState state) {
            this.state = state;
            for (var s : state.slices) {
                slices.computeIfAbsent(
                                s.getMetadata().getNamespace() + "/"
                                        + s.getMetadata().getLabels().get("kubernetes.io/service-name"),
                                k -> new ArrayList<>())
                        .add(s);
            }
        }

        @Override
        public Optional<io.fabric8.kubernetes.api.model.Service> service(String namespace, String name) {
            return state.service(namespace, name);
        }

        @Override
        public List<io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice> endpointSlices(
                String namespace, String service) {
            return slices.getOrDefault(namespace + "/" + service, List.of());
        }

        @Override
        public boolean namespaceExists(String namespace) {
            return state.namespaceExists(namespace);
        }

        @Override
        public List<io.fabric8.kubernetes.api.model.Service> servicesByClusterIp(String ip) {
            return List.of();
        }

        @Override
        public List<io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice> endpointSlicesByAddress(String ip) {
            return List.of();
        }

        @Override
        public long serial() {
            return state.serial();
        }
    }

    /** Latencies of one run, in nanoseconds, and what was lost. */
    record Result(long[] latencies, int count, long sent, Duration elapsed) {}

    /** UDP sockets on one client event loop; each query's id indexes its send time. */
    private static final class Load implements AutoCloseable {
        private final InetSocketAddress server;
        private final List<Query> mix;
        private final EventLoopGroup group = new NioEventLoopGroup(1);
        private final List<Channel> channels = new ArrayList<>();
        private final long[][] sentAt = new long[SOCKETS][65536];
        private final AtomicLong sequence = new AtomicLong();
        private volatile long[] latencies = new long[0];
        private final AtomicLong received = new AtomicLong();
        private volatile boolean closedLoop;
        private volatile long until;

        Load(InetSocketAddress server, List<Query> mix) throws InterruptedException {
            this.server = server;
            this.mix = mix;
            for (int i = 0; i < SOCKETS; i++) {
                int socket = i;
                channels.add(new Bootstrap()
                        .group(group)
                        .channel(NioDatagramChannel.class)
                        .option(io.netty.channel.ChannelOption.SO_RCVBUF, 4 << 20)
                        .handler(DnsClientPipeline.udp(r -> onResponse(socket, r)))
                        .bind(new InetSocketAddress("127.0.0.1", 0))
                        .sync()
                        .channel());
            }
        }

        private void onResponse(int socket, DnsResponse r) {
            long now = System.nanoTime();
            long n = received.getAndIncrement();
            long[] lat = latencies;
            if (n < lat.length) {
                lat[(int) n] = now - sentAt[socket][r.id()];
            }
            if (closedLoop && now < until) {
                send(socket, now);
            }
        }

        private void send(int socket, long dueAt) {
            long seq = sequence.getAndIncrement();
            int id = (int) (seq & 0xffff);
            sentAt[socket][id] = dueAt;
            Query q = mix.get((int) (seq % mix.size()));
            var query = new DatagramDnsQuery(null, server, id);
            query.setRecursionDesired(true);
            query.addRecord(DnsSection.QUESTION, new DefaultDnsQuestion(q.name(), q.type()));
            channels.get(socket).writeAndFlush(query);
        }

        Result closedLoop(Duration duration) throws InterruptedException {
            reset(4_000_000);
            closedLoop = true;
            long start = System.nanoTime();
            until = start + duration.toNanos();
            group.execute(() -> {
                for (int s = 0; s < SOCKETS; s++) {
                    for (int w = 0; w < WINDOW; w++) {
                        send(s, System.nanoTime());
                    }
                }
            });
            Thread.sleep(duration.toMillis() + 500);
            closedLoop = false;
            return result(duration);
        }

        /**
         * Sends {@code rate} queries a second in 1 ms batches (a timer tick); latency counts from each send, so the
         * tick's granularity is not in it (the server still sees bursts of rate/1000 queries).
         */
        Result openLoop(int rate, Duration duration) throws InterruptedException {
            long total = rate * duration.toSeconds();
            reset((int) total);
            long start = System.nanoTime();
            var timer = group.scheduleAtFixedRate(
                    new Runnable() {
                        long sent;

                        @Override
                        public void run() {
                            long now = System.nanoTime();
                            long due = Math.min(total, (now - start) * rate / 1_000_000_000L);
                            while (sent < due) {
                                send((int) (sent % SOCKETS), System.nanoTime());
                                sent++;
                            }
                        }
                    },
                    0,
                    1,
                    TimeUnit.MILLISECONDS);
            Thread.sleep(duration.toMillis() + 1000);
            timer.cancel(false);
            return result(duration);
        }

        private void reset(int capacity) throws InterruptedException {
            Thread.sleep(200);
            latencies = new long[capacity];
            received.set(0);
            sequence.set(0);
        }

        private Result result(Duration elapsed) {
            int count = (int) Math.min(received.get(), latencies.length);
            long[] sorted = Arrays.copyOf(latencies, count);
            Arrays.sort(sorted);
            return new Result(sorted, count, sequence.get(), elapsed);
        }

        void report(String run, Result r) {
            double qps = r.count() / (double) r.elapsed().toMillis() * 1000;
            System.out.printf(
                    "%-28s %9.0f q/s  p50 %6.3f ms  p99 %6.3f ms  p99.9 %6.3f ms  max %7.3f ms  answered %d of %d%n",
                    run,
                    qps,
                    pct(r, 0.50),
                    pct(r, 0.99),
                    pct(r, 0.999),
                    r.count() == 0 ? 0 : r.latencies()[r.count() - 1] / 1e6,
                    r.count(),
                    r.sent());
        }

        private static double pct(Result r, double p) {
            return r.count() == 0 ? 0 : r.latencies()[(int) Math.min(r.count() - 1, r.count() * p)] / 1e6;
        }

        @Override
        public void close() {
            channels.forEach(c -> c.close().syncUninterruptibly());
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
