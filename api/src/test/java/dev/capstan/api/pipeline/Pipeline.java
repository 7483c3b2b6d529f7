package dev.capstan.api.pipeline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.Json;
import dev.capstan.api.TestRegistry;
import dev.capstan.api.admission.Admission;
import dev.capstan.api.admission.NamespaceLifecycle;
import dev.capstan.api.admission.NamespaceLookup;
import dev.capstan.api.auth.Identities;
import dev.capstan.api.handlers.Body;
import dev.capstan.api.handlers.BodyDecoder;
import dev.capstan.api.handlers.ResourceHandlers;
import dev.capstan.api.handlers.Subresources;
import dev.capstan.api.http.OpenApi;
import dev.capstan.api.metrics.ApiMetrics;
import dev.capstan.api.openapi.OpenApiDocuments;
import dev.capstan.api.registry.GenericStore;
import dev.capstan.api.registry.ResourceRegistry;
import dev.capstan.api.registry.ResourceType;
import dev.capstan.api.request.FieldValidation;
import dev.capstan.api.request.RequestContext;
import dev.capstan.api.request.RequestInfo;
import dev.capstan.api.request.WriteOptions;
import dev.capstan.api.resources.Lister;
import dev.capstan.api.storage.ObjectStorage;
import dev.capstan.api.storage.StoredObject;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Optional;

/**
 * The API server's request path without the network: built-in strategies, NamespaceLifecycle, the generic store
 * and the handlers over an in-memory store.
 */
final class Pipeline {
    private static final OpenApiDocuments OPEN_API = OpenApi.documents(TestRegistry.builtIn());

    final MemoryStore store = new MemoryStore();
    final ResourceRegistry registry = TestRegistry.builtIn(store);
    final ObjectStorage storage = new ObjectStorage(store, new ApiMetrics(new SimpleMeterRegistry()));
    final GenericStore generic;
    final ResourceHandlers handlers;
    final Subresources subresources;

    Pipeline() {
        this(GenericStore.CachedState.NONE);
    }

    /** With {@code cached} as the watch cache updates start from. */
    Pipeline(GenericStore.CachedState cached) {
        ResourceType namespaces = type("", "v1", "namespaces");
        NamespaceLookup lookup = new NamespaceLookup() {
            @Override
            public Optional<ObjectNode> cached(String name) {
                return Optional.empty();
            }

            @Override
            public Optional<ObjectNode> live(String name) {
                return storage.get(namespaces, null, name).map(StoredObject::object);
            }
        };
        generic = new GenericStore(
                storage,
                new Admission(java.util.List.of(new NamespaceLifecycle(namespaces, lookup))),
                Clock.systemUTC(),
                cached);
        var decoder = new BodyDecoder(OPEN_API);
        handlers = new ResourceHandlers(generic, new Lister(storage, null), decoder, OPEN_API);
        subresources = new Subresources(generic, decoder, OPEN_API, Clock.systemUTC());
    }

    ResourceType type(String group, String version, String plural) {
        return registry.find(group, version, plural).orElseThrow();
    }

    static RequestContext ctx() {
        return ctx(false);
    }

    static RequestContext ctx(boolean dryRun) {
        return RequestContext.internal(Identities.API_SERVER, RequestInfo.nonResource("/", "test"))
                .withOptions(new WriteOptions(dryRun, "test", FieldValidation.STRICT));
    }

    static Body body(String json) {
        return Body.json(json.getBytes(StandardCharsets.UTF_8));
    }

    static ObjectNode json(String json) {
        return Json.parseObject(json.getBytes(StandardCharsets.UTF_8));
    }

    /** Creates a namespace and answers its name. */
    String namespace(String name) {
        handlers.create(ctx(), type("", "v1", "namespaces"), null, body("{\"metadata\":{\"name\":\"" + name + "\"}}"));
        return name;
    }

    ObjectNode create(String group, String version, String plural, String ns, String json) {
        return handlers.create(ctx(), type(group, version, plural), ns, body(json));
    }

    ObjectNode get(String group, String version, String plural, String ns, String name) {
        return handlers.get(type(group, version, plural), ns, name);
    }
}
