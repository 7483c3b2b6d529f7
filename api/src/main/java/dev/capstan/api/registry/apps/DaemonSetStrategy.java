package dev.capstan.api.registry.apps;

import dev.capstan.api.registry.ResourceType;
import dev.capstan.api.registry.StatusRules;
import dev.capstan.api.registry.WorkloadStrategy;
import dev.capstan.api.table.AppsPrinters;
import dev.capstan.api.validation.AppsValidation;
import dev.capstan.api.validation.Defaulting;
import dev.capstan.api.validation.Validators;

/**
 * DaemonSets (upstream pkg/registry/apps/daemonset). apps/v1 has no templateGeneration field: a template change is
 * a spec change and bumps generation as upstream does.
 */
public final class DaemonSetStrategy extends WorkloadStrategy {
    private DaemonSetStrategy() {
        super(
                Defaulting::daemonSet,
                Validators::daemonSet,
                new StatusRules(AppsValidation::validateDaemonSetStatusUpdate),
                AppsPrinters.DAEMON_SET);
    }

    public static ResourceType resource() {
        return ResourceType.define(
                        io.fabric8.kubernetes.api.model.apps.DaemonSet.class, "apps", "v1", "DaemonSet", "daemonsets")
                .shortNames("ds")
                .subresources("status")
                .categories("all")
                .build(new DaemonSetStrategy());
    }
}
