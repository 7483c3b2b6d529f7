package dev.capstan.client;

import com.fasterxml.jackson.databind.ObjectReader;
import dev.capstan.model.grpc.BindRequest;
import dev.capstan.model.grpc.CreateRequest;
import dev.capstan.model.grpc.DeleteRequest;
import dev.capstan.model.grpc.DiscoverRequest;
import dev.capstan.model.grpc.GetRequest;
import dev.capstan.model.grpc.ListRequest;
import dev.capstan.model.grpc.ListResponse;
import dev.capstan.model.grpc.Object;
import dev.capstan.model.grpc.PatchRequest;
import dev.capstan.model.grpc.UpdateRequest;
import dev.capstan.model.grpc.WatchRequest;
import dev.capstan.model.grpc.WriteOptions;
import dev.capstan.model.json.KubeJson;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.grpc.Context;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/** {@link ApiClient} over the internal gRPC API: objects travel as their Kubernetes JSON. */
public final class GrpcApiClient implements ApiClient {
    private static final String JSON = "application/json";

    private final ApiConnection connection;
    private final String fieldManager;
    private final Map<Kind<?>, ResourceClient<?>> clients = new ConcurrentHashMap<>();

    public GrpcApiClient(ApiConnection connection, String fieldManager) {
        this.connection = connection;
        this.fieldManager = fieldManager;
    }

    @Override
    public String fieldManager() {
        return fieldManager;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T extends HasMetadata> ResourceClient<T> resources(Kind<T> kind) {
        return (ResourceClient<T>) clients.computeIfAbsent(kind, k -> new Typed<>(kind));
    }

    @Override
    public void bind(String namespace, String pod, String uid, String node) {
        call(() -> connection
                .blocking()
                .bind(BindRequest.newBuilder()
                        .setNamespace(namespace)
                        .setPod(pod)
                        .setUid(uid)
                        .setNode(node)
                        .setOptions(writeOptions())
                        .build()));
    }

    @Override
    public List<ServedResource> discover() {
        var response = call(() -> connection.blocking().discover(DiscoverRequest.getDefaultInstance()));
        List<ServedResource> out = new ArrayList<>();
        for (var r : response.getResourcesList()) {
            out.add(new ServedResource(
                    r.getGroup(),
                    r.getVersion(),
                    r.getResource(),
                    r.getKind(),
                    r.getNamespaced(),
                    List.copyOf(r.getVerbsList()),
                    r.getStorageVersion()));
        }
        return out;
    }

    private WriteOptions writeOptions() {
        return WriteOptions.newBuilder().setFieldManager(fieldManager).build();
    }

    private static <R> R call(Supplier<R> call) {
        try {
            return call.get();
        } catch (StatusRuntimeException e) {
            throw ApiError.of(e);
        }
    }

    private final class Typed<T extends HasMetadata> implements ResourceClient<T> {
        private final Kind<T> kind;
        private final ObjectReader reader;

        Typed(Kind<T> kind) {
            this.kind = kind;
            this.reader = KubeJson.typedReader(kind.type());
        }

        @Override
        public Kind<T> kind() {
            return kind;
        }

        T decode(Object object) {
            try {
                return reader.readValue(object.getData().toByteArray());
            } catch (IOException e) {
                throw new ApiError(500, "InternalError", "cannot decode a " + kind.kind() + ": " + e.getMessage(), e);
            }
        }

        Object encode(T object) {
            if (object.getApiVersion() == null) {
                object.setApiVersion(kind.apiVersion());
            }
            try {
                return Object.newBuilder()
                        .setData(com.google.protobuf.ByteString.copyFrom(KubeJson.MAPPER.writeValueAsBytes(object)))
                        .setEncoding(JSON)
                        .build();
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot encode a " + kind.kind() + ": " + e.getMessage(), e);
            }
        }

        @Override
        public Optional<T> get(String namespace, String name) {
            try {
                return Optional.of(decode(connection
                        .blocking()
                        .get(GetRequest.newBuilder()
                                .setRef(kind.ref(namespace, name))
                                .build())));
            } catch (StatusRuntimeException e) {
                ApiError error = ApiError.of(e);
                if (error.isNotFound()) {
                    return Optional.empty();
                }
                throw error;
            }
        }

        @Override
        public ObjectList<T> list(String namespace, ListOptions options) {
            ListResponse response = call(() -> connection
                    .blocking()
                    .list(ListRequest.newBuilder()
                            .setRef(kind.ref(namespace, ""))
                            .setLabelSelector(options.labelSelector())
                            .setFieldSelector(options.fieldSelector())
                            .setLimit(options.limit())
                            .setContinueToken(options.continueToken())
                            .setResourceVersion(options.resourceVersion())
                            .build()));
            List<T> items = new ArrayList<>(response.getItemsCount());
            for (Object item : response.getItemsList()) {
                items.add(decode(item));
            }
            return new ObjectList<>(items, response.getResourceVersion(), response.getContinueToken());
        }

        @Override
        public WatchStream<T> watch(String namespace, ListOptions options, boolean bookmarks, int timeoutSeconds) {
            WatchRequest request = WatchRequest.newBuilder()
                    .setRef(kind.ref(namespace, ""))
                    .setLabelSelector(options.labelSelector())
                    .setFieldSelector(options.fieldSelector())
                    .setResourceVersion(options.resourceVersion())
                    .setBookmarks(bookmarks)
                    .setTimeoutSeconds(timeoutSeconds)
                    .build();
            Context.CancellableContext context = Context.current().withCancellation();
            Context previous = context.attach();
            try {
                return new Stream(connection.blocking().watch(request), context);
            } catch (StatusRuntimeException e) {
                context.cancel(e);
                throw ApiError.of(e);
            } finally {
                context.detach(previous);
            }
        }

        @Override
        public T create(T object) {
            return decode(call(() -> connection
                    .blocking()
                    .create(CreateRequest.newBuilder()
                            .setRef(kind.ref(object.getMetadata().getNamespace(), ""))
                            .setObject(encode(object))
                            .setOptions(writeOptions())
                            .build())));
        }

        @Override
        public T update(T object) {
            UpdateRequest request = updateRequest(object);
            return decode(call(() -> connection.blocking().update(request)));
        }

        @Override
        public T updateStatus(T object) {
            UpdateRequest request = updateRequest(object);
            return decode(call(() -> connection.blocking().updateStatus(request)));
        }

        @Override
        public T finalizeNamespace(T namespace) {
            UpdateRequest request = updateRequest(namespace).toBuilder()
                    .setSubresource("finalize")
                    .build();
            return decode(call(() -> connection.blocking().update(request)));
        }

        private UpdateRequest updateRequest(T object) {
            return UpdateRequest.newBuilder()
                    .setRef(kind.ref(
                            object.getMetadata().getNamespace(),
                            object.getMetadata().getName()))
                    .setObject(encode(object))
                    .setOptions(writeOptions())
                    .build();
        }

        @Override
        public T patch(String namespace, String name, PatchType type, String patch) {
            return patch(namespace, name, "", type, patch);
        }

        @Override
        public T patchStatus(String namespace, String name, PatchType type, String patch) {
            return patch(namespace, name, "status", type, patch);
        }

        private T patch(String namespace, String name, String subresource, PatchType type, String patch) {
            return decode(call(() -> connection
                    .blocking()
                    .patch(PatchRequest.newBuilder()
                            .setRef(kind.ref(namespace, name))
                            .setSubresource(subresource)
                            .setPatchType(type.contentType())
                            .setPatch(com.google.protobuf.ByteString.copyFromUtf8(patch))
                            .setOptions(writeOptions())
                            .build())));
        }

        @Override
        public Optional<T> delete(String namespace, String name, DeleteOptions options) {
            DeleteRequest.Builder request = DeleteRequest.newBuilder()
                    .setRef(kind.ref(namespace, name))
                    .setPropagationPolicy(options.propagationPolicy())
                    .setUid(options.uid())
                    .setResourceVersion(options.resourceVersion())
                    .setDryRun(options.dryRun());
            if (options.gracePeriodSeconds() != null) {
                request.setGracePeriodSeconds(options.gracePeriodSeconds());
            }
            Object answer = call(() -> connection.blocking().delete(request.build()));
            // A Success Status (kind Status) names an object that is gone; anything else is the object as it stays.
            if (answer.getData().isEmpty()
                    || KubeJson.readTree(answer.getData().toByteArray())
                            .path("kind")
                            .asText()
                            .equals("Status")) {
                return Optional.empty();
            }
            return Optional.of(decode(answer));
        }

        private final class Stream implements WatchStream<T> {
            private final Iterator<dev.capstan.model.grpc.WatchEvent> events;
            private final Context.CancellableContext context;
            private volatile boolean closed;

            Stream(Iterator<dev.capstan.model.grpc.WatchEvent> events, Context.CancellableContext context) {
                this.events = events;
                this.context = context;
            }

            @Override
            public boolean hasNext() {
                if (closed) {
                    return false;
                }
                try {
                    return events.hasNext();
                } catch (StatusRuntimeException e) {
                    if (closed) {
                        return false;
                    }
                    throw ApiError.of(e);
                }
            }

            @Override
            public WatchEvent<T> next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                dev.capstan.model.grpc.WatchEvent event = events.next();
                Object object = event.getObject();
                String rv = object.getResourceVersion();
                return switch (event.getType()) {
                    case ADDED -> new WatchEvent.Added<>(decode(object), rv);
                    case MODIFIED -> new WatchEvent.Modified<>(decode(object), rv);
                    case DELETED -> new WatchEvent.Deleted<>(decode(object), rv);
                    case BOOKMARK -> new WatchEvent.Bookmark<>(rv);
                    case ERROR -> throw errorOf(object);
                    case TYPE_UNSPECIFIED, UNRECOGNIZED ->
                        throw new ApiError(500, "InternalError", "unknown watch event " + event.getType(), null);
                };
            }

            private ApiError errorOf(Object status) {
                var json = KubeJson.readTree(status.getData().toByteArray());
                return new ApiError(
                        json.path("code").asInt(500),
                        json.path("reason").asText(""),
                        json.path("message").asText("watch failed"),
                        null);
            }

            @Override
            public void close() {
                closed = true;
                context.cancel(null);
            }
        }
    }
}
