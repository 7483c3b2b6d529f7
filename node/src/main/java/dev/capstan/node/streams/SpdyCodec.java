package dev.capstan.node.streams;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.spdy.SpdyFrame;
import io.netty.handler.codec.spdy.SpdyFrameCodec;
import io.netty.handler.codec.spdy.SpdyVersion;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.buffer.Buffer;
import java.util.function.Consumer;

/**
 * One SPDY/3.1 connection's framing (Netty's codec, with its per-direction header compression) on bytes that arrive
 * and leave by other means: a TCP socket to containerd, or WebSocket messages. Only framing: no session rules, no
 * flow control (Go's spdystream, on both kubectl's and containerd's side, neither sends nor honours WINDOW_UPDATE).
 * Not thread-safe: one Vert.x context drives it.
 */
final class SpdyCodec implements AutoCloseable {
    private final EmbeddedChannel channel = new EmbeddedChannel(new SpdyFrameCodec(SpdyVersion.SPDY_3_1));
    private final Consumer<Buffer> output;
    private final Consumer<SpdyFrame> frames;

    /**
     * @param output receives the encoded bytes of each frame sent
     * @param frames receives each decoded frame; the frame (and its content) is released when it returns
     */
    SpdyCodec(Consumer<Buffer> output, Consumer<SpdyFrame> frames) {
        this.output = output;
        this.frames = frames;
    }

    /** Decodes {@code bytes} (any split of the byte stream) and hands on every complete frame. */
    void receive(Buffer bytes) {
        channel.writeInbound(Unpooled.wrappedBuffer(bytes.getBytes()));
        channel.checkException();
        Object frame;
        while ((frame = channel.readInbound()) != null) {
            try {
                frames.accept((SpdyFrame) frame);
            } finally {
                ReferenceCountUtil.release(frame);
            }
        }
    }

    /** Encodes and writes {@code frame}. */
    void send(SpdyFrame frame) {
        channel.writeOutbound(frame);
        Buffer bytes = Buffer.buffer();
        ByteBuf encoded;
        while ((encoded = channel.readOutbound()) != null) {
            try {
                bytes.appendBytes(ByteBufUtil.getBytes(encoded));
            } finally {
                encoded.release();
            }
        }
        if (bytes.length() > 0) {
            output.accept(bytes);
        }
    }

    /** The bytes of a frame's content, copied (the frame is released after the handler). */
    static Buffer content(ByteBuf content) {
        return Buffer.buffer(ByteBufUtil.getBytes(content));
    }

    @Override
    public void close() {
        channel.finishAndReleaseAll();
    }
}
