package dev.capstan.api.grpc;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import dev.capstan.api.ApiException;
import dev.capstan.api.Json;
import dev.capstan.api.handlers.Body;
import dev.capstan.api.http.ApiServer;
import dev.capstan.api.registry.ResourceType;
import dev.capstan.api.request.DeleteOptions;
import dev.capstan.api.request.FieldValidation;
import dev.capstan.api.request.RequestContext;
import dev.capstan.api.request.RequestInfo;
import dev.capstan.api.request.UserInfo;
import dev.capstan.api.request.Verb;
import dev.capstan.api.resources.ListOptions;
import dev.capstan.api.resources.ObjectPage;
import dev.capstan.api.watch.WatchRequest;
import dev.capstan.model.grpc.ApiGrpc;
import dev.capstan.model.grpc.BindRequest;
import dev.capstan.model.grpc.BindResponse;
import dev.capstan.model.grpc.CreateRequest;
import dev.capstan.model.grpc.DeleteRequest;
import dev.capstan.model.grpc.DiscoverRequest;
import dev.capstan.model.grpc.DiscoverResponse;
import dev.capstan.model.grpc.GetRequest;
import dev.capstan.model.grpc.ListRequest;
import dev.capstan.model.grpc.ListResponse;
import dev.capstan.model.grpc.Object;
import dev.capstan.model.grpc.PatchRequest;
import dev.capstan.model.grpc.Resource;
import dev.capstan.model.grpc.ResourceRef;
import dev.capstan.model.grpc.UpdateRequest;
import dev.capstan.model.grpc.WatchEvent;
import dev.capstan.model.grpc.WriteOptions;
import io.grpc.Context;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import org.jboss.logging.Logger;

/**
 * capstan.v1.Api: every call goes through the same pipeline as its REST twin — the user the interceptor
 * authenticated, authorization of the verb on the resource, then the same handlers — and so gives the same
 * answers, with Kubernetes Status errors carried in gRPC status descriptions.
 *
 * <p>Each call runs on a virtual thread of its own, started here rather than by Quarkus's {@code @RunOnVirtualThread}:
 * that path defers the call's start and can see the half-close before the request, which fails a unary call now and
 * then with INTERNAL "Half-closed without a request" or leaves it unanswered (quarkusio/quarkus#48940, fixed after
 * the releases available here). Started from the service method, the call already has its request.
 */
@GrpcService
public class GrpcApiService extends ApiGrpc.ApiImplBase {
    private static final Logger LOG = Logger.getLogger(GrpcApiService.class);
    private static final String JSON = "application/json";
    private static final Executor CALLS = Executors.newVirtualThreadPerTaskExecutor();

    private final ApiServer server;

    GrpcApiService(ApiServer server) {
        this.server = server;
    }

    @Override
    public void get(GetRequest request, StreamObserver<Object> response) {
        unary(
                response,
                request.getRef(),
                Verb.GET,
                "",
                WriteOptions.getDefaultInstance(),
                (type, ctx) -> object(api().handlers()
                        .get(type, namespace(request.getRef()), request.getRef().getName())));
    }

    @Override
    public void list(ListRequest request, StreamObserver<ListResponse> response) {
        unary(response, request.getRef(), Verb.LIST, "", WriteOptions.getDefaultInstance(), (type, ctx) -> {
            var options = ListOptions.parse(
                    type,
                    request.getLabelSelector(),
                    request.getFieldSelector(),
                    request.getLimit(),
                    request.getContinueToken(),
                    request.getResourceVersion(),
                    request.getExact() ? "Exact" : "");
            ObjectPage page = api().handlers().list(type, namespace(request.getRef()), options);
            ListResponse.Builder out = ListResponse.newBuilder()
                    .setResourceVersion(Long.toString(page.revision()))
                    .setContinueToken(page.continueToken());
            page.items().forEach(item -> out.addItems(object(item.json(), Long.toString(item.revision()))));
            return out.build();
        });
    }

    @Override
    public void watch(dev.capstan.model.grpc.WatchRequest request, StreamObserver<WatchEvent> response) {
        offload(() -> runWatch(request, (ServerCallStreamObserver<WatchEvent>) response));
    }

    private void runWatch(dev.capstan.model.grpc.WatchRequest request, ServerCallStreamObserver<WatchEvent> stream) {
        try {
            ResourceType type = type(request.getRef());
            authorize(type, request.getRef(), Verb.WATCH, "", WriteOptions.getDefaultInstance());
            var options = ListOptions.parse(
                    type,
                    request.getLabelSelector(),
                    request.getFieldSelector(),
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
        } catch (RuntimeException e) {
            stream.onError(unexpected("Watch", e));
        }
    }

    @Override
    public void create(CreateRequest request, StreamObserver<Object> response) {
        unary(
                response,
                request.getRef(),
                Verb.CREATE,
                "",
                request.getOptions(),
                (type, ctx) -> object(
                        api().handlers().create(ctx, type, namespace(request.getRef()), body(request.getObject()))));
    }

    @Override
    public void update(UpdateRequest request, StreamObserver<Object> response) {
        if (request.getSubresource().equals("finalize")) {
            ResourceRef ref = request.getRef();
            unary(
                    response,
                    ref,
                    Verb.UPDATE,
                    "finalize",
                    request.getOptions(),
                    (type, ctx) -> object(api().subresources()
                            .finalizeNamespace(ctx, type, ref.getName(), body(request.getObject()))));
            return;
        }
        if (!request.getSubresource().isEmpty()) {
            response.onError(GrpcErrors.of(new ApiException(
                    404,
                    "NotFound",
                    "Update serves the object and its finalize subresource, not " + request.getSubresource(),
                    null)));
            return;
        }
        update(request, response, "");
    }

    @Override
    public void updateStatus(UpdateRequest request, StreamObserver<Object> response) {
        update(request, response, "status");
    }

    private void update(UpdateRequest request, StreamObserver<Object> response, String subresource) {
        ResourceRef ref = request.getRef();
        unary(
                response,
                ref,
                Verb.UPDATE,
                subresource,
                request.getOptions(),
                (type, ctx) -> object(api().handlers()
                        .update(ctx, type, namespace(ref), ref.getName(), subresource, body(request.getObject()))
                        .object()));
    }

    @Override
    public void patch(PatchRequest request, StreamObserver<Object> response) {
        ResourceRef ref = request.getRef();
        unary(
                response,
                ref,
                Verb.PATCH,
                request.getSubresource(),
                request.getOptions(),
                (type, ctx) -> object(api().handlers()
                        .patch(
                                ctx,
                                type,
                                namespace(ref),
                                ref.getName(),
                                request.getSubresource(),
                                request.getPatchType(),
                                request.getPatch().toByteArray())));
    }

    @Override
    public void delete(DeleteRequest request, StreamObserver<Object> response) {
        ResourceRef ref = request.getRef();
        var options = new DeleteOptions(
                request.hasGracePeriodSeconds() ? request.getGracePeriodSeconds() : null,
                request.getPropagationPolicy().isEmpty() ? null : request.getPropagationPolicy(),
                null,
                request.getDryRun() ? List.of("All") : List.of(),
                request.getUid().isEmpty() ? null : request.getUid(),
                request.getResourceVersion().isEmpty() ? null : request.getResourceVersion());
        WriteOptions write =
                WriteOptions.newBuilder().setDryRun(request.getDryRun()).build();
        unary(
                response,
                ref,
                Verb.DELETE,
                "",
                write,
                (type, ctx) -> object(api().handlers()
                        .delete(ctx, type, namespace(ref), ref.getName(), options)
                        .body()));
    }

    @Override
    public void bind(BindRequest request, StreamObserver<BindResponse> response) {
        ResourceRef ref = ResourceRef.newBuilder()
                .setVersion("v1")
                .setResource("pods")
                .setNamespace(request.getNamespace())
                .setName(request.getPod())
                .build();
        unary(response, ref, Verb.CREATE, "binding", request.getOptions(), (pods, ctx) -> {
            ObjectNode binding = Json.object();
            ObjectNode meta = binding.putObject("metadata")
                    .put("name", request.getPod())
                    .put("namespace", request.getNamespace());
            if (!request.getUid().isEmpty()) {
                meta.put("uid", request.getUid());
            }
            binding.putObject("target").put("name", request.getNode());
            api().subresources()
                    .bind(ctx, pods, request.getNamespace(), request.getPod(), Body.json(Json.bytes(binding)));
            return BindResponse.getDefaultInstance();
        });
    }

    @Override
    public void discover(DiscoverRequest request, StreamObserver<DiscoverResponse> response) {
        offload(() -> {
            try {
                DiscoverResponse.Builder answer = DiscoverResponse.newBuilder();
                for (ResourceType type : api().registry().all()) {
                    answer.addResources(Resource.newBuilder()
                            .setGroup(type.group())
                            .setVersion(type.version())
                            .setResource(type.plural())
                            .setKind(type.kind())
                            .setNamespaced(type.namespaced())
                            .addAllVerbs(type.verbs())
                            .setStorageVersion(type.isStorageVersion()));
                }
                response.onNext(answer.build());
                response.onCompleted();
            } catch (ApiException e) {
                response.onError(GrpcErrors.of(e));
            } catch (RuntimeException e) {
                response.onError(unexpected("Discover", e));
            }
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

    /** Authorizes the call as the REST request it stands for, for the user the interceptor authenticated. */
    private RequestContext authorize(
            ResourceType type, ResourceRef ref, Verb verb, String subresource, WriteOptions options) {
        UserInfo user = TokenInterceptor.USER.get();
        if (user == null) {
            throw ApiException.unauthorized();
        }
        String name = ref.getName().isEmpty() ? null : ref.getName();
        RequestInfo info = RequestInfo.resource(
                "", verb, type.group(), type.version(), type.plural(), subresource, namespace(ref), name);
        var write = new dev.capstan.api.request.WriteOptions(
                options.getDryRun(), options.getFieldManager(), FieldValidation.WARN);
        return api().pipeline().authorize(user, info, write);
    }

    private static String namespace(ResourceRef ref) {
        return ref.getNamespace().isEmpty() ? null : ref.getNamespace();
    }

    private static Body body(Object object) {
        if (!object.getEncoding().isEmpty() && !object.getEncoding().equals(JSON)) {
            throw ApiException.badRequest("unsupported object encoding " + object.getEncoding() + "; use " + JSON);
        }
        return Body.json(object.getData().toByteArray());
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

    /** One unary call: resolve the resource, authorize, run, answer (or answer the Status as a gRPC error). */
    private <T> void unary(
            StreamObserver<T> response,
            ResourceRef ref,
            Verb verb,
            String subresource,
            WriteOptions options,
            Call<T> call) {
        offload(() -> {
            try {
                ResourceType type = type(ref);
                if (!subresource.isEmpty() && !type.subresources().contains(subresource)) {
                    throw ApiException.notFound(type, ref.getName() + "/" + subresource);
                }
                RequestContext ctx = authorize(type, ref, verb, subresource, options);
                response.onNext(call.run(type, ctx));
                response.onCompleted();
            } catch (ApiException e) {
                response.onError(GrpcErrors.of(e));
            } catch (RuntimeException e) {
                response.onError(unexpected(verb.name(), e));
            }
        });
    }

    /** Runs a call on a virtual thread of its own, with the gRPC context (the authenticated user) it came with. */
    private static void offload(Runnable call) {
        CALLS.execute(Context.current().wrap(call));
    }

    /**
     * An error nobody expected, answered as REST answers it (500 InternalError) and logged: left to the framework, a
     * call run on a virtual thread would never be answered and its client would wait out its deadline.
     */
    private static io.grpc.StatusRuntimeException unexpected(String call, RuntimeException e) {
        LOG.errorf(e, "gRPC %s failed", call);
        return GrpcErrors.of(ApiException.internal(e));
    }

    @FunctionalInterface
    private interface Call<T> {
        T run(ResourceType type, RequestContext ctx);
    }
}
