package dev.capstan.controllers.apiendpoints;

import dev.capstan.client.ApiError;
import dev.capstan.client.Kinds;
import dev.capstan.client.ResourceClient;
import dev.capstan.client.informer.ResourceEventHandler;
import dev.capstan.client.informer.SharedInformer;
import dev.capstan.client.workqueue.Reconciler;
import dev.capstan.client.workqueue.Result;
import dev.capstan.client.workqueue.WorkQueue;
import dev.capstan.controllers.ControllerContext;
import dev.capstan.controllers.endpoints.IPs;
import dev.capstan.controllers.endpoints.SemanticJson;
import dev.capstan.controllers.endpoints.WriteExpectations;
import dev.capstan.controllers.endpointslice.EndpointSliceController;
import dev.capstan.controllers.endpointslicemirroring.EndpointSliceMirroringController;
import dev.capstan.model.json.KubeJson;
import dev.capstan.model.meta.ObjectKey;
import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointPort;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServiceSpec;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointConditions;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The API server's own Service, as upstream's API server keeps it (the kubernetesservice controller and the master
 * endpoint reconciler with its EndpointsAdapter), here in the controller manager: {@code default/kubernetes} with
 * ClusterIP the first address of the Service range, port https 443 → the API servers' port, labels component=apiserver
 * and provider=kubernetes; its Endpoints (one subset of the sorted API server IPs, labelled skip-mirror so that the
 * mirroring controller leaves it alone) and its EndpointSlice named {@code kubernetes} (labelled only with the service
 * name, as upstream's adapter writes it; no managed-by). Every 10 seconds, and on any change to them, whatever was
 * deleted or altered is put back. Upstream updates only the ports and type of an existing Service; so does this.
 */
public final class ApiServerEndpointsController implements Reconciler<ObjectKey> {
    public static final String NAME = "kubernetes-service-controller";
    public static final ObjectKey KEY = new ObjectKey("default", "kubernetes");
    /** Upstream's EndpointInterval and the kubernetesservice controller's reconcile interval. */
    public static final Duration INTERVAL = Duration.ofSeconds(10);

    static final Duration STALE_RETRY = Duration.ofMillis(100);
    private static final Logger LOG = Logger.getLogger(ApiServerEndpointsController.class);

    private final ControllerContext ctx;
    private final ApiEndpointsConfig config;
    private final SharedInformer<Service> services;
    private final SharedInformer<Endpoints> endpoints;
    private final SharedInformer<EndpointSlice> slices;
    private final WriteExpectations serviceWrites = new WriteExpectations();
    private final WriteExpectations endpointsWrites = new WriteExpectations();
    private final WriteExpectations sliceWrites = new WriteExpectations();

    public ApiServerEndpointsController(ControllerContext ctx, WorkQueue<ObjectKey> queue) {
        this(ctx, queue, ApiEndpointsConfig.DEFAULT);
    }

    public ApiServerEndpointsController(ControllerContext ctx, WorkQueue<ObjectKey> queue, ApiEndpointsConfig config) {
        this.ctx = ctx;
        this.config = config;
        this.services = ctx.informers().informer(Kinds.SERVICES);
        this.endpoints = ctx.informers().informer(Kinds.ENDPOINTS);
        this.slices = ctx.informers().informer(Kinds.ENDPOINT_SLICES);
        services.addEventHandler(ResourceEventHandler.onAny(o -> queueIfOurs(o, queue)));
        endpoints.addEventHandler(ResourceEventHandler.onAny(o -> queueIfOurs(o, queue)));
        slices.addEventHandler(ResourceEventHandler.onAny(s -> {
            if (KEY.namespace().equals(s.getMetadata().getNamespace())
                    && KEY.name().equals(s.getMetadata().getLabels().get(EndpointSliceController.LABEL_SERVICE_NAME))) {
                queue.add(KEY);
            }
        }));
        // Nothing else would start the first pass in an empty cluster.
        queue.add(KEY);
    }

    private static void queueIfOurs(HasMetadata o, WorkQueue<ObjectKey> queue) {
        if (KEY.equals(ObjectKey.of(o))) {
            queue.add(KEY);
        }
    }

    @Override
    public Result reconcile(ObjectKey key) {
        if (!KEY.equals(key)) {
            return Result.DONE;
        }
        if (!serviceWrites.satisfied(KEY, services)
                || !endpointsWrites.satisfied(KEY, endpoints)
                || !sliceWrites.satisfied(KEY, slices)) {
            return Result.requeueAfter(STALE_RETRY);
        }
        ensureService();
        ensureEndpoints();
        ensureSlice();
        return Result.requeueAfter(INTERVAL);
    }

    private List<ServicePort> servicePorts() {
        ServicePort port = new ServicePort();
        port.setName("https");
        port.setProtocol("TCP");
        port.setPort(config.servicePort());
        port.setTargetPort(new IntOrString(config.apiServerPort()));
        return new ArrayList<>(List.of(port));
    }

    private void ensureService() {
        ResourceClient<Service> client = ctx.api().resources(Kinds.SERVICES);
        Optional<Service> current = services.cache().get(KEY);
        if (current.isPresent()) {
            Service svc = current.get();
            if (portsCorrect(svc.getSpec().getPorts())
                    && "ClusterIP".equals(svc.getSpec().getType())) {
                return;
            }
            Service fixed = KubeJson.convert(KubeJson.tree(svc), Service.class);
            fixed.getSpec().setPorts(servicePorts());
            fixed.getSpec().setType("ClusterIP");
            LOG.warnf("Resetting master service %s to its ports and type", KEY);
            serviceWrites.wrote(KEY, client.update(fixed));
            return;
        }
        Service svc = new Service();
        ObjectMeta meta = new ObjectMeta();
        meta.setName(KEY.name());
        meta.setNamespace(KEY.namespace());
        meta.setLabels(new LinkedHashMap<>(Map.of("provider", "kubernetes", "component", "apiserver")));
        svc.setMetadata(meta);
        ServiceSpec spec = new ServiceSpec();
        spec.setPorts(servicePorts());
        spec.setClusterIP(config.clusterIP());
        spec.setIpFamilyPolicy("SingleStack");
        spec.setSessionAffinity("None");
        spec.setType("ClusterIP");
        svc.setSpec(spec);
        try {
            serviceWrites.wrote(KEY, client.create(svc));
        } catch (ApiError e) {
            if (!e.isAlreadyExists()) {
                throw e;
            }
        }
    }

    /** checkServiceFormat: the same ports by name, protocol, port and targetPort. */
    private boolean portsCorrect(List<ServicePort> ports) {
        List<ServicePort> want = servicePorts();
        if (ports.size() != want.size()) {
            return false;
        }
        for (int i = 0; i < ports.size(); i++) {
            ServicePort have = ports.get(i);
            ServicePort w = want.get(i);
            if (!Objects.equals(have.getName(), w.getName())
                    || !Objects.equals(Objects.toString(have.getProtocol(), "TCP"), w.getProtocol())
                    || !Objects.equals(have.getPort(), w.getPort())
                    || !SemanticJson.equal(have.getTargetPort(), w.getTargetPort())) {
                return false;
            }
        }
        return true;
    }

    private void ensureEndpoints() {
        EndpointSubset subset = new EndpointSubset();
        for (String ip : config.ips()) {
            EndpointAddress a = new EndpointAddress();
            a.setIp(ip);
            subset.getAddresses().add(a);
        }
        EndpointPort port = new EndpointPort();
        port.setName("https");
        port.setPort(config.apiServerPort());
        port.setProtocol("TCP");
        subset.getPorts().add(port);
        List<EndpointSubset> subsets = new ArrayList<>(List.of(subset));
        Map<String, String> labels = Map.of(EndpointSliceMirroringController.LABEL_SKIP_MIRROR, "true");

        ResourceClient<Endpoints> client = ctx.api().resources(Kinds.ENDPOINTS);
        Optional<Endpoints> current = endpoints.cache().get(KEY);
        if (current.isPresent()
                && SemanticJson.equal(current.get().getSubsets(), subsets)
                && SemanticJson.equal(current.get().getMetadata().getLabels(), labels)) {
            return;
        }
        Endpoints desired = current.map(e -> KubeJson.convert(KubeJson.tree(e), Endpoints.class))
                .orElseGet(() -> {
                    Endpoints e = new Endpoints();
                    ObjectMeta meta = new ObjectMeta();
                    meta.setName(KEY.name());
                    meta.setNamespace(KEY.namespace());
                    e.setMetadata(meta);
                    return e;
                });
        desired.getMetadata().setLabels(new LinkedHashMap<>(labels));
        desired.setSubsets(subsets);
        try {
            endpointsWrites.wrote(KEY, current.isPresent() ? client.update(desired) : client.create(desired));
        } catch (ApiError e) {
            if (!e.isAlreadyExists()) {
                throw e;
            }
        }
    }

    private void ensureSlice() {
        String addressType = config.ips().stream().allMatch(IPs::isIPv6) ? "IPv6" : "IPv4";
        List<Endpoint> eps = new ArrayList<>();
        for (String ip : config.ips()) {
            Endpoint e = new Endpoint();
            e.setAddresses(new ArrayList<>(List.of(ip)));
            EndpointConditions c = new EndpointConditions();
            c.setReady(true);
            e.setConditions(c);
            eps.add(e);
        }
        io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort port =
                new io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort();
        port.setName("https");
        port.setPort(config.apiServerPort());
        port.setProtocol("TCP");
        List<io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort> ports = new ArrayList<>(List.of(port));
        Map<String, String> labels = Map.of(EndpointSliceController.LABEL_SERVICE_NAME, KEY.name());

        ResourceClient<EndpointSlice> client = ctx.api().resources(Kinds.ENDPOINT_SLICES);
        EndpointSlice primary = null;
        for (EndpointSlice s : slices.cache().inNamespace(KEY.namespace())) {
            if (!KEY.name().equals(s.getMetadata().getLabels().get(EndpointSliceController.LABEL_SERVICE_NAME))) {
                continue;
            }
            if (KEY.name().equals(s.getMetadata().getName()) && addressType.equals(s.getAddressType())) {
                primary = s;
                continue;
            }
            // As upstream: any other slice of the kubernetes Service should not exist.
            try {
                client.delete(s.getMetadata().getNamespace(), s.getMetadata().getName());
                sliceWrites.deleted(KEY, s);
            } catch (ApiError e) {
                if (!e.isNotFound()) {
                    throw e;
                }
            }
        }
        if (primary != null
                && SemanticJson.equal(primary.getEndpoints(), eps)
                && SemanticJson.equal(primary.getPorts(), ports)
                && SemanticJson.equal(primary.getMetadata().getLabels(), labels)) {
            return;
        }
        EndpointSlice desired;
        if (primary != null) {
            desired = KubeJson.convert(KubeJson.tree(primary), EndpointSlice.class);
        } else {
            desired = new EndpointSlice();
            ObjectMeta meta = new ObjectMeta();
            meta.setName(KEY.name());
            meta.setNamespace(KEY.namespace());
            desired.setMetadata(meta);
        }
        desired.getMetadata().setLabels(new LinkedHashMap<>(labels));
        desired.setAddressType(addressType);
        desired.setEndpoints(eps);
        desired.setPorts(ports);
        try {
            sliceWrites.wrote(KEY, primary != null ? client.update(desired) : client.create(desired));
        } catch (ApiError e) {
            if (!e.isAlreadyExists()) {
                throw e;
            }
        }
    }
}
