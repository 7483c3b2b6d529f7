package dev.capstan.node.streams;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * The WebSocket channel protocols of exec and attach (upstream wsstream and remotecommand): each message is one
 * channel's data, its first byte the channel (0 stdin, 1 stdout, 2 stderr, 3 the final Status, 4 resize JSON). v5 adds
 * channel 255, whose one-byte payload names a channel the client closes ({@code [255, 0]}: end of stdin). The base64
 * variant sends text messages: the channel as an ASCII digit, then the data in base64.
 */
enum ChannelProtocol {
    V5("v5.channel.k8s.io"),
    V4("v4.channel.k8s.io"),
    V4_BASE64("v4.base64.channel.k8s.io");

    static final int STDIN = 0;
    static final int STDOUT = 1;
    static final int STDERR = 2;
    static final int ERROR = 3;
    static final int RESIZE = 4;
    static final int CLOSE = 255;

    /** The WebSocket subprotocol of port-forward through a SPDY tunnel (kubectl 1.30+). */
    static final String SPDY_PORT_FORWARD = "SPDY/3.1+portforward.k8s.io";

    /** Everything the endpoint offers; the handshake picks the first of the client's list that is here. */
    static final List<String> SUBPROTOCOLS =
            List.of(V5.subprotocol, V4.subprotocol, V4_BASE64.subprotocol, SPDY_PORT_FORWARD);

    /** One message as the client sent it: {@code channel} and its payload. */
    record Message(int channel, Buffer data) {}

    final String subprotocol;

    ChannelProtocol(String subprotocol) {
        this.subprotocol = subprotocol;
    }

    /** The protocol with this name, or null. */
    static ChannelProtocol of(String subprotocol) {
        for (ChannelProtocol p : values()) {
            if (p.subprotocol.equals(subprotocol)) {
                return p;
            }
        }
        return null;
    }

    /** A binary message (v5, v4) decoded; null when empty. */
    static Message binary(Buffer message) {
        return message.length() == 0
                ? null
                : new Message(message.getByte(0) & 0xff, message.getBuffer(1, message.length()));
    }

    /** A text message (base64) decoded; null when empty or not of the form. */
    static Message text(String message) {
        if (message.isEmpty() || message.charAt(0) < '0' || message.charAt(0) > '9') {
            return null;
        }
        try {
            return new Message(
                    message.charAt(0) - '0', Buffer.buffer(Base64.getDecoder().decode(message.substring(1))));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Whether the client's message says it closes stdin (v5 only). */
    boolean closesStdin(Message message) {
        return this == V5
                && message.channel() == CLOSE
                && message.data().length() == 1
                && message.data().getByte(0) == STDIN;
    }

    /** Writes {@code data} on {@code channel} to the client. */
    void write(ServerWebSocket client, int channel, Buffer data) {
        if (this == V4_BASE64) {
            client.writeTextMessage((char) ('0' + channel) + Base64.getEncoder().encodeToString(data.getBytes()));
        } else {
            client.writeBinaryMessage(frame(channel, data));
        }
    }

    /** A binary message: the channel byte, then the data. */
    static Buffer frame(int channel, Buffer data) {
        return Buffer.buffer(data.length() + 1).appendByte((byte) channel).appendBuffer(data);
    }

    /** The Status upstream writes for a command that exited 0 (remotecommand v4 writeStatus). */
    static final String SUCCESS = "{\"metadata\":{},\"status\":\"Success\"}";

    static Buffer utf8(String text) {
        return Buffer.buffer(text.getBytes(StandardCharsets.UTF_8));
    }
}
