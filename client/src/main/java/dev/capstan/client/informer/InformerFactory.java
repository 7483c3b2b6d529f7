package dev.capstan.client.informer;

import dev.capstan.client.ApiClient;
import dev.capstan.client.Kind;
import dev.capstan.client.ListOptions;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The one informer per kind (and selector) of a process, shared by all its loops (client-go's
 * SharedInformerFactory). Informers asked for after {@link #start()} start at once.
 */
public final class InformerFactory implements AutoCloseable {
    private final ApiClient client;
    private final Duration resyncPeriod;
    private final Map<String, SharedInformer<?>> informers = new LinkedHashMap<>();
    private boolean started;

    public InformerFactory(ApiClient client, Duration resyncPeriod) {
        this.client = client;
        this.resyncPeriod = resyncPeriod;
    }

    public ApiClient client() {
        return client;
    }

    /** The informer of every object of {@code kind}. */
    public <T extends HasMetadata> SharedInformer<T> informer(Kind<T> kind) {
        return informer(kind, "", ListOptions.ALL);
    }

    /** The informer of the objects of {@code kind} in {@code namespace} ("" for all) that {@code selector} selects. */
    @SuppressWarnings("unchecked")
    public synchronized <T extends HasMetadata> SharedInformer<T> informer(
            Kind<T> kind, String namespace, ListOptions selector) {
        String id = id(kind.groupResource(), namespace, selector);
        SharedInformer<?> existing = informers.get(id);
        if (existing != null) {
            if (existing.type() != kind.type()) {
                // One informer per resource: a second one decoding to another class would double the watch.
                throw new IllegalStateException("the informer of " + kind.groupResource() + " decodes to "
                        + existing.type().getName() + ", not " + kind.type().getName()
                        + "; use the same Kind everywhere (Kinds)");
            }
            return (SharedInformer<T>) existing;
        }
        var informer = new SharedInformer<>(client.resources(kind), namespace, selector, resyncPeriod);
        informers.put(id, informer);
        if (started) {
            informer.start();
        }
        return informer;
    }

    /**
     * The type the informer of every object of {@code groupResource} decodes to, when some loop asked for one: a loop
     * that would watch the same resource must use that type.
     */
    public synchronized Optional<Class<?>> typeOf(String groupResource) {
        SharedInformer<?> existing = informers.get(id(groupResource, "", ListOptions.ALL));
        return existing == null ? Optional.empty() : Optional.of(existing.type());
    }

    private static String id(String groupResource, String namespace, ListOptions selector) {
        return groupResource + "|" + namespace + "|" + selector.labelSelector() + "|" + selector.fieldSelector();
    }

    public synchronized void start() {
        started = true;
        informers.values().forEach(SharedInformer::start);
    }

    public synchronized boolean hasSynced() {
        return informers.values().stream().allMatch(SharedInformer::hasSynced);
    }

    /** Waits until every informer has synced; false when {@code timeout} passed first. */
    public boolean waitForSync(Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        List<SharedInformer<?>> all;
        synchronized (this) {
            all = new ArrayList<>(informers.values());
        }
        for (SharedInformer<?> informer : all) {
            Duration left = Duration.between(Instant.now(), deadline);
            if (left.isNegative() || !informer.waitForSync(left)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public synchronized void close() {
        informers.values().forEach(SharedInformer::close);
    }
}
