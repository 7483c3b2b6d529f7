package dev.capstan.node.streams;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.spdy.DefaultSpdyDataFrame;
import io.netty.handler.codec.spdy.DefaultSpdyPingFrame;
import io.netty.handler.codec.spdy.DefaultSpdySynStreamFrame;
import io.netty.handler.codec.spdy.SpdyDataFrame;
import io.netty.handler.codec.spdy.SpdyFrame;
import io.netty.handler.codec.spdy.SpdyGoAwayFrame;
import io.netty.handler.codec.spdy.SpdyPingFrame;
import io.netty.handler.codec.spdy.SpdyRstStreamFrame;
import io.netty.handler.codec.spdy.SpdySynReplyFrame;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.net.NetSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * One exec or attach: the client's WebSocket (v5/v4 channels) relayed to a SPDY/3.1 connection on containerd's stream
 * server ({@code v4.channel.k8s.io} inside, upstream remotecommand's streams: error, stdin, stdout, stderr, resize).
 * SPDY rather than WebSocket towards containerd because only SPDY can end stdin (a FIN), which v5's {@code [255, 0]}
 * becomes. The session ends when containerd ends the error stream (after writing the Status there), resets it or
 * goes away: the client gets the Status on channel 3 and a close. Closing the client's socket closes containerd's.
 * Everything runs on the client connection's Vert.x context.
 */
final class CommandStream {
    private static final Logger LOG = Logger.getLogger(CommandStream.class);
    static final Duration SETUP_TIMEOUT = Duration.ofSeconds(30);

    /**
     * What the client asked for. stdin and tty also shape containerd's streams; stdout and stderr only filter, since
     * CriRuntime asks for stdout always and stderr unless tty.
     */
    record Streams(boolean stdin, boolean stdout, boolean stderr, boolean tty) {}

    private final ChannelProtocol protocol;
    private final Streams wanted;
    private final NetSocket upstream;
    private final SpdyCodec spdy;
    private boolean stdinClosed;

    private ServerWebSocket client;
    private final Promise<Void> replied = Promise.promise();
    private final Set<Integer> awaitingReply = new HashSet<>();
    private int errorId;
    private int stdinId;
    private int stdoutId;
    private int stderrId;
    private int resizeId;
    private final Buffer status = Buffer.buffer();
    /** Output that came before the client's socket was there. */
    private final List<ChannelProtocol.Message> early = new ArrayList<>();

    private boolean finished;
    private boolean finishedEarly;

    private CommandStream(ChannelProtocol protocol, Streams wanted, NetSocket upstream) {
        this.protocol = protocol;
        this.wanted = wanted;
        this.upstream = upstream;
        this.spdy = new SpdyCodec(upstream::write, this::fromRuntime);
    }

    /**
     * Opens the streams on an upgraded connection to containerd and waits for its replies; the client's socket is
     * attached afterwards with {@link #attach}.
     */
    static Future<CommandStream> open(ChannelProtocol protocol, Streams wanted, RuntimeUpgrade.Upgraded upgraded) {
        var stream = new CommandStream(protocol, wanted, upgraded.socket());
        return stream.start(upgraded.rest());
    }

    private Future<CommandStream> start(Buffer rest) {
        upstream.handler(this::receive);
        upstream.closeHandler(v -> {
            finish();
            spdy.close();
        });
        upstream.exceptionHandler(e -> {
            LOG.debugf("the runtime's stream broke: %s", e.getMessage());
            upstream.close();
        });
        int id = 1;
        errorId = create(id, "error");
        if (wanted.stdin()) {
            stdinId = create(id += 2, "stdin");
        }
        stdoutId = create(id += 2, "stdout");
        if (!wanted.tty()) {
            stderrId = create(id += 2, "stderr");
        }
        if (wanted.tty()) {
            resizeId = create(id += 2, "resize");
        }
        upstream.resume();
        if (rest.length() > 0) {
            receive(rest);
        }
        // upstream remotecommand's streamCreationTimeout: containerd answers at once or not at all
        Vertx vertx = Vertx.currentContext().owner();
        long timer = vertx.setTimer(SETUP_TIMEOUT.toMillis(), t -> {
            if (replied.tryFail("the runtime did not answer the streams within " + SETUP_TIMEOUT.toSeconds() + " s")) {
                upstream.close();
            }
        });
        return replied.future().onComplete(r -> vertx.cancelTimer(timer)).map(this);
    }

    private int create(int id, String type) {
        var frame = new DefaultSpdySynStreamFrame(id, 0, (byte) 0);
        frame.headers().set("streamtype", type);
        awaitingReply.add(id);
        spdy.send(frame);
        return id;
    }

    /** Gives up before a client's socket was attached (its upgrade failed). */
    void abort() {
        finished = true;
        upstream.close();
    }

    /** Relays the client's socket from now on (it is upgraded only once the runtime's streams are ready). */
    void attach(ServerWebSocket socket) {
        this.client = socket;
        socket.binaryMessageHandler(m -> fromClient(ChannelProtocol.binary(m)));
        socket.textMessageHandler(m -> fromClient(ChannelProtocol.text(m)));
        socket.closeHandler(v -> {
            finished = true;
            upstream.close();
        });
        socket.exceptionHandler(e -> socket.close());
        // Back-pressure both ways: a full write queue pauses the other side until it drains.
        socket.drainHandler(v -> upstream.resume());
        upstream.drainHandler(v -> socket.resume());
        // As upstream's wsstream: an empty message on the lowest channel the client reads says the stream is open;
        // but not to v5 clients. kubectl 1.32 reads before it has made its streams, and then discards that
        // message with "Unknown stream id 1" on stderr (a CI run saw it). Its real output comes later, as the
        // process runs.
        if (protocol != ChannelProtocol.V5) {
            protocol.write(socket, wanted.stdout() ? ChannelProtocol.STDOUT : ChannelProtocol.STDERR, Buffer.buffer());
        }
        early.forEach(m -> protocol.write(socket, m.channel(), m.data()));
        early.clear();
        if (finishedEarly) {
            finish();
        }
    }

    private void fromClient(ChannelProtocol.Message message) {
        if (message == null || finished) {
            return;
        }
        if (protocol.closesStdin(message)) {
            if (stdinId != 0 && !stdinClosed) {
                stdinClosed = true;
                spdy.send(new DefaultSpdyDataFrame(stdinId).setLast(true));
            }
            return;
        }
        int target = switch (message.channel()) {
            case ChannelProtocol.STDIN -> stdinId;
            case ChannelProtocol.RESIZE -> resizeId;
            default -> 0;
        };
        if (target == 0 || message.data().length() == 0) {
            return;
        }
        spdy.send(new DefaultSpdyDataFrame(
                target, Unpooled.wrappedBuffer(message.data().getBytes())));
        if (upstream.writeQueueFull()) {
            client.pause();
        }
    }

    private void receive(Buffer bytes) {
        try {
            spdy.receive(bytes);
        } catch (RuntimeException e) {
            LOG.debugf("bad SPDY from the runtime: %s", e.getMessage());
            upstream.close();
        }
    }

    private void fromRuntime(SpdyFrame frame) {
        switch (frame) {
            case SpdySynReplyFrame reply -> {
                awaitingReply.remove(reply.streamId());
                if (awaitingReply.isEmpty()) {
                    replied.tryComplete();
                }
                if (reply.isLast()) {
                    ended(reply.streamId());
                }
            }
            case SpdyDataFrame data -> {
                int id = data.streamId();
                Buffer bytes = SpdyCodec.content(data.content());
                if (id == errorId) {
                    status.appendBuffer(bytes);
                } else if (bytes.length() > 0) {
                    if (id == stdoutId && wanted.stdout()) {
                        toClient(ChannelProtocol.STDOUT, bytes);
                    } else if (id == stderrId && wanted.stderr()) {
                        toClient(ChannelProtocol.STDERR, bytes);
                    }
                }
                if (data.isLast()) {
                    ended(id);
                }
            }
            case SpdyRstStreamFrame reset -> {
                replied.tryFail("the runtime reset stream " + reset.streamId() + ": " + reset.status());
                ended(reset.streamId());
            }
            case SpdyPingFrame ping -> spdy.send(new DefaultSpdyPingFrame(ping.id()));
            case SpdyGoAwayFrame goAway -> finish();
            default -> {} // SETTINGS, WINDOW_UPDATE (no flow control on either side), HEADERS
        }
    }

    private void toClient(int channel, Buffer bytes) {
        if (client == null) {
            early.add(new ChannelProtocol.Message(channel, bytes));
            return;
        }
        protocol.write(client, channel, bytes);
        if (client.writeQueueFull()) {
            upstream.pause();
        }
    }

    private void ended(int streamId) {
        if (streamId == errorId) {
            finish();
        }
    }

    /**
     * Sends the Status (containerd's, or Success when it wrote none) and closes both sides; once. An attach ends with
     * Success whatever the container's exit code, as upstream's with containerd: kubectl reads that code from the
     * pod's status (kubectl run -i), and an error here would make kubectl debug fall back to reprinting the logs.
     */
    private void finish() {
        if (replied.tryFail("the runtime closed the stream before it was set up")) {
            upstream.close();
            return;
        }
        if (client == null) {
            finishedEarly = true; // the command ended before the client's socket was attached
            return;
        }
        if (finished) {
            upstream.close();
            return;
        }
        finished = true;
        String text = status.length() == 0 ? ChannelProtocol.SUCCESS : status.toString(StandardCharsets.UTF_8);
        protocol.write(client, ChannelProtocol.ERROR, ChannelProtocol.utf8(text));
        client.close((short) 1000);
        upstream.close();
    }
}
