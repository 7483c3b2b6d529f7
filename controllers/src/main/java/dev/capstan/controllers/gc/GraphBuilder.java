package dev.capstan.controllers.gc;

import dev.capstan.client.Kind;
import dev.capstan.client.Kinds;
import dev.capstan.client.MetadataOnly;
import dev.capstan.client.ServedResource;
import dev.capstan.client.informer.InformerFactory;
import dev.capstan.client.informer.ResourceEventHandler;
import dev.capstan.client.informer.SharedInformer;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Upstream's GraphBuilder monitors: one informer per served kind that can be listed, watched and deleted (its
 * storage version only, so each object is seen once), feeding the {@link Graph}; and the mapping from an
 * ownerReference's apiVersion and kind to a resource to GET, PATCH and DELETE it (upstream's RESTMapper), both
 * refreshed from discovery.
 */
final class GraphBuilder {
    private static final Logger LOG = Logger.getLogger(GraphBuilder.class);
    private static final List<String> VERBS = List.of("delete", "list", "watch");
    /** upstream's DefaultIgnoredResources: events have no owners and churn */
    private static final Set<String> IGNORED = Set.of("events", "events.events.k8s.io");

    private final InformerFactory informers;
    private final Graph graph;
    /** by groupResource */
    private final Map<String, SharedInformer<?>> monitors = new LinkedHashMap<>();
    /** by "group/kind", the resource of each version; the storage version under "" too */
    private volatile Map<String, Map<String, ServedResource>> mapping = Map.of();

    GraphBuilder(InformerFactory informers, Graph graph) {
        this.informers = informers;
        this.graph = graph;
    }

    /** Takes a discovery answer: maps every served kind and watches the kinds not watched yet. */
    synchronized void sync(List<ServedResource> served) {
        Map<String, Map<String, ServedResource>> next = new HashMap<>();
        for (ServedResource r : served) {
            var versions = next.computeIfAbsent(r.group() + "/" + r.kind(), k -> new HashMap<>());
            versions.put(r.version(), r);
            if (r.storageVersion()) {
                versions.put("", r);
            }
        }
        mapping = next;
        for (ServedResource r : served) {
            String groupResource = r.group().isEmpty() ? r.resource() : r.resource() + "." + r.group();
            if (!r.storageVersion()
                    || !r.verbs().containsAll(VERBS)
                    || IGNORED.contains(groupResource)
                    || monitors.containsKey(groupResource)) {
                continue;
            }
            LOG.debugf("garbage collector: watching %s", groupResource);
            monitors.put(groupResource, monitor(kindFor(r)));
        }
    }

    /** Whether every monitor has listed once: only then is the graph complete enough to act on. */
    synchronized boolean hasSynced() {
        return !monitors.isEmpty() && monitors.values().stream().allMatch(SharedInformer::hasSynced);
    }

    synchronized Set<String> watched() {
        return Set.copyOf(monitors.keySet());
    }

    /**
     * The resource of objects of {@code kind} in {@code apiVersion}: that version when served, else the storage
     * version of the same group and kind (they are the same objects). Empty when the kind is not served.
     */
    Optional<Kind<GenericKubernetesResource>> resolve(String apiVersion, String kind) {
        int slash = apiVersion.indexOf('/');
        String group = slash < 0 ? "" : apiVersion.substring(0, slash);
        String version = slash < 0 ? apiVersion : apiVersion.substring(slash + 1);
        var versions = mapping.get(group + "/" + kind);
        if (versions == null) {
            return Optional.empty();
        }
        ServedResource r = versions.getOrDefault(version, versions.get(""));
        return Optional.ofNullable(r).map(GraphBuilder::generic);
    }

    private static Kind<GenericKubernetesResource> generic(ServedResource r) {
        return new Kind<>(
                r.group(), r.version(), r.resource(), r.kind(), r.namespaced(), GenericKubernetesResource.class);
    }

    /**
     * The kind the process's loops already watch the resource as (it shares one informer per resource, so the GC must
     * not ask for the same resource with another type); otherwise metadata only, as upstream's garbage collector
     * watches: the graph needs owners, finalizers and deletion timestamps, and holding every ConfigMap's data or
     * Secret's keys in this process would cost memory for nothing.
     */
    private Kind<? extends HasMetadata> kindFor(ServedResource r) {
        String groupResource = r.group().isEmpty() ? r.resource() : r.resource() + "." + r.group();
        Optional<Class<?>> watched = informers.typeOf(groupResource);
        if (watched.isPresent()) {
            for (Kind<?> known : Kinds.all()) {
                if (known.type() == watched.get()
                        && known.group().equals(r.group())
                        && known.resource().equals(r.resource())) {
                    return known;
                }
            }
            if (watched.get() == GenericKubernetesResource.class) {
                return generic(r);
            }
        }
        return new Kind<>(r.group(), r.version(), r.resource(), r.kind(), r.namespaced(), MetadataOnly.class);
    }

    private <T extends HasMetadata> SharedInformer<T> monitor(Kind<T> kind) {
        SharedInformer<T> informer = informers.informer(kind);
        // The objects are read as HasMetadata only, whatever type the shared informer decodes to.
        informer.addEventHandler(new ResourceEventHandler<T>() {
            @Override
            public void onAdd(T object) {
                graph.observe(identity(kind, object), null, object);
            }

            @Override
            public void onUpdate(T oldObject, T newObject) {
                graph.observe(identity(kind, newObject), oldObject, newObject);
            }

            @Override
            public void onDelete(T lastKnown) {
                graph.observeDelete(lastKnown);
            }
        });
        return informer;
    }

    private static Identity identity(Kind<?> kind, HasMetadata object) {
        String namespace = object.getMetadata().getNamespace();
        return new Identity(
                kind.apiVersion(),
                kind.kind(),
                namespace == null ? "" : namespace,
                object.getMetadata().getName());
    }
}
