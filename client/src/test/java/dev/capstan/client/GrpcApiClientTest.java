package dev.capstan.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.capstan.model.grpc.ApiGrpc;
import dev.capstan.model.grpc.BindRequest;
import dev.capstan.model.grpc.BindResponse;
import dev.capstan.model.grpc.GetRequest;
import dev.capstan.model.grpc.ListRequest;
import dev.capstan.model.grpc.ListResponse;
import dev.capstan.model.grpc.Object;
import dev.capstan.model.grpc.WatchRequest;
import io.fabric8.kubernetes.api.model.Node;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The client over a real gRPC connection to a stand-in of the API's service on loopback: the token travels, Kubernetes
 * JSON decodes into fabric8 types (quantities included), Status errors come back with their code and reason, and a
 * watch streams typed events until the server's ERROR.
 */
class GrpcApiClientTest {
    private static final String NODE = "{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\"n1\","
            + "\"resourceVersion\":\"7\"},\"status\":{\"capacity\":{\"cpu\":\"4\",\"memory\":\"8Gi\"},"
            + "\"allocatable\":{\"cpu\":\"3500m\",\"memory\":\"7Gi\"}}}";
    private static final String GONE = "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\","
            + "\"message\":\"too old resource version: 3 (9)\",\"reason\":\"Expired\",\"code\":410}";

    private final List<String> tokens = new CopyOnWriteArrayList<>();
    private Server server;
    private ApiConnection connection;
    private GrpcApiClient client;

    @BeforeEach
    void start() throws Exception {
        ServerInterceptor recordToken = new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(
                    ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
                tokens.add(headers.get(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER)));
                return next.startCall(call, headers);
            }
        };
        server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(ServerInterceptors.intercept(new StandIn(), recordToken))
                .build()
                .start();
        connection = ApiConnection.connect("127.0.0.1:" + server.getPort(), "secret-token\n");
        client = new GrpcApiClient(connection, "test-manager");
    }

    @AfterEach
    void stop() {
        connection.close();
        server.shutdownNow();
    }

    @Test
    void decodesNodesWithQuantitiesAndSendsTheToken() {
        Node node = client.resources(Kinds.NODES).get("", "n1").orElseThrow();
        assertThat(node.getStatus().getAllocatable().get("cpu").toString()).isEqualTo("3500m");
        assertThat(node.getMetadata().getResourceVersion()).isEqualTo("7");
        assertThat(tokens).containsOnly("Bearer secret-token");
        assertThat(client.resources(Kinds.NODES).get("", "missing")).isEmpty();
        ObjectList<Node> list = client.resources(Kinds.NODES).list("", ListOptions.ALL);
        assertThat(list.items()).hasSize(2);
        assertThat(list.resourceVersion()).isEqualTo("9");
    }

    @Test
    void errorsCarryTheStatusCodeAndReason() {
        assertThatThrownBy(() -> client.bind("ns", "p", "n1")).isInstanceOfSatisfying(ApiError.class, e -> {
            assertThat(e.code()).isEqualTo(409);
            assertThat(e.isConflict()).isTrue();
            assertThat(e.getMessage()).isEqualTo("pod p is already assigned to node \"n0\"");
        });
    }

    @Test
    void aWatchStreamsTypedEventsAndEndsWithTheServersError() {
        try (WatchStream<Node> watch =
                client.resources(Kinds.NODES).watch("", ListOptions.ALL.withResourceVersion("3"), true, 0)) {
            assertThat(watch.hasNext()).isTrue();
            assertThat(watch.next())
                    .isInstanceOfSatisfying(
                            WatchEvent.Modified.class,
                            e -> assertThat(((Node) e.object())
                                            .getStatus()
                                            .getCapacity()
                                            .get("memory")
                                            .toString())
                                    .isEqualTo("8Gi"));
            assertThat(watch.next()).isEqualTo(new WatchEvent.Bookmark<Node>("8"));
            assertThatThrownBy(watch::next)
                    .isInstanceOfSatisfying(
                            ApiError.class, e -> assertThat(e.isGone()).isTrue());
        }
    }

    private static final class StandIn extends ApiGrpc.ApiImplBase {
        private static Object node() {
            return Object.newBuilder()
                    .setData(ByteString.copyFromUtf8(NODE))
                    .setEncoding("application/json")
                    .setResourceVersion("7")
                    .build();
        }

        @Override
        public void get(GetRequest request, StreamObserver<Object> response) {
            if (!request.getRef().getName().equals("n1")) {
                response.onError(Status.NOT_FOUND
                        .withDescription("{\"kind\":\"Status\",\"code\":404,\"reason\":\"NotFound\","
                                + "\"message\":\"nodes \\\"" + request.getRef().getName() + "\\\" not found\"}")
                        .asRuntimeException());
                return;
            }
            response.onNext(node());
            response.onCompleted();
        }

        @Override
        public void list(ListRequest request, StreamObserver<ListResponse> response) {
            response.onNext(ListResponse.newBuilder()
                    .addItems(node())
                    .addItems(node())
                    .setResourceVersion("9")
                    .build());
            response.onCompleted();
        }

        @Override
        public void watch(WatchRequest request, StreamObserver<dev.capstan.model.grpc.WatchEvent> response) {
            response.onNext(dev.capstan.model.grpc.WatchEvent.newBuilder()
                    .setType(dev.capstan.model.grpc.WatchEvent.Type.MODIFIED)
                    .setObject(node())
                    .build());
            response.onNext(dev.capstan.model.grpc.WatchEvent.newBuilder()
                    .setType(dev.capstan.model.grpc.WatchEvent.Type.BOOKMARK)
                    .setObject(Object.newBuilder().setResourceVersion("8"))
                    .build());
            response.onNext(dev.capstan.model.grpc.WatchEvent.newBuilder()
                    .setType(dev.capstan.model.grpc.WatchEvent.Type.ERROR)
                    .setObject(Object.newBuilder().setData(ByteString.copyFromUtf8(GONE)))
                    .build());
            response.onCompleted();
        }

        @Override
        public void bind(BindRequest request, StreamObserver<BindResponse> response) {
            response.onError(Status.ABORTED
                    .withDescription("{\"kind\":\"Status\",\"code\":409,\"reason\":\"Conflict\","
                            + "\"message\":\"pod p is already assigned to node \\\"n0\\\"\"}")
                    .asRuntimeException());
        }
    }
}
