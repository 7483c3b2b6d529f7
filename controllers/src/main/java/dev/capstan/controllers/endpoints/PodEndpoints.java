package dev.capstan.controllers.endpoints;

import dev.capstan.client.informer.Indexer;
import dev.capstan.client.informer.ResourceEventHandler;
import dev.capstan.client.workqueue.WorkQueue;
import dev.capstan.model.labels.LabelSelector;
import dev.capstan.model.meta.ObjectKey;
import dev.capstan.model.pod.PodConditions;
import dev.capstan.model.pod.Sidecars;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Which pods back a Service and how, as upstream's {@code pkg/controller/util/endpoint} and {@code
 * k8s.io/endpointslice/util} decide it, shared by the endpoints and EndpointSlice controllers.
 */
public final class PodEndpoints {
    /** Label on the Endpoints and slices of a Service without a cluster IP. */
    public static final String HEADLESS_LABEL = "service.kubernetes.io/headless";
    /** When the last change that this Endpoints object reflects happened (RFC 3339 with nanoseconds). */
    public static final String LAST_CHANGE_TRIGGER_TIME = "endpoints.kubernetes.io/last-change-trigger-time";
    /** Set to "truncated" when a Service has more than 1000 endpoints. */
    public static final String OVER_CAPACITY = "endpoints.kubernetes.io/over-capacity";
    /** Endpoints of leader election records carry it; nobody manages them. */
    public static final String LEADER_ANNOTATION = "control-plane.alpha.kubernetes.io/leader";

    private PodEndpoints() {}

    /** The Ready condition's last transition, the pod's trigger time; null when it has none. */
    public static String readyTransitionTime(Pod pod) {
        if (pod.getStatus() == null) {
            return null;
        }
        for (PodCondition c : pod.getStatus().getConditions()) {
            if ("Ready".equals(c.getType())) {
                return c.getLastTransitionTime();
            }
        }
        return null;
    }

    public static boolean isTerminal(Pod pod) {
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        return "Succeeded".equals(phase) || "Failed".equals(phase);
    }

    public static boolean isTerminating(Pod pod) {
        return pod.getMetadata().getDeletionTimestamp() != null;
    }

    /** ShouldPodBeInEndpoints: not terminal, has an IP, and not terminating unless {@code includeTerminating}. */
    public static boolean shouldBeInEndpoints(Pod pod, boolean includeTerminating) {
        if (isTerminal(pod) || podIPs(pod).isEmpty()) {
            return false;
        }
        return includeTerminating || !isTerminating(pod);
    }

    /** status.podIPs, or status.podIP where a server left podIPs empty. */
    public static List<String> podIPs(Pod pod) {
        List<String> ips = new ArrayList<>();
        if (pod.getStatus() == null) {
            return ips;
        }
        for (PodIP ip : pod.getStatus().getPodIPs()) {
            if (ip.getIp() != null && !ip.getIp().isEmpty()) {
                ips.add(ip.getIp());
            }
        }
        String single = pod.getStatus().getPodIP();
        if (ips.isEmpty() && single != null && !single.isEmpty()) {
            ips.add(single);
        }
        return ips;
    }

    public static String protocol(ServicePort port) {
        return port.getProtocol() == null || port.getProtocol().isEmpty() ? "TCP" : port.getProtocol();
    }

    /**
     * FindPort: a numeric targetPort as is; a named one looked up among the pod's containers (then its sidecars, init
     * containers with restartPolicy Always) with the same protocol. An unset targetPort defaults to the port, as the
     * API server's defaulting would have made it.
     */
    public static OptionalInt findPort(Pod pod, ServicePort port) {
        IntOrString target = port.getTargetPort();
        if (target == null || (target.getIntVal() == null && target.getStrVal() == null)) {
            return port.getPort() == null ? OptionalInt.empty() : OptionalInt.of(port.getPort());
        }
        if (target.getIntVal() != null) {
            return OptionalInt.of(target.getIntVal());
        }
        String name = target.getStrVal();
        String protocol = protocol(port);
        for (Container c : pod.getSpec().getContainers()) {
            OptionalInt found = named(c, name, protocol);
            if (found.isPresent()) {
                return found;
            }
        }
        for (Container c : pod.getSpec().getInitContainers()) {
            if (Sidecars.isSidecar(c)) {
                OptionalInt found = named(c, name, protocol);
                if (found.isPresent()) {
                    return found;
                }
            }
        }
        return OptionalInt.empty();
    }

    private static OptionalInt named(Container c, String name, String protocol) {
        for (ContainerPort p : c.getPorts()) {
            String proto = p.getProtocol() == null || p.getProtocol().isEmpty() ? "TCP" : p.getProtocol();
            if (name.equals(p.getName()) && protocol.equals(proto) && p.getContainerPort() != null) {
                return OptionalInt.of(p.getContainerPort());
            }
        }
        return OptionalInt.empty();
    }

    /** ShouldSetHostname: the pod names a hostname and its subdomain is this Service, in the same namespace. */
    public static boolean shouldSetHostname(Pod pod, Service service) {
        String hostname = pod.getSpec().getHostname();
        return hostname != null
                && !hostname.isEmpty()
                && service.getMetadata().getName().equals(pod.getSpec().getSubdomain())
                && Objects.equals(
                        service.getMetadata().getNamespace(), pod.getMetadata().getNamespace());
    }

    /** IsServiceIPSet: a cluster IP that is neither empty nor "None". */
    public static boolean isServiceIPSet(Service service) {
        String ip = service.getSpec().getClusterIP();
        return ip != null && !ip.isEmpty() && !ip.equals("None");
    }

    public static boolean isHeadless(Service service) {
        return "None".equals(service.getSpec().getClusterIP());
    }

    public static boolean isExternalName(Service service) {
        return "ExternalName".equals(service.getSpec().getType());
    }

    /**
     * Whether the Service selects pods. An empty selector counts as none: it cannot be told from an absent one once
     * it has been through the API's protobuf encoding, and upstream's controllers see it as nil there too.
     */
    public static boolean hasSelector(Service service) {
        Map<String, String> selector = service.getSpec().getSelector();
        return selector != null && !selector.isEmpty();
    }

    /** The pods in the Service's namespace that its selector matches, sorted by name so that output is stable. */
    public static List<Pod> selectedPods(Indexer<Pod> pods, Service service) {
        LabelSelector selector = LabelSelector.fromSet(service.getSpec().getSelector());
        List<Pod> out = new ArrayList<>();
        for (Pod pod : pods.inNamespace(service.getMetadata().getNamespace())) {
            if (selector.matches(pod.getMetadata().getLabels())) {
                out.add(pod);
            }
        }
        out.sort(Comparator.comparing(p -> p.getMetadata().getName()));
        return out;
    }

    /**
     * The pod handler of the controllers that follow Services' selectors: every change of a pod enqueues the
     * Services that select it (before and after, for an update).
     */
    public static ResourceEventHandler<Pod> enqueueSelectingServices(
            Indexer<Service> services, WorkQueue<ObjectKey> queue) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(Pod pod) {
                servicesSelecting(services, pod).forEach(queue::add);
            }

            @Override
            public void onUpdate(Pod old, Pod cur) {
                servicesToUpdateOnPodChange(services, old, cur).forEach(queue::add);
            }

            @Override
            public void onDelete(Pod pod) {
                servicesSelecting(services, pod).forEach(queue::add);
            }
        };
    }

    /** GetPodServiceMemberships: the Services with a selector, in the pod's namespace, that select it. */
    public static Set<ObjectKey> servicesSelecting(Indexer<Service> services, Pod pod) {
        Set<ObjectKey> keys = new LinkedHashSet<>();
        for (Service service : services.inNamespace(pod.getMetadata().getNamespace())) {
            if (hasSelector(service)
                    && LabelSelector.fromSet(service.getSpec().getSelector())
                            .matches(pod.getMetadata().getLabels())) {
                keys.add(ObjectKey.of(service));
            }
        }
        return keys;
    }

    /**
     * GetServicesToUpdateOnPodChange: nothing on a resync (same resourceVersion) or when nothing an endpoint shows
     * changed; the Services of the old and the new labels when labels, hostname or subdomain changed; else the new.
     */
    public static Set<ObjectKey> servicesToUpdateOnPodChange(Indexer<Service> services, Pod old, Pod cur) {
        if (Objects.equals(
                old.getMetadata().getResourceVersion(), cur.getMetadata().getResourceVersion())) {
            return Set.of();
        }
        boolean labelsChanged = !Objects.equals(
                        old.getMetadata().getLabels(), cur.getMetadata().getLabels())
                || !Objects.equals(old.getSpec().getHostname(), cur.getSpec().getHostname())
                || !Objects.equals(old.getSpec().getSubdomain(), cur.getSpec().getSubdomain());
        boolean podChanged = !Objects.equals(
                        old.getMetadata().getDeletionTimestamp(),
                        cur.getMetadata().getDeletionTimestamp())
                || PodConditions.isReady(old) != PodConditions.isReady(cur)
                || isTerminal(old) != isTerminal(cur)
                || !podIPs(old).equals(podIPs(cur));
        if (!podChanged && !labelsChanged) {
            return Set.of();
        }
        Set<ObjectKey> keys = new LinkedHashSet<>(servicesSelecting(services, cur));
        if (labelsChanged) {
            Set<ObjectKey> before = servicesSelecting(services, old);
            if (podChanged) {
                keys.addAll(before);
            } else {
                // determineNeededServiceUpdates: only the Services the pod joined or left
                Set<ObjectKey> changed = new LinkedHashSet<>();
                for (ObjectKey k : keys) {
                    if (!before.contains(k)) {
                        changed.add(k);
                    }
                }
                for (ObjectKey k : before) {
                    if (!keys.contains(k)) {
                        changed.add(k);
                    }
                }
                // a hostname change matters to the Services the pod stays in, too
                if (!Objects.equals(old.getSpec().getHostname(), cur.getSpec().getHostname())
                        || !Objects.equals(
                                old.getSpec().getSubdomain(), cur.getSpec().getSubdomain())) {
                    changed.addAll(keys);
                }
                return changed;
            }
        }
        return keys;
    }
}
