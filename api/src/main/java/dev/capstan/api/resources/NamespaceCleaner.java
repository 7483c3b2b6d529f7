package dev.capstan.api.resources;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.registry.ResourceType;
import dev.capstan.api.storage.ObjectStorage;
import dev.capstan.api.storage.StoredObject;
import dev.capstan.store.KeyValue;
import dev.capstan.store.ListResult;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Finishes the deletion of a Terminating namespace: deletes everything in it, then the namespace. This is the
 * namespace controller's work; it lives in the API server until the controller manager exists.
 */
public final class NamespaceCleaner {
    private static final Logger LOG = Logger.getLogger(NamespaceCleaner.class);

    private final ResourceService resources;
    private final ResourceType namespaces;

    public NamespaceCleaner(ResourceService resources, ResourceType namespaces) {
        this.resources = resources;
        this.namespaces = namespaces;
    }

    /** Cleans every namespace that is Terminating, e.g. after a restart interrupted a cleanup. */
    public void cleanAllTerminating() {
        ObjectStorage storage = resources.storage();
        ListResult all = storage.list(namespaces, null, 0, 0, "");
        for (KeyValue kv : all.items()) {
            ObjectNode ns = storage.decode(namespaces, kv).object();
            if (ObjectMeta.isBeingDeleted(ns)) {
                cleanLater(ObjectMeta.name(ns));
            }
        }
    }

    public void cleanLater(String namespace) {
        Thread.ofVirtual().name("namespace-cleanup-" + namespace).start(() -> {
            try {
                clean(namespace);
            } catch (RuntimeException e) {
                LOG.warnf("cleaning up namespace %s failed: %s", namespace, e.getMessage());
            }
        });
    }

    private void clean(String namespace) {
        ObjectStorage storage = resources.storage();
        List<ResourceType> types = resources.storedNamespacedTypes();
        for (ResourceType type : types) {
            for (KeyValue kv : storage.list(type, namespace, 0, 0, "").items()) {
                StoredObject object = storage.decode(type, kv);
                try {
                    // Nothing in a terminating namespace can wait for a node or a finalizer that nobody runs yet.
                    storage.delete(type, namespace, ObjectMeta.name(object.object()), object.revision());
                } catch (RuntimeException e) {
                    LOG.debugf("while cleaning %s: %s", namespace, e.getMessage());
                }
            }
        }
        // The namespace's own finalizer is done; it goes now unless other finalizers still hold it.
        storage.get(namespaces, null, namespace).ifPresent(ns -> {
            ObjectNode next = ns.object().deepCopy();
            next.withObjectProperty("spec").putArray("finalizers");
            if (ObjectMeta.hasFinalizers(next)) {
                storage.update(namespaces, null, namespace, next, ns.revision());
            } else {
                storage.delete(namespaces, null, namespace, ns.revision());
            }
        });
    }
}
