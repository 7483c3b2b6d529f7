package dev.capstan.client.events;

import dev.capstan.client.ApiClient;
import dev.capstan.client.ApiError;
import dev.capstan.client.DeleteOptions;
import dev.capstan.client.Kind;
import dev.capstan.client.ListOptions;
import dev.capstan.client.ObjectList;
import dev.capstan.client.PatchType;
import dev.capstan.client.ResourceClient;
import dev.capstan.client.ServedResource;
import dev.capstan.client.WatchStream;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Wraps an {@link ApiClient} (a FakeApiClient in tests) and injects failures: a {@link Fault} runs before each call
 * (throw to fail it, sleep to slow it) and another after a call that succeeded (throw to lose its answer: the write
 * happened but the caller does not know).
 */
public final class FaultyApiClient implements ApiClient {
    /** Decides about one call: {@code verb} is get, list, watch, create, update, updateStatus, patch, delete, … */
    @FunctionalInterface
    public interface Fault {
        Fault NONE = (verb, kind) -> {};

        void apply(String verb, Kind<?> kind);
    }

    private final ApiClient delegate;
    private volatile Fault before = Fault.NONE;
    private volatile Fault after = Fault.NONE;

    public FaultyApiClient(ApiClient delegate) {
        this.delegate = delegate;
    }

    public static ApiError unavailable() {
        return new ApiError(503, "ServiceUnavailable", "injected: the API is unavailable", null);
    }

    /** Every write fails with 503 before it reaches the API. */
    public static final Fault WRITES_FAIL = (verb, kind) -> {
        if (!verb.equals("get") && !verb.equals("list") && !verb.equals("watch")) {
            throw unavailable();
        }
    };

    /** Every call fails with 503. */
    public static final Fault ALL_FAIL = (verb, kind) -> {
        throw unavailable();
    };

    public void before(Fault fault) {
        this.before = fault;
    }

    public void after(Fault fault) {
        this.after = fault;
    }

    public void heal() {
        before = Fault.NONE;
        after = Fault.NONE;
    }

    @Override
    public <T extends HasMetadata> ResourceClient<T> resources(Kind<T> kind) {
        return new Faulty<>(delegate.resources(kind));
    }

    @Override
    public void bind(String namespace, String pod, String uid, String node) {
        call("bind", null, () -> {
            delegate.bind(namespace, pod, uid, node);
            return null;
        });
    }

    @Override
    public List<ServedResource> discover() {
        return call("discover", null, delegate::discover);
    }

    @Override
    public String fieldManager() {
        return delegate.fieldManager();
    }

    private <R> R call(String verb, Kind<?> kind, Supplier<R> call) {
        before.apply(verb, kind);
        R result = call.get();
        after.apply(verb, kind);
        return result;
    }

    private final class Faulty<T extends HasMetadata> implements ResourceClient<T> {
        private final ResourceClient<T> client;

        Faulty(ResourceClient<T> client) {
            this.client = client;
        }

        @Override
        public Kind<T> kind() {
            return client.kind();
        }

        @Override
        public Optional<T> get(String namespace, String name) {
            return call("get", kind(), () -> client.get(namespace, name));
        }

        @Override
        public ObjectList<T> list(String namespace, ListOptions options) {
            return call("list", kind(), () -> client.list(namespace, options));
        }

        @Override
        public WatchStream<T> watch(String namespace, ListOptions options, boolean bookmarks, int timeoutSeconds) {
            return call("watch", kind(), () -> client.watch(namespace, options, bookmarks, timeoutSeconds));
        }

        @Override
        public T create(T object) {
            return call("create", kind(), () -> client.create(object));
        }

        @Override
        public T update(T object) {
            return call("update", kind(), () -> client.update(object));
        }

        @Override
        public T updateStatus(T object) {
            return call("updateStatus", kind(), () -> client.updateStatus(object));
        }

        @Override
        public T finalizeNamespace(T namespace) {
            return call("finalize", kind(), () -> client.finalizeNamespace(namespace));
        }

        @Override
        public T patch(String namespace, String name, PatchType type, String patch) {
            return call("patch", kind(), () -> client.patch(namespace, name, type, patch));
        }

        @Override
        public T patchStatus(String namespace, String name, PatchType type, String patch) {
            return call("patchStatus", kind(), () -> client.patchStatus(namespace, name, type, patch));
        }

        @Override
        public Optional<T> delete(String namespace, String name, DeleteOptions options) {
            return call("delete", kind(), () -> client.delete(namespace, name, options));
        }
    }
}
