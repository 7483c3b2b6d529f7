package dev.capstan.node.streams;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.spdy.DefaultSpdyDataFrame;
import io.netty.handler.codec.spdy.DefaultSpdySynStreamFrame;
import io.netty.handler.codec.spdy.SpdyDataFrame;
import io.netty.handler.codec.spdy.SpdyFrame;
import io.netty.handler.codec.spdy.SpdySynStreamFrame;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SpdyCodecTest {

    /** Two codecs wired back to back, the bytes handed over in arbitrary pieces as a socket would. */
    @Test
    void framesSurviveAnyByteSplitWithHeadersAndFin() {
        List<String> received = new ArrayList<>();
        var reader = new SpdyCodec(b -> {}, frame -> received.add(describe(frame)));
        Buffer wire = Buffer.buffer();
        var writer = new SpdyCodec(wire::appendBuffer, frame -> {});
        var syn = new DefaultSpdySynStreamFrame(1, 0, (byte) 0);
        syn.headers().set("streamtype", "stdin");
        writer.send(syn);
        writer.send(new DefaultSpdyDataFrame(1, Unpooled.wrappedBuffer("hello".getBytes())));
        writer.send(new DefaultSpdyDataFrame(1).setLast(true));
        byte[] bytes = wire.getBytes();
        for (int i = 0; i < bytes.length; i += 3) {
            reader.receive(Buffer.buffer().appendBytes(bytes, i, Math.min(3, bytes.length - i)));
        }
        assertThat(received).containsExactly("syn 1 streamtype=stdin", "data 1 hello", "data 1  fin");
        reader.close();
        writer.close();
    }

    private static String describe(SpdyFrame frame) {
        return switch (frame) {
            case SpdySynStreamFrame s ->
                "syn " + s.streamId() + " streamtype=" + s.headers().getAsString("streamtype");
            case SpdyDataFrame d ->
                "data " + d.streamId() + " " + SpdyCodec.content(d.content()) + (d.isLast() ? " fin" : "");
            default -> frame.toString();
        };
    }
}
