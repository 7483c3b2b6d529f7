package dev.capstan.netproxy.proxy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.client.PatchType;
import dev.capstan.client.ResourceClient;
import dev.capstan.client.informer.Indexer;
import dev.capstan.client.workqueue.Reconciler;
import dev.capstan.client.workqueue.Result;
import dev.capstan.model.json.KubeJson;
import io.fabric8.kubernetes.api.model.LoadBalancerIngress;
import io.fabric8.kubernetes.api.model.Service;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Without a cloud, a LoadBalancer Service is served on the node's addresses (as k3s's ServiceLB): this reconciler
 * writes {@code status.loadBalancer.ingress} = the node's InternalIPs ({@code {ip, ipMode: VIP}}) on Services of
 * type LoadBalancer and clears it on the others, with a merge patch of the status subresource, only when the status
 * differs. Keys are "namespace/name"; reads come from the informer's cache.
 */
public final class LoadBalancerStatusWriter implements Reconciler<String> {
    private final Indexer<Service> services;
    private final ResourceClient<Service> client;
    private final Supplier<List<String>> internalIps;

    /**
     * @param services the Service informer's cache
     * @param client where status patches go
     * @param internalIps this node's InternalIP addresses, in the Node's order
     */
    public LoadBalancerStatusWriter(
            Indexer<Service> services, ResourceClient<Service> client, Supplier<List<String>> internalIps) {
        this.services = Objects.requireNonNull(services, "services");
        this.client = Objects.requireNonNull(client, "client");
        this.internalIps = Objects.requireNonNull(internalIps, "internalIps");
    }

    @Override
    public Result reconcile(String key) {
        Optional<Service> found = services.get(key);
        if (found.isEmpty()) {
            return Result.DONE;
        }
        Service service = found.get();
        List<String> wanted = desired(service, internalIps.get());
        if (wanted.equals(current(service))) {
            return Result.DONE;
        }
        ObjectNode patch = KubeJson.object();
        ObjectNode loadBalancer = patch.putObject("status").putObject("loadBalancer");
        if (wanted.isEmpty()) {
            loadBalancer.putNull("ingress");
        } else {
            ArrayNode ingress = loadBalancer.putArray("ingress");
            wanted.forEach(ip -> ingress.addObject().put("ip", ip).put("ipMode", "VIP"));
        }
        client.patchStatus(
                service.getMetadata().getNamespace(),
                service.getMetadata().getName(),
                PatchType.MERGE,
                patch.toString());
        return Result.DONE;
    }

    /** The ingress IPs the Service should show: the node's for type LoadBalancer, none otherwise. */
    static List<String> desired(Service service, List<String> internalIps) {
        boolean loadBalancer = service.getSpec() != null
                && "LoadBalancer".equals(service.getSpec().getType());
        return loadBalancer ? List.copyOf(internalIps) : List.of();
    }

    /** The ingress IPs shown, or a marker that never equals a wanted list when they are not all VIP-mode IPs. */
    static List<String> current(Service service) {
        if (service.getStatus() == null
                || service.getStatus().getLoadBalancer() == null
                || service.getStatus().getLoadBalancer().getIngress() == null) {
            return List.of();
        }
        List<LoadBalancerIngress> ingress =
                service.getStatus().getLoadBalancer().getIngress();
        if (ingress.stream().anyMatch(i -> i.getIp() == null || !"VIP".equals(i.getIpMode()))) {
            return List.of("<other>");
        }
        return ingress.stream().map(LoadBalancerIngress::getIp).toList();
    }
}
