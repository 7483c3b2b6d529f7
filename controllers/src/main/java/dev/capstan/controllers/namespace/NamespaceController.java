package dev.capstan.controllers.namespace;

import dev.capstan.client.ApiClient;
import dev.capstan.client.ApiError;
import dev.capstan.client.DeleteOptions;
import dev.capstan.client.Kind;
import dev.capstan.client.Kinds;
import dev.capstan.client.ListOptions;
import dev.capstan.client.ResourceClient;
import dev.capstan.client.ServedResource;
import dev.capstan.client.informer.ResourceEventHandler;
import dev.capstan.client.workqueue.Reconciler;
import dev.capstan.client.workqueue.Result;
import dev.capstan.client.workqueue.WorkQueue;
import dev.capstan.controllers.ControllerContext;
import dev.capstan.model.meta.ObjectKey;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceSpec;
import io.fabric8.kubernetes.api.model.NamespaceStatus;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import org.jboss.logging.Logger;

/**
 * Upstream's namespace controller and namespacedResourcesDeleter (pkg/controller/namespace): for a namespace with a
 * deletionTimestamp and the "kubernetes" finalizer, sets phase Terminating, deletes every object of every namespaced
 * served kind in it (list and delete each, propagation Background), writes the deletion conditions, waits while
 * anything remains (requeued after half the estimate plus a second: the pods' grace period, or 15 s for objects held
 * by finalizers), and then removes "kubernetes" through the finalize subresource.
 *
 * <p>The namespace is read live, not from the cache, as upstream does: other controllers (and the API server's own
 * finalizer loop) edit it during termination. Every step is idempotent, so running beside them is safe.
 */
public final class NamespaceController implements Reconciler<ObjectKey> {
    public static final String NAME = "namespace";
    static final String FINALIZER = "kubernetes";
    /** upstream's namespaceDeletionGracePeriod: lets admission caches and HA peers see the deletion first */
    static final Duration DELETION_GRACE = Duration.ofSeconds(5);
    /** upstream's finalizerEstimateSeconds: how long objects held by finalizers are given per pass */
    static final long FINALIZER_ESTIMATE_SECONDS = 15;

    private static final int CONFLICT_RETRIES = 5;
    private static final Logger LOG = Logger.getLogger(NamespaceController.class);

    private final ControllerContext ctx;
    private final ApiClient api;

    public NamespaceController(ControllerContext ctx, WorkQueue<ObjectKey> queue) {
        this.ctx = ctx;
        this.api = ctx.api();
        ctx.informers().informer(Kinds.NAMESPACES).addEventHandler(ResourceEventHandler.onAny(ns -> {
            if (ns.getMetadata().getDeletionTimestamp() != null) {
                queue.addAfter(ObjectKey.of(ns), DELETION_GRACE);
            }
        }));
    }

    @Override
    public Result reconcile(ObjectKey key) {
        ResourceClient<Namespace> namespaces = api.resources(Kinds.NAMESPACES);
        Optional<Namespace> found = namespaces.get("", key.name());
        if (found.isEmpty() || found.get().getMetadata().getDeletionTimestamp() == null) {
            return Result.DONE;
        }
        Namespace ns;
        try {
            ns = retryOnConflict(found.get(), this::markTerminating);
        } catch (ApiError e) {
            if (e.isNotFound()) {
                return Result.DONE;
            }
            throw e;
        }
        if (ns.getMetadata().getDeletionTimestamp() == null || finalized(ns)) {
            return Result.DONE;
        }
        Content content = deleteAllContent(ns);
        if (content.error() != null) {
            throw new IllegalStateException(content.error());
        }
        if (content.estimateSeconds() > 0) {
            LOG.debugf("namespace %s: content remains, estimate %d s", key.name(), content.estimateSeconds());
            return Result.requeueAfter(Duration.ofSeconds(content.estimateSeconds() / 2 + 1));
        }
        try {
            retryOnConflict(content.namespace(), this::finalizeNamespace);
        } catch (ApiError e) {
            if (!e.isNotFound()) { // another finalizer loop finished the namespace first
                throw e;
            }
        }
        return Result.DONE;
    }

    private static boolean finalized(Namespace ns) {
        NamespaceSpec spec = ns.getSpec();
        return spec == null
                || spec.getFinalizers() == null
                || !spec.getFinalizers().contains(FINALIZER);
    }

    private Namespace markTerminating(Namespace ns) {
        if (ns.getStatus() != null && "Terminating".equals(ns.getStatus().getPhase())) {
            return ns;
        }
        if (ns.getStatus() == null) {
            ns.setStatus(new NamespaceStatus());
        }
        ns.getStatus().setPhase("Terminating");
        return api.resources(Kinds.NAMESPACES).updateStatus(ns);
    }

    private Namespace finalizeNamespace(Namespace ns) {
        if (finalized(ns)) {
            return ns;
        }
        List<String> rest = new ArrayList<>(new TreeSet<>(ns.getSpec().getFinalizers()));
        rest.remove(FINALIZER);
        ns.getSpec().setFinalizers(rest);
        return api.resources(Kinds.NAMESPACES).finalizeNamespace(ns);
    }

    /** Applies {@code write} to the namespace, re-reading it and trying again on conflict (upstream's retryOnConflictError). */
    private Namespace retryOnConflict(Namespace ns, UnaryOperator<Namespace> write) {
        for (int attempt = 1; ; attempt++) {
            try {
                return write.apply(ns);
            } catch (ApiError e) {
                if (!e.isConflict() || attempt >= CONFLICT_RETRIES) {
                    throw e;
                }
                ns = api.resources(Kinds.NAMESPACES)
                        .get("", ns.getMetadata().getName())
                        .orElseThrow(() -> e);
            }
        }
    }

    /** What one pass of deletion left: the namespace as last written, the wait estimate, and an error if any. */
    private record Content(Namespace namespace, long estimateSeconds, String error) {}

    /** Upstream's deleteAllContent: every namespaced kind in turn, errors collected, conditions written at the end. */
    private Content deleteAllContent(Namespace ns) {
        String namespace = ns.getMetadata().getName();
        Instant deletedAt = Instant.parse(ns.getMetadata().getDeletionTimestamp());
        NamespaceConditions conditions = new NamespaceConditions();
        List<String> errors = new ArrayList<>();
        List<ServedResource> resources = List.of();
        try {
            resources = api.discover().stream()
                    .filter(r -> r.namespaced()
                            && r.storageVersion()
                            && r.verbs().contains("delete")
                            && r.verbs().contains("list"))
                    .toList();
        } catch (ApiError e) {
            errors.add(e.getMessage());
            conditions.discoveryFailed(e.getMessage());
        }
        long estimate = 0;
        Map<String, Integer> remainingByResource = new HashMap<>();
        Map<String, Integer> remainingByFinalizer = new HashMap<>();
        List<String> contentErrors = new ArrayList<>();
        for (ServedResource r : resources) {
            Kind<GenericKubernetesResource> kind =
                    new Kind<>(r.group(), r.version(), r.resource(), r.kind(), true, GenericKubernetesResource.class);
            Remaining left;
            try {
                left = deleteAllOf(kind, namespace, deletedAt);
            } catch (ApiError e) {
                contentErrors.add(e.getMessage());
                continue;
            }
            estimate = Math.max(estimate, left.estimateSeconds());
            if (left.count() > 0) {
                remainingByResource.put(r.resource() + "." + r.group(), left.count());
                left.byFinalizer().forEach((f, n) -> remainingByFinalizer.merge(f, n, Integer::sum));
            }
            if (left.error() != null) {
                contentErrors.add(left.error());
            }
        }
        contentErrors.forEach(conditions::deleteContentFailed);
        errors.addAll(contentErrors);
        conditions.contentTotals(remainingByResource, remainingByFinalizer);
        if (ns.getStatus() == null) {
            ns.setStatus(new NamespaceStatus());
        }
        if (conditions.update(ns.getStatus(), now())) {
            try {
                ns = api.resources(Kinds.NAMESPACES).updateStatus(ns);
            } catch (ApiError e) {
                LOG.warnf("couldn't update status condition for namespace %s: %s", namespace, e.getMessage());
            }
        }
        return new Content(ns, estimate, errors.isEmpty() ? null : String.join("; ", errors));
    }

    private record Remaining(long estimateSeconds, int count, Map<String, Integer> byFinalizer, String error) {}

    /** Upstream's deleteAllContentForGroupVersionResource, with list and delete of each object. */
    private Remaining deleteAllOf(Kind<GenericKubernetesResource> kind, String namespace, Instant deletedAt) {
        long estimate =
                kind.group().isEmpty() && kind.resource().equals("pods") ? podsEstimate(namespace, deletedAt) : 0;
        ResourceClient<GenericKubernetesResource> client = api.resources(kind);
        for (GenericKubernetesResource item :
                client.list(namespace, ListOptions.ALL).items()) {
            if (item.getMetadata().getDeletionTimestamp() != null) {
                continue; // deleting already: deleting again changes nothing
            }
            try {
                client.delete(namespace, item.getMetadata().getName(), DeleteOptions.propagation("Background"));
            } catch (ApiError e) {
                if (!e.isNotFound() && e.code() != 405) {
                    throw e;
                }
            }
        }
        List<GenericKubernetesResource> left =
                client.list(namespace, ListOptions.ALL).items();
        if (left.isEmpty() || estimate > 0) {
            return new Remaining(estimate, left.size(), Map.of(), null);
        }
        Map<String, Integer> byFinalizer = new HashMap<>();
        for (GenericKubernetesResource item : left) {
            List<String> finalizers = item.getMetadata().getFinalizers();
            if (finalizers != null) {
                finalizers.forEach(f -> byFinalizer.merge(f, 1, Integer::sum));
            }
        }
        if (!byFinalizer.isEmpty()) {
            // objects held by finalizers are normal: give them time
            return new Remaining(FINALIZER_ESTIMATE_SECONDS, left.size(), byFinalizer, null);
        }
        return new Remaining(
                0,
                left.size(),
                Map.of(),
                "unexpected items still remain in namespace: " + namespace + " for gvr: " + kind.group() + "/"
                        + kind.version() + ", Resource=" + kind.resource());
    }

    /**
     * Upstream's estimateGracefulTerminationForPods: the longest terminationGracePeriodSeconds of the pods not yet
     * terminal, or zero once that long has passed since the namespace's deletion.
     */
    private long podsEstimate(String namespace, Instant deletedAt) {
        long estimate = 0;
        for (Pod pod :
                api.resources(Kinds.PODS).list(namespace, ListOptions.ALL).items()) {
            String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
            if ("Succeeded".equals(phase) || "Failed".equals(phase)) {
                continue;
            }
            Long grace = pod.getSpec() == null ? null : pod.getSpec().getTerminationGracePeriodSeconds();
            if (grace != null && grace > estimate) {
                estimate = grace;
            }
        }
        Duration elapsed = Duration.between(deletedAt, ctx.clock().instant());
        return elapsed.compareTo(Duration.ofSeconds(estimate)) >= 0 ? 0 : estimate;
    }

    private String now() {
        return DateTimeFormatter.ISO_INSTANT.format(ctx.clock().instant().truncatedTo(ChronoUnit.SECONDS));
    }
}
