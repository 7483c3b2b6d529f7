package dev.capstan.netproxy.proxy;

import dev.capstan.netproxy.proxy.EndpointSelection.Categorized;
import dev.capstan.netproxy.proxy.EndpointSelection.Endpoint;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServiceSpec;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Services and EndpointSlices to a {@link Ruleset}: a pure function, as upstream's syncProxyRules without its
 * side effects. Per service port: the ClusterIP (and externalIPs, LoadBalancer IPs = this node's addresses, the
 * NodePort) go to the service's chains through the verdict maps; a port without usable endpoints goes to the
 * no-endpoint maps instead (reject, or drop when only a Local policy leaves it without endpoints).
 */
public final class ProxyRenderer {
    static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";
    static final String MARK_MASQ = "jump mark-for-masquerade";
    private static final int DEFAULT_AFFINITY_SECONDS = 10800;

    private ProxyRenderer() {}

    /** The whole table as an nft script that replaces it in one transaction. */
    public static String render(ProxyInputs inputs, ProxySettings settings) {
        return NftScripts.full(ruleset(inputs, settings), settings);
    }

    static Ruleset ruleset(ProxyInputs inputs, ProxySettings settings) {
        return merge(parts(inputs, settings, Map.of()));
    }

    /**
     * One Service's part of the table, and what it was rendered from: the Service and its slices (sorted by name).
     * The part is never changed after it was rendered.
     */
    record ServicePart(Service service, List<EndpointSlice> slices, Ruleset rules) {
        /** fabric8's equals answers at once for the same object: the usual case for an unchanged Service. */
        boolean renderedFrom(Service s, List<EndpointSlice> sl) {
            return service.equals(s) && slices.equals(sl);
        }
    }

    /**
     * Each proxied Service's part, by namespace/name in that order, reusing the part rendered last time from an
     * equal Service and equal slices ({@code previous}, which must come from the same settings, node name and node
     * addresses): rendering 1,000 Services costs milliseconds, and an unchanged part is the same object, which the
     * diffs then pass over at once.
     */
    static Map<String, ServicePart> parts(
            ProxyInputs inputs, ProxySettings settings, Map<String, ServicePart> previous) {
        Map<String, List<EndpointSlice>> slicesByService = new HashMap<>();
        for (EndpointSlice slice : inputs.endpointSlices()) {
            Map<String, String> labels = slice.getMetadata().getLabels();
            String service = labels == null ? null : labels.get(SERVICE_NAME_LABEL);
            if (service != null) {
                slicesByService
                        .computeIfAbsent(slice.getMetadata().getNamespace() + "/" + service, k -> new ArrayList<>())
                        .add(slice);
            }
        }
        List<Service> services = new ArrayList<>(inputs.services());
        services.sort(Comparator.comparing((Service s) -> s.getMetadata().getNamespace())
                .thenComparing(s -> s.getMetadata().getName()));
        Map<String, ServicePart> parts = new LinkedHashMap<>();
        for (Service service : services) {
            ServiceSpec spec = service.getSpec();
            if (spec == null || !isIpv4(spec.getClusterIP()) || spec.getPorts() == null) {
                continue; // headless, ExternalName, or not IPv4: nothing to proxy
            }
            String key = service.getMetadata().getNamespace() + "/"
                    + service.getMetadata().getName();
            List<EndpointSlice> slices = new ArrayList<>(slicesByService.getOrDefault(key, List.of()));
            slices.sort(Comparator.comparing(s -> s.getMetadata().getName()));
            ServicePart part = previous.get(key);
            if (part == null || !part.renderedFrom(service, slices)) {
                Ruleset rules = Ruleset.empty();
                for (ServicePort port : spec.getPorts()) {
                    servicePort(rules, settings, inputs, service, port, slices);
                }
                part = new ServicePart(service, slices, rules);
            }
            parts.put(key, part);
        }
        return parts;
    }

    /** The parts, in their order, as one ruleset: for two Services claiming one address and port, the first wins. */
    static Ruleset merge(Map<String, ServicePart> parts) {
        Ruleset ruleset = Ruleset.empty();
        parts.values().forEach(part -> ruleset.add(part.rules()));
        return ruleset;
    }

    private static void servicePort(
            Ruleset r,
            ProxySettings settings,
            ProxyInputs inputs,
            Service service,
            ServicePort port,
            List<EndpointSlice> slices) {
        ServiceSpec spec = service.getSpec();
        String proto = Objects.requireNonNullElse(port.getProtocol(), "TCP").toLowerCase(Locale.ROOT);
        String name = ChainNames.servicePort(
                service.getMetadata().getNamespace(), service.getMetadata().getName(), proto, port.getName());
        Categorized endpoints = EndpointSelection.categorize(port, slices, inputs.nodeName());
        boolean itpLocal = "Local".equals(spec.getInternalTrafficPolicy());
        boolean etpLocal = "Local".equals(spec.getExternalTrafficPolicy());
        String type = Objects.requireNonNullElse(spec.getType(), "ClusterIP");
        boolean loadBalancer = "LoadBalancer".equals(type);
        Integer nodePort = ("NodePort".equals(type) || loadBalancer) ? port.getNodePort() : null;
        Set<String> externalIps = new LinkedHashSet<>();
        if (spec.getExternalIPs() != null) {
            spec.getExternalIPs().stream().filter(ProxyRenderer::isIpv4).forEach(externalIps::add);
        }
        if (loadBalancer) {
            externalIps.addAll(inputs.nodeAddresses()); // no cloud: the node's addresses are the LB's (ServiceLB)
        }
        boolean externallyAccessible = nodePort != null || !externalIps.isEmpty();

        String clusterChain = ChainNames.service(name);
        String localChain = ChainNames.local(name);
        String externalChain = ChainNames.external(name);
        boolean hasAny = endpoints.hasAny();
        // Cluster endpoints serve Local-policy services too: pod and host traffic short-circuits to them
        boolean usesCluster = hasAny && (!itpLocal || externallyAccessible);
        boolean usesLocal = !endpoints.local().isEmpty() && (itpLocal || (externallyAccessible && etpLocal));
        String internalChain = itpLocal ? localChain : clusterChain;
        boolean hasInternal = hasAny && (!itpLocal || !endpoints.local().isEmpty());
        String externalPolicyChain = etpLocal ? localChain : clusterChain;
        boolean hasExternal = hasAny && (!etpLocal || !endpoints.local().isEmpty());
        String internalFilter = !hasAny ? "goto reject-chain" : "drop";
        String externalFilter = internalFilter;
        int servicePort = port.getPort();

        String clusterIp = spec.getClusterIP();
        r.clusterIps().add(clusterIp);
        String vipKey = clusterIp + " . " + proto + " . " + servicePort;
        if (hasInternal) {
            r.putElement(Ruleset.SERVICE_IPS, vipKey, "goto " + internalChain);
        } else {
            r.putElement(Ruleset.NO_ENDPOINT_SERVICES, vipKey, internalFilter);
        }
        for (String ip : externalIps) {
            String ipKey = ip + " . " + proto + " . " + servicePort;
            if (hasAny) {
                r.putElement(Ruleset.SERVICE_IPS, ipKey, "goto " + externalChain);
            }
            if (!hasExternal) {
                r.putElement(Ruleset.NO_ENDPOINT_SERVICES, ipKey, externalFilter);
            }
        }
        if (nodePort != null) {
            String portKey = proto + " . " + nodePort;
            if (hasAny) {
                r.putElement(Ruleset.SERVICE_NODEPORTS, portKey, "goto " + externalChain);
            }
            if (!hasExternal) {
                r.putElement(Ruleset.NO_ENDPOINT_NODEPORTS, portKey, externalFilter);
            }
        }

        Integer affinity = null;
        if ("ClientIP".equals(spec.getSessionAffinity())) {
            var config = spec.getSessionAffinityConfig();
            affinity = config != null
                            && config.getClientIP() != null
                            && config.getClientIP().getTimeoutSeconds() != null
                    ? config.getClientIP().getTimeoutSeconds()
                    : DEFAULT_AFFINITY_SECONDS;
        }
        // off-node clients of the ClusterIP are masqueraded: the endpoint may be on another node (upstream)
        String masqueradeVip = hasInternal
                ? "ip daddr " + clusterIp + " " + proto + " dport " + servicePort + " " + settings.ifNotLocal() + " "
                        + MARK_MASQ
                : null;
        if (usesCluster) {
            policyChain(
                    r,
                    clusterChain,
                    name,
                    endpoints.cluster(),
                    affinity,
                    proto,
                    clusterChain.equals(internalChain) ? masqueradeVip : null);
        }
        if (usesLocal) {
            policyChain(
                    r,
                    localChain,
                    name,
                    endpoints.local(),
                    affinity,
                    proto,
                    localChain.equals(internalChain) ? masqueradeVip : null);
        }
        if (hasAny && externallyAccessible) {
            List<String> rules = new ArrayList<>();
            if (!etpLocal) {
                rules.add(MARK_MASQ); // endpoints may be on other nodes: masquerade so that replies come back here
            } else {
                rules.add(settings.ifLocal() + " goto " + clusterChain + " comment \"short-circuit pod traffic\"");
                rules.add("fib saddr type local " + MARK_MASQ + " comment \"masquerade local traffic\"");
                rules.add("fib saddr type local goto " + clusterChain + " comment \"short-circuit local traffic\"");
            }
            if (hasExternal) {
                rules.add("goto " + externalPolicyChain);
            }
            r.chains().put(externalChain, rules);
        }
    }

    /** A service or local chain: masquerade off-node VIP traffic, stick to the affine endpoint, else pick one. */
    private static void policyChain(
            Ruleset r,
            String chain,
            String name,
            List<Endpoint> endpoints,
            Integer affinity,
            String proto,
            String masqueradeVip) {
        List<String> rules = new ArrayList<>();
        if (masqueradeVip != null) {
            rules.add(masqueradeVip);
        }
        List<String> picks = new ArrayList<>();
        for (int i = 0; i < endpoints.size(); i++) {
            Endpoint ep = endpoints.get(i);
            String endpointChain = ChainNames.endpoint(name, ep.ip(), ep.port());
            if (affinity != null) {
                String set = ChainNames.affinity(name, ep.ip(), ep.port());
                rules.add("ip saddr @" + set + " goto " + endpointChain);
                r.affinitySets().put(set, affinity);
            }
            picks.add("goto " + endpointChain);
            List<String> endpointRules = new ArrayList<>();
            endpointRules.add("ip saddr " + ep.ip() + " " + MARK_MASQ); // hairpin: a pod reaching itself
            if (affinity != null) {
                endpointRules.add("update @" + ChainNames.affinity(name, ep.ip(), ep.port()) + " { ip saddr }");
            }
            endpointRules.add("meta l4proto " + proto + " dnat to " + ep.ip() + ":" + ep.port());
            r.chains().put(endpointChain, endpointRules);
        }
        // a named map, not an inline one: the kernel binds each anonymous set by walking the whole transaction, which
        // made a full sync of 1,000 Services quadratic (docs/benchmarks.md, "Single-machine cluster")
        String map = ChainNames.endpointMap(chain);
        rules.add("numgen random mod " + endpoints.size() + " vmap @" + map);
        r.endpointMaps().put(map, picks);
        r.chains().put(chain, rules);
    }

    static boolean isIpv4(String ip) {
        return ip != null && ip.matches("\\d{1,3}(\\.\\d{1,3}){3}");
    }
}
