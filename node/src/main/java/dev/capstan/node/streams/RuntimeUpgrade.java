package dev.capstan.node.streams;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * An HTTP/1.1 upgrade to SPDY/3.1 on a URL of containerd's stream server, as kubectl's SPDY executor makes it to a
 * kubelet: {@code Connection: Upgrade}, {@code Upgrade: SPDY/3.1}, {@code X-Stream-Protocol-Version}. Anything but a
 * 101 fails with the status and the body the server sent. The URL is single-use: never call this twice with one.
 */
final class RuntimeUpgrade {
    private RuntimeUpgrade() {}

    /** A socket that speaks SPDY from now on, and the bytes that came after the 101's head. */
    record Upgraded(NetSocket socket, Buffer rest) {}

    /** Opens the connection; must be called on the Vert.x context that will drive it. */
    static Future<Upgraded> connect(NetClient client, URI url, String protocol) {
        if (!"http".equals(url.getScheme())) {
            return Future.failedFuture("unsupported stream server URL " + url + " (enable_tls_streaming is off)");
        }
        int port = url.getPort() < 0 ? 80 : url.getPort();
        return client.connect(port, url.getHost()).compose(socket -> {
            Promise<Upgraded> upgraded = Promise.promise();
            Vertx vertx = Vertx.currentContext().owner();
            long timer = vertx.setTimer(
                    CommandStream.SETUP_TIMEOUT.toMillis(),
                    t -> upgraded.tryFail("no answer from the stream server within "
                            + CommandStream.SETUP_TIMEOUT.toSeconds() + " s"));
            upgraded.future().onComplete(r -> vertx.cancelTimer(timer));
            Buffer head = Buffer.buffer();
            socket.handler(bytes -> {
                if (upgraded.future().isComplete()) {
                    return; // only the refused case reads on (its body), until the server closes
                }
                head.appendBuffer(bytes);
                int end = indexOf(head, "\r\n\r\n");
                if (end < 0) {
                    if (head.length() > 16 * 1024) {
                        socket.close();
                        upgraded.tryFail("no HTTP response head from the stream server");
                    }
                    return;
                }
                String headText = head.getString(0, end, StandardCharsets.ISO_8859_1.name());
                String status = headText.lines().findFirst().orElse("");
                if (status.startsWith("HTTP/1.1 101")) {
                    socket.handler(null);
                    socket.pause();
                    upgraded.complete(new Upgraded(socket, head.getBuffer(end + 4, head.length())));
                } else {
                    Buffer body = head.getBuffer(end + 4, head.length());
                    socket.handler(body::appendBuffer);
                    socket.closeHandler(v -> upgraded.tryFail(
                            "the runtime refused the stream: " + status.substring(Math.min(9, status.length())) + ": "
                                    + body.toString(StandardCharsets.UTF_8).strip()));
                }
            });
            socket.closeHandler(v -> upgraded.tryFail("the stream server closed the connection during the upgrade"));
            socket.exceptionHandler(e -> upgraded.tryFail(e));
            socket.write(Buffer.buffer("POST " + url.getRawPath() + " HTTP/1.1\r\n"
                    + "Host: " + url.getHost() + ":" + port + "\r\n"
                    + "Connection: Upgrade\r\n"
                    + "Upgrade: SPDY/3.1\r\n"
                    + "X-Stream-Protocol-Version: " + protocol + "\r\n"
                    + "Content-Length: 0\r\n\r\n"));
            return upgraded.future().onFailure(e -> socket.close());
        });
    }

    private static int indexOf(Buffer buffer, String marker) {
        byte[] bytes = buffer.getBytes();
        byte[] m = marker.getBytes(StandardCharsets.ISO_8859_1);
        outer:
        for (int i = 0; i + m.length <= bytes.length; i++) {
            for (int j = 0; j < m.length; j++) {
                if (bytes[i + j] != m[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
