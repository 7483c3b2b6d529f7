package dev.capstan.netproxy.dns;

import static dev.capstan.netproxy.dns.FakeClusterState.endpoint;
import static dev.capstan.netproxy.dns.FakeClusterState.port;
import static dev.capstan.netproxy.dns.FakeClusterState.service;
import static dev.capstan.netproxy.dns.FakeClusterState.slice;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.handler.codec.dns.DatagramDnsQuery;
import io.netty.handler.codec.dns.DatagramDnsQueryEncoder;
import io.netty.handler.codec.dns.DefaultDnsQuestion;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.handler.codec.dns.DnsSection;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Real UDP and TCP queries to the server on 127.0.0.1. */
class DnsServerTest {
    static final int MANY = 40;

    DnsServer server;
    DnsTestClient client;

    static FakeClusterState state() {
        FakeClusterState state = ClusterResolverTest.cluster();
        state.add(service("default", "many", "None", port("http", 80, "TCP")));
        Endpoint[] endpoints = IntStream.range(0, MANY)
                .mapToObj(i -> endpoint("10.244.9." + (i + 1), null, true))
                .toArray(Endpoint[]::new);
        return state.add(slice("default", "many", "many-x", 80, endpoints));
    }

    static DnsServer start(String zone, FakeClusterState state, Optional<InetSocketAddress> upstream)
            throws InterruptedException {
        var server = new DnsServer(
                new ClusterResolver(zone, 30, state),
                new DnsServer.Options("127.0.0.1", 0, 2, upstream, Duration.ofMillis(500)));
        server.start();
        return server;
    }

    @BeforeEach
    void setUp() throws InterruptedException {
        server = start("cluster.local", state(), Optional.empty());
        client = new DnsTestClient(new InetSocketAddress("127.0.0.1", server.port()));
    }

    @AfterEach
    void tearDown() {
        client.close();
        server.close();
    }

    @Test
    void answersOverUdpAndTcp() throws Exception {
        assertThat(server.port()).isPositive();
        for (var reply : new DnsTestClient.Reply[] {
            client.udp("web.default.svc.cluster.local", DnsRecordType.A),
            client.tcp("web.default.svc.cluster.local", DnsRecordType.A)
        }) {
            assertThat(reply.rcode()).isEqualTo(DnsResponseCode.NOERROR);
            assertThat(reply.authoritative()).isTrue();
            assertThat(reply.answers()).containsExactly("web.default.svc.cluster.local. 30 IN A 10.96.0.20");
        }
    }

    @Test
    void unknownNamesAreNxdomainWithSoa() throws Exception {
        for (var reply : new DnsTestClient.Reply[] {
            client.udp("nope.default.svc.cluster.local", DnsRecordType.A),
            client.tcp("nope.default.svc.cluster.local", DnsRecordType.A)
        }) {
            assertThat(reply.rcode()).isEqualTo(DnsResponseCode.NXDOMAIN);
            assertThat(reply.answers()).isEmpty();
            assertThat(reply.authority()).containsExactly(ClusterResolverTest.SOA);
        }
        var nodata = client.udp("web.default.svc.cluster.local", DnsRecordType.AAAA);
        assertThat(nodata.rcode()).isEqualTo(DnsResponseCode.NOERROR);
        assertThat(nodata.answers()).isEmpty();
        assertThat(nodata.authority()).containsExactly(ClusterResolverTest.SOA);
    }

    @Test
    void srvCarriesGlueAndPtrAnswers() throws Exception {
        var srv = client.udp("_http._tcp.web.default.svc.cluster.local", DnsRecordType.SRV);
        assertThat(srv.answers())
                .containsExactly("_http._tcp.web.default.svc.cluster.local. 30 IN SRV 0 100 80"
                        + " web.default.svc.cluster.local.");
        assertThat(srv.additional()).containsExactly("web.default.svc.cluster.local. 30 IN A 10.96.0.20");
        var ptr = client.udp("20.0.96.10.in-addr.arpa", DnsRecordType.PTR);
        assertThat(ptr.answers()).containsExactly("20.0.96.10.in-addr.arpa. 30 IN PTR web.default.svc.cluster.local.");
        var cname = client.tcp("ext.default.svc.cluster.local", DnsRecordType.A);
        assertThat(cname.answers()).containsExactly("ext.default.svc.cluster.local. 30 IN CNAME www.example.com.");
    }

    @Test
    void udpAnswersOver512BytesAreTruncatedUnlessEdnsAllowsThem() throws Exception {
        String name = "many.default.svc.cluster.local";
        var udp = client.udp(name, DnsRecordType.A);
        assertThat(udp.truncated()).isTrue();
        assertThat(udp.answers()).isNotEmpty().hasSizeLessThan(MANY);
        // 12 header + 34 question + n * (32 name + 14): as many as fit in 512
        assertThat(udp.answers()).hasSize((512 - 12 - (32 + 4)) / (32 + 14));

        // and the datagram itself stays within 512 bytes, filled as far as whole records go
        var encoder = new EmbeddedChannel(new DatagramDnsQueryEncoder());
        var query = new DatagramDnsQuery(null, new InetSocketAddress("127.0.0.1", server.port()), 99);
        query.addRecord(DnsSection.QUESTION, new DefaultDnsQuestion(name, DnsRecordType.A));
        encoder.writeOutbound(query);
        DatagramPacket packet = encoder.readOutbound();
        byte[] bytes = new byte[packet.content().readableBytes()];
        packet.content().readBytes(bytes);
        packet.release();
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"))) {
            socket.setSoTimeout(5000);
            socket.send(new java.net.DatagramPacket(bytes, bytes.length, packet.recipient()));
            var received = new java.net.DatagramPacket(new byte[4096], 4096);
            socket.receive(received);
            assertThat(received.getLength()).isLessThanOrEqualTo(512).isGreaterThan(512 - 46);
            assertThat(received.getData()[2] & 0x02).as("TC").isEqualTo(0x02);
        }

        var tcp = client.tcp(name, DnsRecordType.A);
        assertThat(tcp.truncated()).isFalse();
        assertThat(tcp.answers()).hasSize(MANY);

        var edns = client.udp(name, DnsRecordType.A, 4096);
        assertThat(edns.truncated()).isFalse();
        assertThat(edns.answers()).hasSize(MANY);
    }

    @Test
    void garbageAndResponsesSentToTheServerDoNotStopIt() throws Exception {
        // from many source ports, so that every SO_REUSEPORT socket of the server gets some
        for (int i = 0; i < 16; i++) {
            try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"))) {
                var target = new InetSocketAddress("127.0.0.1", server.port());
                socket.send(new java.net.DatagramPacket(new byte[] {1, 2, 3}, 3, target));
                byte[] response = new byte[12];
                response[2] = (byte) 0x80; // QR: a response, not a query
                socket.send(new java.net.DatagramPacket(response, response.length, target));
            }
        }
        for (int i = 0; i < 16; i++) {
            try (var c = new DnsTestClient(new InetSocketAddress("127.0.0.1", server.port()))) {
                assertThat(c.udp("web.default.svc.cluster.local", DnsRecordType.A)
                                .answers())
                        .hasSize(1);
            }
        }
    }

    @Test
    void tcpAnswersStayWithin64KiB() throws Exception {
        FakeClusterState state = state().add(service("default", "huge", "None", port("http", 80, "TCP")));
        Endpoint[] endpoints = IntStream.range(0, 1500)
                .mapToObj(i -> endpoint("10.245." + (i / 250) + "." + (i % 250 + 1), null, true))
                .toArray(Endpoint[]::new);
        state.add(slice("default", "huge", "huge-x", 80, endpoints));
        try (DnsServer big = start("cluster.local", state, Optional.empty());
                DnsTestClient c = new DnsTestClient(new InetSocketAddress("127.0.0.1", big.port()))) {
            var reply = c.tcp("huge.default.svc.cluster.local", DnsRecordType.A);
            assertThat(reply.truncated()).isTrue();
            // 46 bytes a record (32 name + 14): as many as fit after header and question
            assertThat(reply.answers()).hasSize((65535 - 12 - 36) / 46);
        }
    }

    @Test
    void outsideTheZoneIsRefusedWithoutUpstream() throws Exception {
        var reply = client.udp("example.com", DnsRecordType.A);
        assertThat(reply.rcode()).isEqualTo(DnsResponseCode.REFUSED);
        assertThat(reply.answers()).isEmpty();
    }

    @Test
    void aTakenPortIsRetriedWhicheverTransportReportsIt() {
        // epoll reports a taken port as its own IOException, not the JDK's BindException: both mean "try another"
        assertThat(DnsServer.addressInUse(new java.net.BindException("Address already in use")))
                .isTrue();
        assertThat(DnsServer.addressInUse(new io.netty.channel.unix.Errors.NativeIoException("bind(..)", -98)))
                .isTrue();
        assertThat(DnsServer.addressInUse(new io.netty.channel.unix.Errors.NativeIoException("bind(..)", -13)))
                .as("permission denied")
                .isFalse();
        assertThat(DnsServer.addressInUse(new IllegalStateException("other"))).isFalse();
    }

    @Test
    void outsideTheZoneIsForwardedToUpstream() throws Exception {
        // the upstream: a second server, authoritative for another zone
        FakeClusterState other = new FakeClusterState().add(service("default", "api", "192.0.2.7"));
        try (DnsServer upstream = start("example.test", other, Optional.empty());
                DnsServer forwarding = start(
                        "cluster.local",
                        state().add(FakeClusterState.externalName("default", "ext", "api.default.svc.example.test")),
                        Optional.of(new InetSocketAddress("127.0.0.1", upstream.port())));
                DnsTestClient c = new DnsTestClient(new InetSocketAddress("127.0.0.1", forwarding.port()))) {
            var udp = c.udp("api.default.svc.example.test", DnsRecordType.A);
            assertThat(udp.rcode()).isEqualTo(DnsResponseCode.NOERROR);
            assertThat(udp.answers()).containsExactly("api.default.svc.example.test. 30 IN A 192.0.2.7");
            var tcp = c.tcp("nope.default.svc.example.test", DnsRecordType.A);
            assertThat(tcp.rcode()).isEqualTo(DnsResponseCode.NXDOMAIN);
            assertThat(tcp.authority()).hasSize(1).allMatch(r -> r.startsWith("example.test. 30 IN SOA"));
            // an ExternalName Service's CNAME is followed upstream, as CoreDNS does
            var chased = c.udp("ext.default.svc.cluster.local", DnsRecordType.A);
            assertThat(chased.rcode()).isEqualTo(DnsResponseCode.NOERROR);
            assertThat(chased.answers())
                    .containsExactly(
                            "ext.default.svc.cluster.local. 30 IN CNAME api.default.svc.example.test.",
                            "api.default.svc.example.test. 30 IN A 192.0.2.7");
            // the cluster's own names are still answered locally
            assertThat(c.udp("web.default.svc.cluster.local", DnsRecordType.A).answers())
                    .hasSize(1);
        }
    }

    @Test
    void anUpstreamThatDoesNotAnswerGivesServfail() throws Exception {
        try (DatagramSocket silent = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"));
                DnsServer forwarding = start(
                        "cluster.local",
                        state(),
                        Optional.of(new InetSocketAddress("127.0.0.1", silent.getLocalPort())));
                DnsTestClient c = new DnsTestClient(new InetSocketAddress("127.0.0.1", forwarding.port()))) {
            long start = System.nanoTime();
            var reply = c.udp("example.com", DnsRecordType.A);
            assertThat(reply.rcode()).isEqualTo(DnsResponseCode.SERVFAIL);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(400));
        }
    }
}
