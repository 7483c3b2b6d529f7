package dev.capstan.api.admission;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.ApiException;
import dev.capstan.api.registry.ResourceType;
import java.util.Optional;
import java.util.Set;

/**
 * Upstream's NamespaceLifecycle plugin: no content in a namespace that does not exist, no new content in one that
 * is terminating, and the system namespaces ({@code default}, {@code kube-system}, {@code kube-public}) may not be
 * deleted. Deletes of content and anything cluster-scoped always pass.
 */
public final class NamespaceLifecycle implements AdmissionPlugin {
    public static final String NAME = "NamespaceLifecycle";
    private static final Set<String> IMMORTAL = Set.of("default", "kube-system", "kube-public");

    private final ResourceType namespaces;
    private final NamespaceLookup lookup;

    public NamespaceLifecycle(ResourceType namespaces, NamespaceLookup lookup) {
        this.namespaces = namespaces;
        this.lookup = lookup;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean handles(Operation operation) {
        return operation == Operation.CREATE || operation == Operation.UPDATE || operation == Operation.DELETE;
    }

    @Override
    public void validate(AdmissionRequest request) {
        boolean isNamespace = request.type().sameResource(namespaces);
        if (isNamespace) {
            if (request.operation() == Operation.DELETE && IMMORTAL.contains(request.name())) {
                throw ApiException.forbidden(request.type(), request.name(), "this namespace may not be deleted");
            }
            return;
        }
        String namespace = request.namespace();
        if (namespace == null || namespace.isEmpty() || request.operation() == Operation.DELETE) {
            return;
        }
        // The cache answers as upstream's namespace informer does; one it has not seen yet (created a moment ago)
        // is looked up in the store, as upstream's last-resort live lookup.
        Optional<ObjectNode> found = lookup.cached(namespace).or(() -> lookup.live(namespace));
        ObjectNode ns = found.orElseThrow(() -> ApiException.notFound(namespaces, namespace));
        if (request.operation() == Operation.CREATE && isTerminating(ns)) {
            throw ApiException.forbidden(
                            request.type(),
                            request.name(),
                            "unable to create new content in namespace " + namespace
                                    + " because it is being terminated")
                    .withCause(
                            "NamespaceTerminating",
                            "namespace " + namespace + " is being terminated",
                            "metadata.namespace");
        }
    }

    private static boolean isTerminating(ObjectNode ns) {
        return ns.path("status").path("phase").asText("").equals("Terminating")
                || ns.path("metadata").hasNonNull("deletionTimestamp");
    }
}
