package dev.capstan.api.registry.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.registry.FinalizedByController;
import dev.capstan.api.registry.ResourceType;
import dev.capstan.api.registry.StatusStrategy;
import dev.capstan.api.registry.Strategies;
import dev.capstan.api.registry.Strategy;
import dev.capstan.api.registry.UpdateStrategy;
import dev.capstan.api.table.CorePrinters;
import dev.capstan.api.table.KindTable;
import dev.capstan.api.validation.Cause;
import dev.capstan.api.validation.NamespaceValidation;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Namespaces (upstream pkg/registry/core/namespace): created Active with the {@code kubernetes} finalizer; a delete
 * only marks one Terminating, the namespace controller empties it and clears that finalizer through
 * {@code finalize}, and then it goes.
 */
public final class NamespaceStrategy implements Strategy, FinalizedByController {
    /** The finalizer of the namespace controller, the only one kube-apiserver puts on namespaces itself. */
    public static final String KUBERNETES_FINALIZER = "kubernetes";

    private static final Map<String, Function<JsonNode, String>> FIELDS = Strategies.jsonPathFields("status.phase");

    private final StatusStrategy status = new NamespaceStatusStrategy();

    public static ResourceType resource() {
        return ResourceType.define(io.fabric8.kubernetes.api.model.Namespace.class, "", "v1", "Namespace", "namespaces")
                .shortNames("ns")
                .clusterScoped()
                .subresources("status", "finalize")
                .withoutCollectionDelete()
                .build(new NamespaceStrategy());
    }

    @Override
    public void applyDefaults(ObjectNode ns) {
        NamespaceValidation.defaultNamespace(ns);
    }

    /** Active, with the namespace controller's finalizer; the name label is set on every write (Canonicalize). */
    @Override
    public void prepareForCreate(ObjectNode ns) {
        NamespaceValidation.prepareForCreate(ns);
        NamespaceValidation.canonicalize(ns);
    }

    /** Updates change neither status nor spec.finalizers (those go through status and finalize). */
    @Override
    public void prepareForUpdate(ObjectNode ns, ObjectNode old) {
        NamespaceValidation.prepareForUpdate(ns, old);
        NamespaceValidation.canonicalize(ns);
    }

    @Override
    public List<Cause> validate(ObjectNode ns) {
        return NamespaceValidation.validateNamespace(ns);
    }

    @Override
    public List<Cause> validateUpdate(ObjectNode ns, ObjectNode old) {
        return NamespaceValidation.validateNamespaceUpdate(ns, old);
    }

    @Override
    public StatusStrategy status() {
        return status;
    }

    @Override
    public Map<String, Function<JsonNode, String>> fieldAttributes() {
        return FIELDS;
    }

    @Override
    public boolean returnsDeletedObject() {
        return true;
    }

    @Override
    public void markDeleting(ObjectNode ns) {
        ns.withObjectProperty("status").put("phase", "Terminating");
    }

    @Override
    public boolean controllerPending(ObjectNode ns) {
        return !ns.path("spec").path("finalizers").isEmpty();
    }

    /** A finalize that empties spec.finalizers ends the namespace, unless metadata finalizers still hold it. */
    @Override
    public boolean mayDeleteDuringUpdate(ObjectNode ns) {
        return !controllerPending(ns);
    }

    @Override
    public UpdateStrategy finalizeStrategy() {
        return FINALIZE;
    }

    /** namespaces/finalize: the status stays as stored; the finalizer names are validated. */
    private static final UpdateStrategy FINALIZE = new UpdateStrategy() {
        @Override
        public void prepareForUpdate(ObjectNode ns, ObjectNode old) {
            NamespaceValidation.prepareForFinalizeUpdate(ns, old);
            NamespaceValidation.canonicalize(ns);
        }

        @Override
        public List<Cause> validateUpdate(ObjectNode ns, ObjectNode old) {
            return NamespaceValidation.validateNamespaceFinalizeUpdate(ns, old);
        }
    };

    /** namespaces/status: the spec stays as stored. */
    private static final class NamespaceStatusStrategy implements StatusStrategy {
        @Override
        public void prepareForUpdate(ObjectNode ns, ObjectNode old) {
            NamespaceValidation.prepareForStatusUpdate(ns, old);
            NamespaceValidation.canonicalize(ns);
        }

        @Override
        public List<Cause> validateUpdate(ObjectNode ns, ObjectNode old) {
            return NamespaceValidation.validateNamespaceStatusUpdate(ns, old);
        }
    }

    @Override
    public KindTable table() {
        return CorePrinters.NAMESPACE;
    }
}
