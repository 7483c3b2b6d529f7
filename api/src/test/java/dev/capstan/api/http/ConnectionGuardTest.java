package dev.capstan.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The header and idle timeouts on a plain Vert.x server, with timeouts short enough for a test. */
class ConnectionGuardTest {
    private static final Duration HEADER_TIMEOUT = Duration.ofMillis(800);
    private static final Duration IDLE_TIMEOUT = Duration.ofMillis(1500);

    private Vertx vertx;
    private HttpServer server;
    private CountDownLatch releaseSlowRequest;

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
        releaseSlowRequest = new CountDownLatch(1);
        var guard = new ConnectionGuard(vertx, HEADER_TIMEOUT, IDLE_TIMEOUT);
        server = vertx.createHttpServer(new HttpServerOptions().setHttp2ClearTextEnabled(false))
                .connectionHandler(guard.onConnection())
                .requestHandler(guard.wrap(request -> {
                    if (request.path().equals("/slow")) {
                        // Answered only once the test says so: a long request (a watch) is in flight meanwhile.
                        vertx.setPeriodic(100, id -> {
                            if (releaseSlowRequest.getCount() == 0) {
                                vertx.cancelTimer(id);
                                request.response().end("done");
                            }
                        });
                    } else {
                        request.response().end("ok");
                    }
                }))
                .listen(0, "127.0.0.1")
                .toCompletionStage()
                .toCompletableFuture()
                .join();
    }

    @AfterEach
    void stop() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    @Test
    void aConnectionThatNeverCompletesItsHeadersIsClosed() throws Exception {
        try (Socket socket = connect()) {
            socket.getOutputStream().write("GET /fast HT".getBytes(StandardCharsets.US_ASCII));
            long start = System.nanoTime();
            assertThat(readToClose(socket.getInputStream())).isEmpty();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        }
    }

    @Test
    void anIdleKeptAliveConnectionIsClosedAfterItsAnswer() throws Exception {
        try (Socket socket = connect()) {
            send(socket, "/fast");
            assertThat(readToClose(socket.getInputStream()))
                    .startsWith("HTTP/1.1 200")
                    .endsWith("ok");
        }
    }

    @Test
    void aLongRequestInFlightKeepsItsConnectionPastBothTimeouts() throws Exception {
        try (Socket socket = connect()) {
            send(socket, "/slow");
            Thread.sleep(HEADER_TIMEOUT.plus(IDLE_TIMEOUT).toMillis() + 500);
            releaseSlowRequest.countDown();
            // Still open: the answer arrives, and only then does the idle clock start and close it.
            assertThat(readToClose(socket.getInputStream()))
                    .startsWith("HTTP/1.1 200")
                    .endsWith("done");
        }
    }

    @Test
    void aConnectionInUseStaysOpenBetweenRequestsShorterThanTheIdleTimeout() throws Exception {
        try (Socket socket = connect()) {
            InputStream in = socket.getInputStream();
            for (int i = 0; i < 3; i++) {
                send(socket, "/fast");
                assertThat(readAnswer(in)).startsWith("HTTP/1.1 200");
                Thread.sleep(IDLE_TIMEOUT.toMillis() / 2);
            }
        }
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket("127.0.0.1", server.actualPort());
        socket.setSoTimeout(10_000); // a server that never closes fails the test instead of hanging it
        return socket;
    }

    private static void send(Socket socket, String path) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(("GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** One answer with a Content-Length body, read without waiting for the connection to close. */
    private static String readAnswer(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            assertThat(b).as("connection closed mid-answer").isNotNegative();
            head.append((char) b);
        }
        int length = Integer.parseInt(head.toString()
                .lines()
                .filter(l -> l.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:"))
                .findFirst()
                .orElseThrow()
                .substring("content-length:".length())
                .trim());
        return head + new String(in.readNBytes(length), StandardCharsets.US_ASCII);
    }

    /** Everything the server sends until it closes the connection (a reset counts as a close). */
    private static String readToClose(InputStream in) throws IOException {
        StringBuilder got = new StringBuilder();
        try {
            for (int b = in.read(); b >= 0; b = in.read()) {
                got.append((char) b);
            }
        } catch (SocketException reset) {
            // closed by the server
        }
        return got.toString();
    }
}
