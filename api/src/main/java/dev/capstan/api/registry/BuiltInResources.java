package dev.capstan.api.registry;

import dev.capstan.api.registry.apps.ControllerRevisionStrategy;
import dev.capstan.api.registry.apps.DaemonSetStrategy;
import dev.capstan.api.registry.apps.DeploymentStrategy;
import dev.capstan.api.registry.apps.ReplicaSetStrategy;
import dev.capstan.api.registry.apps.StatefulSetStrategy;
import dev.capstan.api.registry.autoscaling.HorizontalPodAutoscalerStrategy;
import dev.capstan.api.registry.batch.CronJobStrategy;
import dev.capstan.api.registry.batch.JobStrategy;
import dev.capstan.api.registry.coordination.LeaseStrategy;
import dev.capstan.api.registry.core.ConfigMapStrategy;
import dev.capstan.api.registry.core.EndpointsStrategy;
import dev.capstan.api.registry.core.EventStrategy;
import dev.capstan.api.registry.core.LimitRangeStrategy;
import dev.capstan.api.registry.core.NamespaceStrategy;
import dev.capstan.api.registry.core.NodeStrategy;
import dev.capstan.api.registry.core.PersistentVolumeClaimStrategy;
import dev.capstan.api.registry.core.PersistentVolumeStrategy;
import dev.capstan.api.registry.core.PodStrategy;
import dev.capstan.api.registry.core.ResourceQuotaStrategy;
import dev.capstan.api.registry.core.SecretStrategy;
import dev.capstan.api.registry.core.ServiceAccountStrategy;
import dev.capstan.api.registry.core.ServiceAllocator;
import dev.capstan.api.registry.core.ServiceStrategy;
import dev.capstan.api.registry.discovery.EndpointSliceStrategy;
import dev.capstan.api.registry.networking.IngressStrategy;
import dev.capstan.api.registry.networking.NetworkPolicyStrategy;
import dev.capstan.api.registry.rbac.ClusterRoleBindingStrategy;
import dev.capstan.api.registry.rbac.ClusterRoleStrategy;
import dev.capstan.api.registry.rbac.RoleBindingStrategy;
import dev.capstan.api.registry.rbac.RoleStrategy;
import dev.capstan.api.registry.scheduling.PriorityClassStrategy;
import dev.capstan.api.registry.storage.StorageClassStrategy;
import java.util.ArrayList;
import java.util.List;

/**
 * The built-in resources of Kubernetes 1.32 that Capstan serves, in discovery order (each group's preferred version
 * first): one registration per resource, each made by its kind's strategy.
 */
public final class BuiltInResources {
    private BuiltInResources() {}

    public static ResourceRegistry registry(ServiceAllocator allocator, java.time.Clock clock) {
        List<ResourceType> types = new ArrayList<>(List.of(
                NamespaceStrategy.resource(),
                PodStrategy.resource(),
                ServiceStrategy.resource(allocator),
                EndpointsStrategy.resource(),
                ConfigMapStrategy.resource(),
                SecretStrategy.resource(),
                ServiceAccountStrategy.resource(),
                NodeStrategy.resource(),
                EventStrategy.resource(),
                LimitRangeStrategy.resource(),
                ResourceQuotaStrategy.resource(),
                PersistentVolumeStrategy.resource(clock),
                PersistentVolumeClaimStrategy.resource(),
                DeploymentStrategy.resource(),
                ReplicaSetStrategy.resource(),
                StatefulSetStrategy.resource(),
                DaemonSetStrategy.resource(),
                ControllerRevisionStrategy.resource(),
                JobStrategy.resource(),
                CronJobStrategy.resource()));
        types.addAll(HorizontalPodAutoscalerStrategy.resources());
        types.addAll(List.of(
                LeaseStrategy.resource(),
                EndpointSliceStrategy.resource(),
                NetworkPolicyStrategy.resource(),
                IngressStrategy.resource(),
                RoleStrategy.resource(),
                RoleBindingStrategy.resource(),
                ClusterRoleStrategy.resource(),
                ClusterRoleBindingStrategy.resource(),
                dev.capstan.api.registry.events.EventStrategy.resource(),
                PriorityClassStrategy.resource(),
                StorageClassStrategy.resource()));
        return new ResourceRegistry(types);
    }
}
