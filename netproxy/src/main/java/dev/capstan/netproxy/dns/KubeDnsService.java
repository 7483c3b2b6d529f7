package dev.capstan.netproxy.dns;

import dev.capstan.client.ApiClient;
import dev.capstan.client.ApiError;
import dev.capstan.client.Kinds;
import dev.capstan.client.informer.ResourceEventHandler;
import dev.capstan.client.informer.SharedInformer;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPortBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import java.net.Inet4Address;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Keeps kube-system/kube-dns, the Service pods reach the cluster DNS at (the node agents' cluster-dns address), and
 * this node's EndpointSlice of it pointing at the DNS server: created when missing, put back when changed or deleted.
 * The Service has no selector: each netproxy owns the slice {@code kube-dns-<node>}, so the Service balances over
 * every node's server. Reads come from the informer caches; a pass runs on every change of those objects and
 * every {@code period}.
 */
public final class KubeDnsService implements AutoCloseable {
    public static final String NAMESPACE = "kube-system";
    public static final String NAME = "kube-dns";
    public static final String MANAGED_BY = "capstan-netproxy";
    private static final Logger LOG = Logger.getLogger(KubeDnsService.class);
    private static final Duration RETRY = Duration.ofSeconds(1);

    private final ApiClient api;
    private final SharedInformer<Service> services;
    private final SharedInformer<EndpointSlice> slices;
    private final String clusterIp;
    private final String nodeName;
    private final String nodeUid;
    private final String address;
    private final int port;
    private final Duration period;
    private final Semaphore wake = new Semaphore(0);
    private volatile boolean closed;
    private Thread loop;

    /**
     * Where this node's DNS server listens: the slice's endpoint. With the Node's UID the slice is owned by the Node,
     * so that the garbage collector deletes it with the Node and the Service stops sending queries there.
     */
    public record Endpoint(String nodeName, Optional<String> nodeUid, String address, int port) {}

    /** @param clusterIp the Service's ClusterIP (capstan.netproxy.dns-service-ip) */
    public KubeDnsService(
            ApiClient api,
            SharedInformer<Service> services,
            SharedInformer<EndpointSlice> slices,
            String clusterIp,
            Endpoint endpoint,
            Duration period) {
        this.api = api;
        this.services = services;
        this.slices = slices;
        this.clusterIp = clusterIp;
        this.nodeName = endpoint.nodeName();
        this.nodeUid = endpoint.nodeUid().orElse(null);
        this.address = endpoint.address();
        this.port = endpoint.port();
        this.period = period;
    }

    public synchronized void start() {
        services.addEventHandler(ResourceEventHandler.onAny(s -> {
            if (NAMESPACE.equals(s.getMetadata().getNamespace())
                    && NAME.equals(s.getMetadata().getName())) {
                wake.release();
            }
        }));
        slices.addEventHandler(ResourceEventHandler.onAny(s -> {
            if (NAMESPACE.equals(s.getMetadata().getNamespace())
                    && sliceName().equals(s.getMetadata().getName())) {
                wake.release();
            }
        }));
        loop = Thread.ofVirtual().name("kube-dns-service").start(this::run);
    }

    private void run() {
        while (!closed) {
            Duration next = period;
            try {
                ensure();
            } catch (RuntimeException e) {
                LOG.warnf("kube-system/kube-dns: %s; trying again", e.getMessage());
                next = RETRY;
            }
            try {
                if (wake.tryAcquire(next.toMillis(), TimeUnit.MILLISECONDS)) {
                    wake.drainPermits();
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** One pass: the namespace if missing, then the Service, then this node's slice. */
    void ensure() {
        Service current = services.cache().get(NAMESPACE, NAME).orElse(null);
        if (current == null) {
            ensureNamespace();
            createIgnoringConflict(() -> api.resources(Kinds.SERVICES).create(desiredService()));
        } else if (!sameService(current)) {
            Service update = new ServiceBuilder(current)
                    .editMetadata()
                    .addToLabels(serviceLabels())
                    .endMetadata()
                    .editSpec()
                    .withSelector(null)
                    .withPorts(desiredService().getSpec().getPorts())
                    .endSpec()
                    .build();
            api.resources(Kinds.SERVICES).update(update);
        }
        if (current != null && !clusterIp.equals(current.getSpec().getClusterIP())) {
            LOG.warnf(
                    "kube-system/kube-dns has ClusterIP %s, pods are told %s (a ClusterIP cannot change: delete the"
                            + " Service to have it made again)",
                    current.getSpec().getClusterIP(), clusterIp);
        }
        EndpointSlice desired = desiredSlice();
        EndpointSlice slice = slices.cache().get(NAMESPACE, sliceName()).orElse(null);
        if (slice == null) {
            createIgnoringConflict(() -> api.resources(Kinds.ENDPOINT_SLICES).create(desired));
        } else if (!summary(slice).equals(summary(desired))) {
            api.resources(Kinds.ENDPOINT_SLICES)
                    .update(new EndpointSliceBuilder(desired)
                            .editMetadata()
                            .withResourceVersion(slice.getMetadata().getResourceVersion())
                            .endMetadata()
                            .build());
        }
    }

    private void ensureNamespace() {
        if (api.resources(Kinds.NAMESPACES).get("", NAMESPACE).isEmpty()) {
            Namespace ns = new NamespaceBuilder()
                    .withNewMetadata()
                    .withName(NAMESPACE)
                    .endMetadata()
                    .build();
            createIgnoringConflict(() -> api.resources(Kinds.NAMESPACES).create(ns));
        }
    }

    private static void createIgnoringConflict(Runnable create) {
        try {
            create.run();
        } catch (ApiError e) {
            if (!e.isAlreadyExists()) {
                throw e;
            }
        }
    }

    private boolean sameService(Service s) {
        var labels = s.getMetadata().getLabels();
        return labels != null
                && labels.entrySet().containsAll(serviceLabels().entrySet())
                && (s.getSpec().getSelector() == null
                        || s.getSpec().getSelector().isEmpty())
                && portSummary(s).equals(portSummary(desiredService()));
    }

    /**
     * What this loop owns in a slice, in a form the API server's defaulting does not change (comparing whole
     * objects would update on every pass, and every update wakes the next pass).
     */
    private static String summary(EndpointSlice slice) {
        var labels = slice.getMetadata().getLabels() == null
                ? Map.<String, String>of()
                : slice.getMetadata().getLabels();
        StringBuilder out = new StringBuilder(slice.getAddressType()).append('|');
        sliceLabels()
                .forEach((k, v) ->
                        out.append(k).append('=').append(labels.get(k)).append(','));
        for (var e : slice.getEndpoints() == null
                ? List.<io.fabric8.kubernetes.api.model.discovery.v1.Endpoint>of()
                : slice.getEndpoints()) {
            boolean ready = e.getConditions() == null
                    || !Boolean.FALSE.equals(e.getConditions().getReady());
            out.append('|').append(e.getAddresses()).append(ready).append(e.getNodeName());
        }
        for (var p : slice.getPorts() == null
                ? List.<io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort>of()
                : slice.getPorts()) {
            out.append('|').append(p.getName()).append(p.getPort()).append(p.getProtocol());
        }
        return out.toString();
    }

    private static String portSummary(Service service) {
        StringBuilder out = new StringBuilder();
        for (var p : service.getSpec().getPorts() == null
                ? List.<io.fabric8.kubernetes.api.model.ServicePort>of()
                : service.getSpec().getPorts()) {
            out.append('|').append(p.getName()).append(p.getPort()).append(p.getProtocol());
            out.append(p.getTargetPort() == null ? null : p.getTargetPort().getIntVal());
        }
        return out.toString();
    }

    /** As upstream's kube-dns Service (CoreDNS's deployment), without a selector and without the metrics port. */
    Service desiredService() {
        return new ServiceBuilder()
                .withNewMetadata()
                .withNamespace(NAMESPACE)
                .withName(NAME)
                .withLabels(serviceLabels())
                .endMetadata()
                .withNewSpec()
                .withType("ClusterIP")
                .withClusterIP(clusterIp)
                .withPorts(
                        new ServicePortBuilder()
                                .withName("dns")
                                .withPort(53)
                                .withProtocol("UDP")
                                .withTargetPort(new IntOrString(port))
                                .build(),
                        new ServicePortBuilder()
                                .withName("dns-tcp")
                                .withPort(53)
                                .withProtocol("TCP")
                                .withTargetPort(new IntOrString(port))
                                .build())
                .endSpec()
                .build();
    }

    EndpointSlice desiredSlice() {
        boolean v4 =
                IpLiterals.parse(address).map(ip -> ip instanceof Inet4Address).orElse(true);
        return new EndpointSliceBuilder()
                .withNewMetadata()
                .withNamespace(NAMESPACE)
                .withName(sliceName())
                .withLabels(sliceLabels())
                .withOwnerReferences(
                        nodeUid == null
                                ? List.of()
                                : List.of(new OwnerReferenceBuilder()
                                        .withApiVersion("v1")
                                        .withKind("Node")
                                        .withName(nodeName)
                                        .withUid(nodeUid)
                                        .build()))
                .endMetadata()
                .withAddressType(v4 ? "IPv4" : "IPv6")
                .withEndpoints(new EndpointBuilder()
                        .withAddresses(address)
                        .withNewConditions()
                        .withReady(true)
                        .withServing(true)
                        .withTerminating(false)
                        .endConditions()
                        .withNodeName(nodeName)
                        .build())
                .withPorts(
                        new EndpointPortBuilder()
                                .withName("dns")
                                .withPort(port)
                                .withProtocol("UDP")
                                .build(),
                        new EndpointPortBuilder()
                                .withName("dns-tcp")
                                .withPort(port)
                                .withProtocol("TCP")
                                .build())
                .build();
    }

    /** {@code kube-dns-<node>}, cut to the 253 characters a name may have. */
    String sliceName() {
        String name = NAME + "-" + nodeName;
        return name.length() <= 253 ? name : name.substring(0, 253);
    }

    private static Map<String, String> serviceLabels() {
        return Map.of(
                "k8s-app", "kube-dns",
                "kubernetes.io/name", "CoreDNS",
                "kubernetes.io/cluster-service", "true");
    }

    private static Map<String, String> sliceLabels() {
        return Map.of(
                InformerClusterState.SERVICE_NAME_LABEL, NAME, "endpointslice.kubernetes.io/managed-by", MANAGED_BY);
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (loop != null) {
            loop.interrupt();
            try {
                loop.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
