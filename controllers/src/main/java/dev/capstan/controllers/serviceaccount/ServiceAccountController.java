package dev.capstan.controllers.serviceaccount;

import dev.capstan.client.ApiError;
import dev.capstan.client.Kinds;
import dev.capstan.client.informer.ResourceEventHandler;
import dev.capstan.client.informer.SharedInformer;
import dev.capstan.client.workqueue.Reconciler;
import dev.capstan.client.workqueue.Result;
import dev.capstan.client.workqueue.WorkQueue;
import dev.capstan.controllers.ControllerContext;
import dev.capstan.model.meta.ObjectKey;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import java.util.List;
import java.util.Optional;

/**
 * Upstream's ServiceAccountsController (pkg/controller/serviceaccount/serviceaccounts_controller.go): every active
 * namespace has the service accounts to ensure ("default"). Keys are namespaces (cluster-scoped keys: the name).
 * Namespaces are enqueued on add and update, and a namespace again when one of its service accounts is deleted. A
 * namespace not in phase Active (terminating) gets nothing. Creating what exists already is harmless
 * (AlreadyExists), so a cache that has not seen a create yet needs no expectations.
 */
public final class ServiceAccountController implements Reconciler<ObjectKey> {
    public static final String NAME = "serviceaccount";
    /** upstream's DefaultServiceAccountsControllerOptions */
    static final List<String> SERVICE_ACCOUNTS = List.of("default");

    private final ControllerContext ctx;
    private final SharedInformer<Namespace> namespaces;
    private final SharedInformer<ServiceAccount> serviceAccounts;

    public ServiceAccountController(ControllerContext ctx, WorkQueue<ObjectKey> queue) {
        this.ctx = ctx;
        this.namespaces = ctx.informers().informer(Kinds.NAMESPACES);
        this.serviceAccounts = ctx.informers().informer(Kinds.SERVICE_ACCOUNTS);
        namespaces.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Namespace ns) {
                queue.add(ObjectKey.clusterScoped(ns.getMetadata().getName()));
            }

            @Override
            public void onUpdate(Namespace oldNs, Namespace ns) {
                queue.add(ObjectKey.clusterScoped(ns.getMetadata().getName()));
            }

            @Override
            public void onDelete(Namespace ns) {}
        });
        serviceAccounts.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(ServiceAccount sa) {}

            @Override
            public void onUpdate(ServiceAccount oldSa, ServiceAccount sa) {}

            @Override
            public void onDelete(ServiceAccount sa) {
                queue.add(ObjectKey.clusterScoped(sa.getMetadata().getNamespace()));
            }
        });
    }

    @Override
    public Result reconcile(ObjectKey key) {
        if (!namespaces.hasSynced() || !serviceAccounts.hasSynced()) {
            throw new IllegalStateException("informers of namespaces and service accounts have not synced");
        }
        Optional<Namespace> ns = namespaces.cache().get(key);
        if (ns.isEmpty()
                || ns.get().getStatus() == null
                || !"Active".equals(ns.get().getStatus().getPhase())) {
            return Result.DONE;
        }
        String namespace = key.name();
        IllegalStateException failures = null;
        for (String name : SERVICE_ACCOUNTS) {
            if (serviceAccounts.cache().get(namespace, name).isPresent()) {
                continue;
            }
            ServiceAccount sa = new ServiceAccount();
            sa.setMetadata(new ObjectMetaBuilder()
                    .withName(name)
                    .withNamespace(namespace)
                    .build());
            try {
                ctx.api().resources(Kinds.SERVICE_ACCOUNTS).create(sa);
            } catch (ApiError e) {
                // AlreadyExists: the cache is behind; a terminating namespace refuses creates, which is fine too
                if (!e.isAlreadyExists() && !isNamespaceTerminating(e)) {
                    if (failures == null) {
                        failures = new IllegalStateException("creating service accounts in " + namespace + " failed");
                    }
                    failures.addSuppressed(e);
                }
            }
        }
        if (failures != null) {
            throw failures;
        }
        return Result.DONE;
    }

    private static boolean isNamespaceTerminating(ApiError e) {
        return e.isNamespaceTerminating();
    }
}
