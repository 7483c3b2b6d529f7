package dev.capstan.node.streams;

import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocket;
import io.vertx.core.net.NetSocket;
import io.vertx.core.streams.ReadStream;
import io.vertx.core.streams.WriteStream;

/**
 * Port-forward needs no translation, only relaying, since both ends speak the same protocol:
 *
 * <ul>
 *   <li>kubectl's SPDY tunnel ({@code SPDY/3.1+portforward.k8s.io}): the WebSocket's binary messages are the bytes of
 *       a SPDY connection, so they go unchanged to a SPDY upgrade of containerd's port-forward URL (as upstream's API
 *       server pipes the tunnel to the kubelet). kubectl opens a pair of streams per TCP connection (headers
 *       {@code streamtype} error|data, {@code port}, {@code requestid}); containerd answers, pings and errors itself.
 *   <li>{@code v4.channel.k8s.io} (fabric8): message for message to containerd's WebSocket on the same URL and
 *       subprotocol; containerd sends the 2-byte port first on each channel.
 * </ul>
 *
 * Either side closing closes the other; a full write queue pauses the reading side until it drains.
 */
final class PortForwardRelay {
    private PortForwardRelay() {}

    /** kubectl's tunnel to the bytes of an upgraded SPDY connection. */
    static void tunnel(ServerWebSocket client, RuntimeUpgrade.Upgraded upgraded) {
        NetSocket runtime = upgraded.socket();
        client.binaryMessageHandler(bytes -> {
            runtime.write(bytes);
            backPressure(client, runtime);
        });
        runtime.handler(bytes -> {
            client.writeBinaryMessage(bytes);
            backPressure(runtime, client);
        });
        client.closeHandler(v -> runtime.close());
        client.exceptionHandler(e -> client.close());
        runtime.closeHandler(v -> client.close());
        runtime.exceptionHandler(e -> runtime.close());
        if (upgraded.rest().length() > 0) {
            client.writeBinaryMessage(upgraded.rest());
        }
        runtime.resume();
    }

    /** fabric8's v4 channels to containerd's WebSocket. */
    static void channels(ServerWebSocket client, WebSocket runtime) {
        client.binaryMessageHandler(m -> {
            runtime.writeBinaryMessage(m);
            backPressure(client, runtime);
        });
        client.textMessageHandler(m -> {
            runtime.writeTextMessage(m);
            backPressure(client, runtime);
        });
        runtime.binaryMessageHandler(m -> {
            client.writeBinaryMessage(m);
            backPressure(runtime, client);
        });
        runtime.textMessageHandler(m -> {
            client.writeTextMessage(m);
            backPressure(runtime, client);
        });
        client.closeHandler(v -> runtime.close());
        client.exceptionHandler(e -> client.close());
        runtime.closeHandler(v -> client.close());
        runtime.exceptionHandler(e -> runtime.close());
        runtime.resume();
    }

    private static void backPressure(ReadStream<?> from, WriteStream<?> to) {
        if (to.writeQueueFull()) {
            from.pause();
            to.drainHandler(v -> from.resume());
        }
    }
}
