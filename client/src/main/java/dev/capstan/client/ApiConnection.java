package dev.capstan.client;

import dev.capstan.model.grpc.ApiGrpc;
import dev.capstan.model.grpc.DiscoverRequest;
import io.grpc.CallCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * One channel to the API server's internal gRPC API, authenticated as a component by its bearer token. Every
 * call of a process shares it (HTTP/2 multiplexes them).
 */
public final class ApiConnection implements AutoCloseable {
    private static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    private final ManagedChannel channel;
    private final CallCredentials credentials;

    private ApiConnection(ManagedChannel channel, String token) {
        this.channel = channel;
        this.credentials = new BearerToken(token);
    }

    /** Connects (lazily) to {@code host:port} in plain text: the internal API listens on loopback only. */
    public static ApiConnection connect(String target, String token) {
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("no token to call the API server at " + target + " with");
        }
        ManagedChannel channel = NettyChannelBuilder.forTarget(target)
                .usePlaintext()
                .maxInboundMessageSize(64 * 1024 * 1024)
                .build();
        return new ApiConnection(channel, token.strip());
    }

    /** Connects with the token kept in {@code tokenFile} (the API server's {@code tokens/<component>}). */
    public static ApiConnection connect(String target, Path tokenFile) {
        String token;
        try {
            token = Files.readString(tokenFile, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(
                    "cannot read the token to call the API server with from " + tokenFile
                            + " (it is written by the API server at its first start; check capstan.client.token-file): "
                            + e.getMessage(),
                    e);
        }
        return connect(target, token);
    }

    /**
     * Waits until the API server answers a discovery call, trying every 50 ms: a component may start beside an API
     * server that is still starting, and gRPC's own reconnect back-off (1 s, growing) would let it wait up to a
     * second longer than needed. Any answer but "unavailable" counts (an error then shows in the call that matters).
     *
     * @return whether it answered within {@code limit}
     */
    public boolean awaitAvailable(Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            try {
                blocking().withDeadlineAfter(2, TimeUnit.SECONDS).discover(DiscoverRequest.getDefaultInstance());
                return true;
            } catch (StatusRuntimeException e) {
                if (e.getStatus().getCode() != Status.Code.UNAVAILABLE
                        && e.getStatus().getCode() != Status.Code.DEADLINE_EXCEEDED) {
                    return true;
                }
            }
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(50);
            channel.resetConnectBackoff();
        }
    }

    ApiGrpc.ApiBlockingStub blocking() {
        return ApiGrpc.newBlockingStub(channel).withCallCredentials(credentials);
    }

    @Override
    public void close() {
        channel.shutdownNow();
        try {
            channel.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static final class BearerToken extends CallCredentials {
        private final String header;

        BearerToken(String token) {
            this.header = "Bearer " + token;
        }

        @Override
        public void applyRequestMetadata(RequestInfo info, Executor executor, MetadataApplier applier) {
            Metadata metadata = new Metadata();
            metadata.put(AUTHORIZATION, header);
            applier.apply(metadata);
        }
    }
}
