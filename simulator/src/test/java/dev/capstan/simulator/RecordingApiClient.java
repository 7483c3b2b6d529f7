package dev.capstan.simulator;

import dev.capstan.client.ApiClient;
import dev.capstan.client.DeleteOptions;
import dev.capstan.client.Kind;
import dev.capstan.client.ListOptions;
import dev.capstan.client.ObjectList;
import dev.capstan.client.PatchType;
import dev.capstan.client.ResourceClient;
import dev.capstan.client.ServedResource;
import dev.capstan.client.WatchStream;
import dev.capstan.client.fake.FakeApiClient;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/** A FakeApiClient that also records the options of every delete, which the fake's actions do not keep. */
final class RecordingApiClient implements ApiClient {
    record Delete(String resource, String namespace, String name, DeleteOptions options) {}

    final FakeApiClient fake;
    final List<Delete> deletes = new CopyOnWriteArrayList<>();

    RecordingApiClient(FakeApiClient fake) {
        this.fake = fake;
    }

    @Override
    public <T extends HasMetadata> ResourceClient<T> resources(Kind<T> kind) {
        ResourceClient<T> inner = fake.resources(kind);
        return new ResourceClient<>() {
            @Override
            public Kind<T> kind() {
                return kind;
            }

            @Override
            public Optional<T> get(String namespace, String name) {
                return inner.get(namespace, name);
            }

            @Override
            public ObjectList<T> list(String namespace, ListOptions options) {
                return inner.list(namespace, options);
            }

            @Override
            public WatchStream<T> watch(String namespace, ListOptions options, boolean bookmarks, int timeoutSeconds) {
                return inner.watch(namespace, options, bookmarks, timeoutSeconds);
            }

            @Override
            public T create(T object) {
                return inner.create(object);
            }

            @Override
            public T update(T object) {
                return inner.update(object);
            }

            @Override
            public T updateStatus(T object) {
                return inner.updateStatus(object);
            }

            @Override
            public T finalizeNamespace(T namespace) {
                return inner.finalizeNamespace(namespace);
            }

            @Override
            public T patch(String namespace, String name, PatchType type, String patch) {
                return inner.patch(namespace, name, type, patch);
            }

            @Override
            public T patchStatus(String namespace, String name, PatchType type, String patch) {
                return inner.patchStatus(namespace, name, type, patch);
            }

            @Override
            public Optional<T> delete(String namespace, String name, DeleteOptions options) {
                deletes.add(new Delete(kind.resource(), namespace, name, options));
                return inner.delete(namespace, name, options);
            }
        };
    }

    @Override
    public void bind(String namespace, String pod, String uid, String node) {
        fake.bind(namespace, pod, uid, node);
    }

    @Override
    public List<ServedResource> discover() {
        return fake.discover();
    }

    @Override
    public String fieldManager() {
        return "simulator-test";
    }
}
