package dev.capstan.api.grpc;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import dev.capstan.api.ApiException;
import dev.capstan.api.Json;
import dev.capstan.api.http.ApiServer;
import dev.capstan.api.registry.ResourceType;
import dev.capstan.api.resources.ListOptions;
import dev.capstan.api.resources.ObjectPage;
import dev.capstan.api.selection.FieldSelector;
import dev.capstan.api.selection.LabelSelector;
import dev.capstan.api.watch.WatchRequest;
import dev.capstan.model.grpc.ApiGrpc;
import dev.capstan.model.grpc.BindRequest;
import dev.capstan.model.grpc.BindResponse;
import dev.capstan.model.grpc.CreateRequest;
import dev.capstan.model.grpc.DeleteRequest;
import dev.capstan.model.grpc.GetRequest;
import dev.capstan.model.grpc.ListRequest;
import dev.capstan.model.grpc.ListResponse;
import dev.capstan.model.grpc.Object;
import dev.capstan.model.grpc.ResourceRef;
import dev.capstan.model.grpc.UpdateRequest;
import dev.capstan.model.grpc.WatchEvent;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.RunOnVirtualThread;
import java.time.Duration;
import java.util.function.Supplier;

/** capstan.v1.Api on the API server's own semantics; every call runs on a virtual thread. */
@GrpcService
public class GrpcApiService extends ApiGrpc.ApiImplBase {
    private static final String JSON = "application/json";

    private final ApiServer server;

    GrpcApiService(ApiServer server) {
        this.server = server;
    }

    @Override
    @RunOnVirtualThread
    public void get(GetRequest request, StreamObserver<Object> response) {
        unary(response, () -> {
            ResourceType type = type(request.getRef());
            return object(api().resources()
                    .get(type, namespace(request.getRef()), request.getRef().getName()));
        });
    }

    @Override
    @RunOnVirtualThread
    public void list(ListRequest request, StreamObserver<ListResponse> response) {
        unary(response, () -> {
            ResourceType type = type(request.getRef());
            String rv = request.getResourceVersion();
            String match = request.getExact() ? "Exact" : "";
            var options = new ListOptions(
                    LabelSelector.parse(request.getLabelSelector()),
                    FieldSelector.parse(request.getFieldSelector(), type),
                    request.getLimit(),
                    request.getContinueToken(),
                    rv,
                    match);
            ObjectPage page = api().lister().page(type, namespace(request.getRef()), options);
            ListResponse.Builder out = ListResponse.newBuilder()
                    .setResourceVersion(Long.toString(page.revision()))
                    .setContinueToken(page.continueToken());
            page.items().forEach(item -> out.addItems(object(item.json(), Long.toString(item.revision()))));
            return out.build();
        });
    }

    @Override
    @RunOnVirtualThread
    public void watch(dev.capstan.model.grpc.WatchRequest request, StreamObserver<WatchEvent> response) {
        var stream = (ServerCallStreamObserver<WatchEvent>) response;
        try {
            ResourceType type = type(request.getRef());
            var options = new ListOptions(
                    LabelSelector.parse(request.getLabelSelector()),
                    FieldSelector.parse(request.getFieldSelector(), type),
                    0,
                    "",
                    request.getResourceVersion(),
                    "");
            Duration max = api().maxWatch();
            Duration timeout = request.getTimeoutSeconds() > 0
                    ? Duration.ofSeconds(Math.min(max.toSeconds(), request.getTimeoutSeconds()))
                    : max;
            var watch = new WatchRequest(
                    type, namespace(request.getRef()), options, request.getBookmarks(), false, timeout);
            api().watcher()
                    .run(
                            watch,
                            (eventType, object) -> {
                                if (stream.isCancelled()) {
                                    return false;
                                }
                                stream.onNext(WatchEvent.newBuilder()
                                        .setType(WatchEvent.Type.valueOf(eventType))
                                        .setObject(object(object.json(), object.resourceVersion()))
                                        .build());
                                return true;
                            },
                            stream::isCancelled);
            if (!stream.isCancelled()) {
                stream.onCompleted();
            }
        } catch (ApiException e) {
            stream.onError(GrpcErrors.of(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stream.onError(Status.CANCELLED.asRuntimeException());
        }
    }

    @Override
    @RunOnVirtualThread
    public void create(CreateRequest request, StreamObserver<Object> response) {
        unary(response, () -> {
            ResourceType type = type(request.getRef());
            return object(
                    api().resources().create(type, namespace(request.getRef()), body(request.getObject()), false));
        });
    }

    @Override
    @RunOnVirtualThread
    public void update(UpdateRequest request, StreamObserver<Object> response) {
        unary(response, () -> {
            ResourceType type = type(request.getRef());
            return object(api().resources()
                    .update(type, namespace(request.getRef()), request.getRef().getName(), body(request.getObject())));
        });
    }

    @Override
    @RunOnVirtualThread
    public void updateStatus(UpdateRequest request, StreamObserver<Object> response) {
        unary(response, () -> {
            ResourceType type = type(request.getRef());
            return object(api().resources()
                    .updateStatus(
                            type, namespace(request.getRef()), request.getRef().getName(), body(request.getObject())));
        });
    }

    @Override
    @RunOnVirtualThread
    public void delete(DeleteRequest request, StreamObserver<Object> response) {
        unary(response, () -> {
            ResourceType type = type(request.getRef());
            ObjectNode options = null;
            if (!request.getResourceVersion().isEmpty()) {
                options = Json.object();
                options.putObject("preconditions").put("resourceVersion", request.getResourceVersion());
            }
            return object(api().resources()
                    .delete(type, namespace(request.getRef()), request.getRef().getName(), options, false));
        });
    }

    @Override
    @RunOnVirtualThread
    public void bind(BindRequest request, StreamObserver<BindResponse> response) {
        unary(response, () -> {
            ResourceType pods = api().registry().find("", "v1", "pods").orElseThrow();
            ObjectNode binding = Json.object();
            binding.putObject("target").put("kind", "Node").put("name", request.getNode());
            api().subresources().bind(pods, request.getNamespace(), request.getPod(), binding);
            return BindResponse.getDefaultInstance();
        });
    }

    private ApiServer.Components api() {
        ApiServer.Components components = server.components();
        if (components == null) {
            throw ApiException.unavailable("the API server is starting");
        }
        return components;
    }

    private ResourceType type(ResourceRef ref) {
        String version = ref.getVersion().isEmpty() ? "v1" : ref.getVersion();
        return api().registry()
                .find(ref.getGroup(), version, ref.getResource())
                .orElseThrow(() -> new ApiException(
                        404,
                        "NotFound",
                        "the server could not find the requested resource " + ref.getGroup() + "/" + version + "/"
                                + ref.getResource(),
                        null));
    }

    private static String namespace(ResourceRef ref) {
        return ref.getNamespace().isEmpty() ? null : ref.getNamespace();
    }

    private static ObjectNode body(Object object) {
        if (!object.getEncoding().isEmpty() && !object.getEncoding().equals(JSON)) {
            throw ApiException.badRequest("unsupported object encoding " + object.getEncoding() + "; use " + JSON);
        }
        return Json.parseObject(object.getData().toByteArray());
    }

    /** An object whose served JSON is at hand: sent as it is, without decoding it. */
    private static Object object(byte[] json, String resourceVersion) {
        return Object.newBuilder()
                .setData(ByteString.copyFrom(json))
                .setEncoding(JSON)
                .setResourceVersion(resourceVersion)
                .build();
    }

    private static Object object(ObjectNode node) {
        return Object.newBuilder()
                .setData(ByteString.copyFrom(Json.bytes(node)))
                .setEncoding(JSON)
                .setResourceVersion(
                        node.path("metadata").path("resourceVersion").asText(""))
                .build();
    }

    private static <T> void unary(StreamObserver<T> response, Supplier<T> call) {
        try {
            response.onNext(call.get());
            response.onCompleted();
        } catch (ApiException e) {
            response.onError(GrpcErrors.of(e));
        }
    }
}
