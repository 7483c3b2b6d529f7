package dev.capstan.node.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.capstan.node.runtime.cri.CriRuntime;
import dev.capstan.node.runtime.cri.TestPodNetwork;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.spdy.DefaultSpdyDataFrame;
import io.netty.handler.codec.spdy.DefaultSpdyPingFrame;
import io.netty.handler.codec.spdy.DefaultSpdySynStreamFrame;
import io.netty.handler.codec.spdy.SpdyDataFrame;
import io.netty.handler.codec.spdy.SpdyFrame;
import io.netty.handler.codec.spdy.SpdyPingFrame;
import io.netty.handler.codec.spdy.SpdySynReplyFrame;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Exec, attach and port-forward through the agent's HTTPS endpoint (KubeletServer with the StreamingHandler) to a
 * real containerd, with the clients' protocols: v5 and v4 channels, and port-forward both through kubectl's SPDY
 * tunnel and over v4. The pod is a busybox httpd on a bridge of the test's own, plus a container that reads a line
 * from its stdin and exits 4.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StreamsIT {
    private static final String TOKEN = StreamsTestPod.TOKEN;
    private static final Duration WAIT = Duration.ofSeconds(30);

    private StreamsTestPod world;
    private CriRuntime runtime;
    private WebSocketClient client;
    private int port;
    private String sandbox;

    @BeforeAll
    void start() throws Exception {
        world = new StreamsTestPod(
                "capstan-streams-it",
                new TestPodNetwork.Names("capstantest1", "10.244.251.0/24", "capstan_test_guard1"));
        runtime = world.runtime;
        port = world.port;
        sandbox = world.sandbox;
        client = WebSocketSession.client(world.vertx);
    }

    @AfterAll
    void stop() throws Exception {
        if (world != null) {
            world.close();
        }
    }

    @Test
    void execOverV5GivesStdoutStderrAndTheExitCode() throws Exception {
        try (var session = WebSocketSession.open(
                client,
                port,
                TOKEN,
                "/exec/default/web/httpd?command=sh&command=-c&command=echo+out%3B+echo+err+%3E%262%3B+exit+3"
                        + "&stdout=true&stderr=true",
                "v5.channel.k8s.io",
                "v4.channel.k8s.io")) {
            assertThat(session.socket.subProtocol()).isEqualTo("v5.channel.k8s.io");
            assertThat(session.awaitClose(WAIT)).isEqualTo((short) 1000);
            assertThat(session.channel(1)).isEqualTo("out\n");
            assertThat(session.channel(2)).isEqualTo("err\n");
            assertThat(session.channel(3))
                    .startsWith("{\"metadata\":{},\"status\":\"Failure\",\"message\":\"command terminated with"
                            + " non-zero exit code: error executing command [sh -c echo out; echo err \\u003e\\u00262;"
                            + " exit 3], exit code 3\"")
                    .contains("\"reason\":\"NonZeroExitCode\"")
                    .contains("\"details\":{\"causes\":[{\"reason\":\"ExitCode\",\"message\":\"3\"}]}");
        }
    }

    @Test
    void execCatGetsStdinUntilV5ClosesItAndSucceeds() throws Exception {
        try (var session = WebSocketSession.open(
                client,
                port,
                TOKEN,
                "/exec/default/web/httpd?command=cat&stdin=true&stdout=true&stderr=true",
                "v5.channel.k8s.io")) {
            session.send(0, "hello ");
            session.send(0, "world\n");
            await().atMost(WAIT).until(() -> session.channel(1).equals("hello world\n"));
            assertThat(session.closed).isNotDone();
            session.send(Buffer.buffer(new byte[] {(byte) 255, 0}));
            assertThat(session.awaitClose(WAIT)).isEqualTo((short) 1000);
            assertThat(session.channel(3)).isEqualTo("{\"metadata\":{},\"status\":\"Success\"}");
        }
    }

    @Test
    void execOverV4Succeeds() throws Exception {
        try (var session = WebSocketSession.open(
                client, port, TOKEN, "/exec/default/web/httpd?command=echo&command=hi&stdout=1", "v4.channel.k8s.io")) {
            assertThat(session.awaitClose(WAIT)).isEqualTo((short) 1000);
            assertThat(session.received.get(0).getBytes()).as("the open signal").containsExactly(1);
            assertThat(session.channel(1)).isEqualTo("hi\n");
            assertThat(session.channel(3)).isEqualTo("{\"metadata\":{},\"status\":\"Success\"}");
        }
    }

    @Test
    void execOverV4Base64SpeaksText() throws Exception {
        try (var session = WebSocketSession.open(
                client,
                port,
                TOKEN,
                "/exec/default/web/httpd?command=cat&stdin=1&stdout=1",
                "v4.base64.channel.k8s.io")) {
            assertThat(session.socket.subProtocol()).isEqualTo("v4.base64.channel.k8s.io");
            session.socket.writeTextMessage("0" + java.util.Base64.getEncoder().encodeToString("hi\n".getBytes()));
            await().atMost(WAIT)
                    .until(() -> session.texts.contains(
                            "1" + java.util.Base64.getEncoder().encodeToString("hi\n".getBytes())));
        }
    }

    @Test
    void attachRelaysStdinAndEndsWithSuccessWhateverTheExitCode() throws Exception {
        try (var session = WebSocketSession.open(
                client,
                port,
                TOKEN,
                "/attach/default/web/talker?stdin=true&stdout=true&stderr=true",
                "v5.channel.k8s.io")) {
            session.send(0, "hi\n");
            session.send(Buffer.buffer(new byte[] {(byte) 255, 0}));
            assertThat(session.awaitClose(WAIT)).isEqualTo((short) 1000);
            assertThat(session.channel(1)).as(session.channel(3)).isEqualTo("got hi\n");
            // as upstream's kubelet with containerd: the exit code (4) is the pod status's, not the stream's
            assertThat(session.channel(3)).isEqualTo(ChannelProtocol.SUCCESS);
        }
    }

    @Test
    void ttyGetsTheClientsTerminalSize() throws Exception {
        try (var session = WebSocketSession.open(
                client,
                port,
                TOKEN,
                "/exec/default/web/httpd?command=sh&command=-c&command=sleep+1%3B+stty+size&stdout=true&stderr=true&tty=true",
                "v5.channel.k8s.io")) {
            session.send(4, "{\"Width\":100,\"Height\":40}");
            assertThat(session.awaitClose(WAIT)).isEqualTo((short) 1000);
            assertThat(session.channel(1)).isEqualTo("40 100\r\n");
            assertThat(session.channel(2)).as("a TTY has no stderr").isEmpty();
            assertThat(session.channel(3)).isEqualTo("{\"metadata\":{},\"status\":\"Success\"}");
        }
    }

    @Test
    void megabytesFlowBothWays() throws Exception {
        try (var session = WebSocketSession.open(
                client,
                port,
                TOKEN,
                "/exec/default/web/httpd?command=sh&command=-c&command=wc+-c+%7C+tr+-d+%27+%27&stdin=true&stdout=true",
                "v5.channel.k8s.io")) {
            byte[] chunk = new byte[32 * 1024];
            for (int i = 0; i < 64; i++) {
                session.send(Buffer.buffer().appendByte((byte) 0).appendBytes(chunk));
            }
            session.send(Buffer.buffer(new byte[] {(byte) 255, 0}));
            assertThat(session.awaitClose(WAIT)).isEqualTo((short) 1000);
            assertThat(session.channel(1)).isEqualTo(64 * 32 * 1024 + "\n");
        }
        try (var session = WebSocketSession.open(
                client,
                port,
                TOKEN,
                "/exec/default/web/httpd?command=head&command=-c&command=3000000&command=/dev/zero&stdout=true",
                "v4.channel.k8s.io")) {
            assertThat(session.awaitClose(WAIT)).isEqualTo((short) 1000);
            assertThat(session.received.stream()
                            .filter(m -> m.length() > 0 && m.getByte(0) == 1)
                            .mapToInt(m -> m.length() - 1)
                            .sum())
                    .isEqualTo(3_000_000);
        }
    }

    @Test
    void closingTheClientEndsTheRuntimeConnection() throws Exception {
        int streamPort = runtime.portForward(sandbox, List.of(8080)).getPort(); // a URL left unused
        assertThat(connectionsTo(streamPort)).isZero();
        var exec = WebSocketSession.open(
                client, port, TOKEN, "/exec/default/web/httpd?command=cat&stdin=true&stdout=true", "v5.channel.k8s.io");
        exec.send(0, "ping\n");
        await().atMost(WAIT).until(() -> exec.channel(1).equals("ping\n"));
        var tunnel =
                WebSocketSession.open(client, port, TOKEN, "/portForward/default/web", "SPDY/3.1+portforward.k8s.io");
        var channels =
                WebSocketSession.open(client, port, TOKEN, "/portForward/default/web?port=8080", "v4.channel.k8s.io");
        await().atMost(WAIT).until(() -> connectionsTo(streamPort), n -> n == 3);
        exec.close();
        tunnel.close();
        channels.close();
        await().atMost(WAIT).until(() -> connectionsTo(streamPort), n -> n == 0);
    }

    /**
     * Established TCP connections to {@code port} on 127.0.0.1 (the stream server's) from this machine's network
     * namespace; Java's sockets are dual-stack, so they show in tcp6 as v4-mapped addresses.
     */
    private static long connectionsTo(int port) throws Exception {
        String remote = String.format("0100007F:%04X", port);
        long count = 0;
        for (String table : List.of("/proc/self/net/tcp", "/proc/self/net/tcp6")) {
            try (var lines = java.nio.file.Files.lines(java.nio.file.Path.of(table))) {
                count += lines.skip(1)
                        .map(l -> l.strip().split("\\s+"))
                        .filter(f -> f[2].endsWith(remote) && f[3].equals("01"))
                        .count();
            }
        }
        return count;
    }

    @Test
    void closingStdinOfAnAttachWithoutStdinOnceDetaches() throws Exception {
        String echoer = runtime.listContainers(sandbox, java.util.Map.of()).stream()
                .filter(c -> c.metadata().name().equals("echoer"))
                .findFirst()
                .orElseThrow()
                .id();
        try (var session = WebSocketSession.open(
                client, port, TOKEN, "/attach/default/web/echoer?stdin=true&stdout=true", "v5.channel.k8s.io")) {
            session.send(0, "x\n");
            await().atMost(WAIT).until(() -> session.channel(1).equals("x\n"));
            long start = System.nanoTime();
            session.send(Buffer.buffer(new byte[] {(byte) 255, 0}));
            assertThat(session.awaitClose(WAIT)).isEqualTo((short) 1000);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
            assertThat(session.channel(3)).isEqualTo("{\"metadata\":{},\"status\":\"Success\"}");
        }
        assertThat(runtime.containerStatus(echoer).state())
                .as("a detach leaves the container running")
                .isEqualTo(dev.capstan.node.runtime.ContainerState.RUNNING);
    }

    @Test
    void refusalsArePlainHttpStatuses() throws Exception {
        var noPod = WebSocketSession.refused(
                client, port, TOKEN, "/exec/default/nope/httpd?command=true&stdout=true", "v5.channel.k8s.io");
        assertThat(noPod).isEqualTo(new WebSocketSession.Refused(404, "pod does not exist"));
        var noContainer = WebSocketSession.refused(
                client, port, TOKEN, "/exec/default/web/nope?command=true&stdout=true", "v5.channel.k8s.io");
        assertThat(noContainer).isEqualTo(new WebSocketSession.Refused(500, "container not found (\"nope\")"));
        var noStreams = WebSocketSession.refused(
                client, port, TOKEN, "/exec/default/web/httpd?command=true", "v5.channel.k8s.io");
        assertThat(noStreams.status()).isEqualTo(400);
        assertThat(noStreams.body()).isEqualTo("you must specify at least 1 of stdin, stdout, stderr");
        var noPort = WebSocketSession.refused(client, port, TOKEN, "/portForward/default/web", "v4.channel.k8s.io");
        assertThat(noPort).isEqualTo(new WebSocketSession.Refused(400, "query parameter \"port\" is required"));
        assertThat(WebSocketSession.refused(
                                client,
                                port,
                                null,
                                "/exec/default/web/httpd?command=true&stdout=1",
                                "v5.channel.k8s.io")
                        .status())
                .isEqualTo(401);
    }

    @Test
    void portForwardOverV4ReachesHttpdInThePod() throws Exception {
        try (var session = WebSocketSession.open(
                client, port, TOKEN, "/portForward/default/web?ports=8080", "v4.channel.k8s.io")) {
            // containerd's first frame on the data and the error channel: the port, 2 bytes little-endian
            await().atMost(WAIT).until(() -> session.received.size() >= 2);
            assertThat(session.received.get(0).getBytes()).containsExactly(0, 0x90, 0x1f);
            assertThat(session.received.get(1).getBytes()).containsExactly(1, 0x90, 0x1f);
            session.send(0, "GET /hostname HTTP/1.0\r\n\r\n");
            await().atMost(WAIT).until(() -> session.channel(0).contains("\r\n\r\n"));
            // after the port frame: the answer, and containerd closes the socket when httpd closes the connection
            assertThat(session.awaitClose(WAIT)).isEqualTo((short) 1000);
            assertThat(session.channel(0)).contains("HTTP/1.1 200 OK\r\n").endsWith("\r\n\r\nweb\n");
        }
    }

    @Test
    void portForwardThroughTheSpdyTunnelReachesHttpdInThePod() throws Exception {
        try (var session =
                WebSocketSession.open(client, port, TOKEN, "/portForward/default/web", "SPDY/3.1+portforward.k8s.io")) {
            assertThat(session.socket.subProtocol()).isEqualTo("SPDY/3.1+portforward.k8s.io");
            List<SpdyFrame> frames = new CopyOnWriteArrayList<>();
            Buffer data = Buffer.buffer();
            var spdy = new SpdyCodec(session::send, frame -> {
                frames.add(frame instanceof SpdyDataFrame d ? d.copy() : frame);
                if (frame instanceof SpdyDataFrame d && d.streamId() == 3) {
                    synchronized (data) {
                        data.appendBuffer(SpdyCodec.content(d.content()));
                    }
                }
            });
            session.socket.binaryMessageHandler(bytes -> {
                synchronized (spdy) {
                    spdy.receive(bytes);
                }
            });
            // as kubectl's handleConnection: the error stream, then the data stream, each answered before use
            synchronized (spdy) {
                spdy.send(synStream(1, "error", true));
            }
            await().atMost(WAIT).until(() -> replied(frames, 1));
            synchronized (spdy) {
                spdy.send(synStream(3, "data", false));
            }
            await().atMost(WAIT).until(() -> replied(frames, 3));
            synchronized (spdy) {
                spdy.send(new DefaultSpdyPingFrame(1));
                spdy.send(new DefaultSpdyDataFrame(
                        3, Unpooled.wrappedBuffer("GET /hostname HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.UTF_8))));
            }
            await().atMost(WAIT).until(() -> {
                synchronized (data) {
                    return data.toString(StandardCharsets.UTF_8).contains("\r\n\r\n");
                }
            });
            assertThat(data.toString(StandardCharsets.UTF_8))
                    .startsWith("HTTP/1.1 200 OK")
                    .endsWith("\r\n\r\nweb\n");
            assertThat(frames)
                    .anySatisfy(f -> assertThat(f)
                            .isInstanceOfSatisfying(
                                    SpdyPingFrame.class, p -> assertThat(p.id()).isEqualTo(1)));
            spdy.close();
        }
    }

    private static DefaultSpdySynStreamFrame synStream(int id, String type, boolean last) {
        var frame = new DefaultSpdySynStreamFrame(id, 0, (byte) 0);
        frame.headers().set("streamtype", type).set("port", "8080").set("requestid", "0");
        frame.setLast(last);
        return frame;
    }

    private static boolean replied(List<SpdyFrame> frames, int streamId) {
        return frames.stream().anyMatch(f -> f instanceof SpdySynReplyFrame r && r.streamId() == streamId);
    }
}
