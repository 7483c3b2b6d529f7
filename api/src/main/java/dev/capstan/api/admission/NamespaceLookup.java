package dev.capstan.api.admission;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;

/** Where NamespaceLifecycle finds namespaces: the watch cache first, the store as a last resort. */
public interface NamespaceLookup {
    /**
     * The namespace as the server's cache last saw it; empty when the cache has not seen it (or is not synced). The
     * tree may be shared with other requests: read it, never change it.
     */
    Optional<ObjectNode> cached(String name);

    /** The namespace as stored now. */
    Optional<ObjectNode> live(String name);
}
