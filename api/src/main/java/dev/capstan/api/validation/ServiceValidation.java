package dev.capstan.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.capstan.model.json.JsonReads;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** ValidateService / ValidateServiceUpdate of core validation, plus the node port range the allocator enforces. */
final class ServiceValidation {
    private ServiceValidation() {}

    private static final List<String> TYPES = List.of("ClusterIP", "ExternalName", "LoadBalancer", "NodePort");
    private static final List<String> AFFINITIES = List.of("ClientIP", "None");
    private static final int KUBELET_PORT = 10250;
    private static final int MAX_AFFINITY_SECONDS = 86400;
    private static final String TOPOLOGY_MODE = "service.kubernetes.io/topology-mode";
    private static final String TOPOLOGY_HINTS = "service.kubernetes.io/topology-aware-hints";
    private static final String SOURCE_RANGES_ANNOTATION = "service.beta.kubernetes.io/load-balancer-source-ranges";

    /**
     * Node ports outside the server's range fail allocation, which upstream runs before validation and which
     * stops at the first bad port. Ports already held by the old object are not re-allocated. Returns true when
     * such an error was added and validation should stop.
     */
    static boolean nodePortRange(JsonNode svc, JsonNode old, int min, int max, Errors errs) {
        Set<Long> held = new HashSet<>();
        JsonReads.items(JsonReads.obj(old, "spec"), "ports").forEach(p -> held.add(JsonReads.numOr(p, 0, "nodePort")));
        List<JsonNode> ports = JsonReads.items(JsonReads.obj(svc, "spec"), "ports");
        for (int i = 0; i < ports.size(); i++) {
            long np = JsonReads.numOr(ports.get(i), 0, "nodePort");
            if (np != 0 && !held.contains(np) && (np < min || np > max)) {
                errs.invalid(
                        "spec.ports[" + i + "].nodePort",
                        np,
                        "provided port is not in the valid range. The " + "range of valid ports is " + min + "-" + max);
                return true;
            }
        }
        return false;
    }

    /**
     * The update-only part of ValidateServiceUpdate, which then runs the whole create validation: cluster IPs and IP
     * families may only gain or drop a secondary entry, the load balancer class and the health check node port stay.
     */
    static void update(JsonNode svc, JsonNode old, Errors errs) {
        JsonNode spec = JsonReads.obj(svc, "spec");
        JsonNode oldSpec = JsonReads.obj(old, "spec");
        ServiceIpUpdates.clusterIPs(spec, oldSpec, errs);
        ServiceIpUpdates.ipFamilies(spec, oldSpec, errs);
        String type = JsonReads.str(spec, "type");
        if (type.equals("LoadBalancer")
                && JsonReads.str(oldSpec, "type").equals("LoadBalancer")
                && (JsonReads.has(spec, "loadBalancerClass") != JsonReads.has(oldSpec, "loadBalancerClass")
                        || !JsonReads.str(spec, "loadBalancerClass")
                                .equals(JsonReads.str(oldSpec, "loadBalancerClass")))) {
            errs.invalid(
                    "spec.loadBalancerClass",
                    JsonReads.has(spec, "loadBalancerClass") ? JsonReads.str(spec, "loadBalancerClass") : null,
                    "may not change once set");
        }
        loadBalancerClass(spec, type, errs);
        if (needsHealthCheck(spec)
                && needsHealthCheck(oldSpec)
                && JsonReads.numOr(spec, 0, "healthCheckNodePort")
                        != JsonReads.numOr(oldSpec, 0, "healthCheckNodePort")) {
            errs.forbidden("spec.healthCheckNodePort", "field is immutable");
        }
    }

    private static boolean needsHealthCheck(JsonNode spec) {
        return JsonReads.str(spec, "type").equals("LoadBalancer")
                && JsonReads.str(spec, "externalTrafficPolicy").equals("Local");
    }

    /** ValidateService without its metadata. */
    static void validate(JsonNode svc, Errors errs) {
        JsonNode spec = JsonReads.obj(svc, "spec");
        String type = JsonReads.str(spec, "type");
        List<String> clusterIPs = clusterIPs(spec);
        boolean headless = clusterIPs.size() == 1 && clusterIPs.get(0).equals("None");
        JsonNode annotations = JsonReads.obj(svc, "metadata", "annotations");
        String mode = JsonReads.str(annotations, TOPOLOGY_MODE);
        if (JsonReads.has(annotations, TOPOLOGY_MODE)
                && JsonReads.has(annotations, TOPOLOGY_HINTS)
                && !mode.equals(JsonReads.str(annotations, TOPOLOGY_HINTS))) {
            errs.invalid(
                    Errors.key("metadata.annotations", TOPOLOGY_MODE),
                    mode,
                    "must match annotations[" + TOPOLOGY_HINTS + "] when both are specified");
        }
        List<JsonNode> ports = JsonReads.items(spec, "ports");
        if (ports.isEmpty() && !headless && !type.equals("ExternalName")) {
            errs.required("spec.ports", "");
        }
        switch (type) {
            case "LoadBalancer" -> {
                for (int i = 0; i < ports.size(); i++) {
                    long port = JsonReads.numOr(ports.get(i), 0, "port");
                    if (port == KUBELET_PORT) {
                        errs.invalid(
                                Errors.index("spec.ports", i),
                                port,
                                "may not expose port 10250 externally " + "since it is used by kubelet");
                    }
                }
                if (headless) {
                    errs.invalid("spec.clusterIPs[0]", "None", "may not be set to 'None' for LoadBalancer services");
                }
            }
            case "NodePort" -> {
                if (headless) {
                    errs.invalid("spec.clusterIPs[0]", "None", "may not be set to 'None' for NodePort services");
                }
            }
            case "ExternalName" -> externalName(spec, clusterIPs, errs);
            default -> {}
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < ports.size(); i++) {
            port(ports.get(i), ports.size() > 1, names, Errors.index("spec.ports", i), errs);
        }
        if (JsonReads.has(spec, "selector")) {
            MetadataValidation.labels(JsonReads.obj(spec, "selector"), "spec.selector", errs);
        }
        sessionAffinity(spec, errs);
        clusterIPsRelated(spec, type, clusterIPs, headless, errs);
        List<String> externalIPs = JsonReads.strings(spec, "externalIPs");
        for (int i = 0; i < externalIPs.size(); i++) {
            Net.nonSpecialIp(externalIPs.get(i), Errors.index("spec.externalIPs", i), errs);
        }
        PodValidation.enumField(type, TYPES, "spec.type", errs);
        portCollisions(ports, type, errs);
        sourceRanges(spec, annotations, type, errs);
        if (JsonReads.has(spec, "allocateLoadBalancerNodePorts") && !type.equals("LoadBalancer")) {
            errs.forbidden("spec.allocateLoadBalancerNodePorts", "may only be used when `type` is 'LoadBalancer'");
        }
        if (type.equals("LoadBalancer") && !JsonReads.has(spec, "allocateLoadBalancerNodePorts")) {
            // upstream reports this path without the "spec." prefix
            errs.required("allocateLoadBalancerNodePorts", "");
        }
        loadBalancerClass(spec, type, errs);
        trafficPolicies(spec, type, errs);
    }

    /** validateLoadBalancerClassField's format part: a qualified name, and only on LoadBalancer services. */
    private static void loadBalancerClass(JsonNode spec, String type, Errors errs) {
        if (!JsonReads.has(spec, "loadBalancerClass")) {
            return;
        }
        String cls = JsonReads.str(spec, "loadBalancerClass");
        if (type.equals("LoadBalancer")) {
            errs.invalidEach("spec.loadBalancerClass", cls, NameRules.qualifiedName(cls));
        } else {
            errs.forbidden("spec.loadBalancerClass", "may only be used when `type` is 'LoadBalancer'");
        }
    }

    /** Upstream syncs clusterIP into clusterIPs before validating; an unset clusterIPs follows clusterIP. */
    static List<String> clusterIPs(JsonNode spec) {
        if (JsonReads.has(spec, "clusterIPs")
                && !JsonReads.items(spec, "clusterIPs").isEmpty()) {
            return JsonReads.strings(spec, "clusterIPs");
        }
        String ip = JsonReads.str(spec, "clusterIP");
        return ip.isEmpty() ? List.of() : List.of(ip);
    }

    private static void externalName(JsonNode spec, List<String> clusterIPs, Errors errs) {
        if (!clusterIPs.isEmpty()) {
            errs.forbidden("spec.clusterIPs", "may not be set for ExternalName services");
        }
        if (!JsonReads.items(spec, "ipFamilies").isEmpty()) {
            errs.forbidden("spec.ipFamilies", "may not be set for ExternalName services");
        }
        if (JsonReads.has(spec, "ipFamilyPolicy")) {
            errs.forbidden("spec.ipFamilyPolicy", "may not be set for ExternalName services");
        }
        String cname = JsonReads.str(spec, "externalName");
        if (cname.endsWith(".")) {
            cname = cname.substring(0, cname.length() - 1);
        }
        if (cname.isEmpty()) {
            errs.required("spec.externalName", "");
        } else {
            errs.invalidEach("spec.externalName", cname, NameRules.dns1123Subdomain(cname));
        }
    }

    private static void port(JsonNode sp, boolean requireName, Set<String> names, String path, Errors errs) {
        String name = JsonReads.str(sp, "name");
        if (requireName && name.isEmpty()) {
            errs.required(Errors.child(path, "name"), "");
        } else if (!name.isEmpty()) {
            errs.invalidEach(Errors.child(path, "name"), name, NameRules.dns1123Label(name));
            if (!names.add(name)) {
                errs.duplicate(Errors.child(path, "name"), name);
            }
        }
        long port = JsonReads.numOr(sp, 0, "port");
        errs.invalidEach(Errors.child(path, "port"), port, NameRules.portNum(port));
        PodValidation.enumField(
                JsonReads.str(sp, "protocol"), ContainerValidation.PROTOCOLS, Errors.child(path, "protocol"), errs);
        ContainerValidation.portNumOrName(sp.get("targetPort"), Errors.child(path, "targetPort"), errs);
        if (JsonReads.has(sp, "appProtocol")) {
            String ap = JsonReads.str(sp, "appProtocol");
            errs.invalidEach(Errors.child(path, "appProtocol"), ap, NameRules.qualifiedName(ap));
        }
    }

    private static void sessionAffinity(JsonNode spec, Errors errs) {
        String affinity = JsonReads.str(spec, "sessionAffinity");
        PodValidation.enumField(affinity, AFFINITIES, "spec.sessionAffinity", errs);
        JsonNode config = JsonReads.obj(spec, "sessionAffinityConfig");
        if (affinity.equals("ClientIP")) {
            String detail = "when session affinity type is ClientIP";
            JsonNode clientIP = JsonReads.obj(config, "clientIP");
            if (config == null) {
                errs.required("spec.sessionAffinityConfig", detail);
            } else if (clientIP == null) {
                errs.required("spec.sessionAffinityConfig.clientIP", detail);
            } else if (!JsonReads.has(clientIP, "timeoutSeconds")) {
                errs.required("spec.sessionAffinityConfig.clientIP.timeoutSeconds", detail);
            } else {
                long t = JsonReads.numOr(clientIP, 0, "timeoutSeconds");
                if (t <= 0 || t > MAX_AFFINITY_SECONDS) {
                    errs.invalid(
                            "spec.sessionAffinityConfig.clientIP.timeoutSeconds",
                            t,
                            "must be greater than 0 and less than " + MAX_AFFINITY_SECONDS);
                }
            }
        } else if (affinity.equals("None") && config != null) {
            errs.forbidden("spec.sessionAffinityConfig", "must not be set when session affinity is None");
        }
    }

    /** ValidateServiceClusterIPsRelatedFields; IP allocation itself is the server's business. */
    private static void clusterIPsRelated(JsonNode spec, String type, List<String> ips, boolean headless, Errors errs) {
        if (type.equals("ExternalName")) {
            return;
        }
        String clusterIP = JsonReads.str(spec, "clusterIP");
        if (!clusterIP.isEmpty() && !ips.get(0).equals(clusterIP)) {
            errs.invalid("spec.clusterIPs", GoFormat.stringSlice(ips), "first value must match `clusterIP`");
        } else if (clusterIP.isEmpty() && !ips.isEmpty()) {
            errs.invalid(
                    "spec.clusterIPs",
                    GoFormat.stringSlice(ips),
                    "must be empty when `clusterIP` is not " + "specified");
        }
        List<String> families = JsonReads.strings(spec, "ipFamilies");
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < families.size(); i++) {
            String f = families.get(i);
            if (!f.equals("IPv4") && !f.equals("IPv6")) {
                errs.notSupported(Errors.index("spec.ipFamilies", i), f, List.of("IPv4", "IPv6"));
            }
            if (!seen.add(f)) {
                errs.duplicate(Errors.index("spec.ipFamilies", i), f);
            }
        }
        if (JsonReads.has(spec, "ipFamilyPolicy")) {
            String p = JsonReads.str(spec, "ipFamilyPolicy");
            List<String> policies = List.of("PreferDualStack", "RequireDualStack", "SingleStack");
            if (!policies.contains(p)) {
                errs.notSupported("spec.ipFamilyPolicy", p, policies);
            }
        }
        boolean invalidIPs = false;
        for (int i = 0; i < ips.size(); i++) {
            if (i == 0 && ips.get(0).equals("None")) {
                if (ips.size() > 1) {
                    invalidIPs = true;
                    errs.invalid(
                            "spec.clusterIPs",
                            GoFormat.stringSlice(ips),
                            "'None' must be the first and only " + "value");
                }
                continue;
            }
            if (Net.parseIp(ips.get(i)) == null) {
                invalidIPs = true;
                errs.invalid(
                        Errors.index("spec.clusterIPs", i),
                        ips.get(i),
                        "must be a valid IP address, (e.g. " + "10.9.8.7 or 2001:db8::ffff)");
            }
        }
        if (ips.size() > 2) {
            errs.invalid("spec.clusterIPs", GoFormat.stringSlice(ips), "may only hold up to 2 values");
        }
        if (invalidIPs) {
            return;
        }
        if (ips.size() > 1 && Net.isIpv6(ips.get(0)) == Net.isIpv6(ips.get(1))) {
            errs.invalid(
                    "spec.clusterIPs",
                    GoFormat.stringSlice(ips),
                    "may specify no more than one IP for each IP " + "family");
        }
        if (!headless) {
            for (int i = 0; i < ips.size() && i < families.size(); i++) {
                boolean v6 = Net.isIpv6(ips.get(i));
                if (families.get(i).equals("IPv4") && v6) {
                    errs.invalid(
                            Errors.index("spec.clusterIPs", i),
                            ips.get(i),
                            "expected an IPv4 value as indicated by `ipFamilies[" + i + "]`");
                }
                if (families.get(i).equals("IPv6") && !v6) {
                    errs.invalid(
                            Errors.index("spec.clusterIPs", i),
                            ips.get(i),
                            "expected an IPv6 value as indicated by `ipFamilies[" + i + "]`");
                }
            }
        }
    }

    private static void portCollisions(List<JsonNode> ports, String type, Errors errs) {
        if (type.equals("ClusterIP")) {
            for (int i = 0; i < ports.size(); i++) {
                if (JsonReads.numOr(ports.get(i), 0, "nodePort") != 0) {
                    errs.forbidden(
                            Errors.index("spec.ports", i) + ".nodePort",
                            "may not be used when `type` is " + "'ClusterIP'");
                }
            }
        }
        Set<String> nodePorts = new HashSet<>();
        for (int i = 0; i < ports.size(); i++) {
            long np = JsonReads.numOr(ports.get(i), 0, "nodePort");
            if (np != 0 && !nodePorts.add(JsonReads.str(ports.get(i), "protocol") + "/" + np)) {
                errs.duplicate(Errors.index("spec.ports", i) + ".nodePort", np);
            }
        }
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < ports.size(); i++) {
            String protocol = JsonReads.str(ports.get(i), "protocol");
            long port = JsonReads.numOr(ports.get(i), 0, "port");
            String key = protocol + "/" + port;
            if (keys.contains(key)) {
                errs.duplicate(
                        Errors.index("spec.ports", i),
                        new GoFormat.Literal("core.ServicePort{Name:\"\", Protocol:" + GoFormat.quote(protocol)
                                + ", AppProtocol:(*string)(nil), Port:" + port
                                + ", TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:\"\"}, NodePort:0}"));
            }
            keys.add(key);
        }
    }

    /** The loadBalancerSourceRanges field, or the older annotation when the field is empty. */
    private static void sourceRanges(JsonNode spec, JsonNode annotations, String type, Errors errs) {
        List<String> ranges = JsonReads.strings(spec, "loadBalancerSourceRanges");
        if (ranges.isEmpty()) {
            if (JsonReads.has(annotations, SOURCE_RANGES_ANNOTATION)) {
                String path = Errors.key("metadata.annotations", SOURCE_RANGES_ANNOTATION);
                if (!type.equals("LoadBalancer")) {
                    errs.forbidden(path, "may only be used when `type` is 'LoadBalancer'");
                }
                String value =
                        JsonReads.str(annotations, SOURCE_RANGES_ANNOTATION).strip();
                if (!value.isEmpty()) {
                    for (String cidr : value.split(",", -1)) {
                        cidr(cidr.strip(), path, errs);
                    }
                }
            }
            return;
        }
        // upstream spells this path with a capital L
        String path = "spec.LoadBalancerSourceRanges";
        if (!type.equals("LoadBalancer")) {
            errs.forbidden(path, "may only be used when `type` is 'LoadBalancer'");
        }
        for (int i = 0; i < ranges.size(); i++) {
            cidr(ranges.get(i).strip(), Errors.index(path, i), errs);
        }
    }

    private static void cidr(String value, String path, Errors errs) {
        if (!Net.isCidr(value)) {
            errs.invalid(path, value, "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)");
        }
    }

    private static void trafficPolicies(JsonNode spec, String type, Errors errs) {
        boolean external = type.equals("LoadBalancer")
                || type.equals("NodePort")
                || (type.equals("ClusterIP")
                        && !JsonReads.items(spec, "externalIPs").isEmpty());
        String etp = JsonReads.str(spec, "externalTrafficPolicy");
        if (!external) {
            if (!etp.isEmpty()) {
                errs.invalid("spec.externalTrafficPolicy", etp, "may only be set for externally-accessible services");
            }
        } else {
            PodValidation.enumField(etp, List.of("Cluster", "Local"), "spec.externalTrafficPolicy", errs);
        }
        boolean needsHealthCheck = type.equals("LoadBalancer") && etp.equals("Local");
        long hc = JsonReads.numOr(spec, 0, "healthCheckNodePort");
        if (!needsHealthCheck && hc != 0) {
            errs.invalid(
                    "spec.healthCheckNodePort",
                    hc,
                    "may only be set when `type` is 'LoadBalancer' and " + "`externalTrafficPolicy` is 'Local'");
        } else if (needsHealthCheck && hc == 0) {
            errs.required("spec.healthCheckNodePort", "");
        } else if (needsHealthCheck) {
            errs.invalidEach("spec.healthCheckNodePort", hc, NameRules.portNum(hc));
        }
        boolean internalRequired = type.equals("NodePort") || type.equals("LoadBalancer") || type.equals("ClusterIP");
        if (!JsonReads.has(spec, "internalTrafficPolicy")) {
            if (internalRequired) {
                errs.required("spec.internalTrafficPolicy", "");
            }
        } else {
            String itp = JsonReads.str(spec, "internalTrafficPolicy");
            if (!itp.equals("Cluster") && !itp.equals("Local")) {
                errs.notSupported("spec.internalTrafficPolicy", itp, List.of("Cluster", "Local"));
            }
        }
        if (JsonReads.has(spec, "trafficDistribution")
                && !JsonReads.str(spec, "trafficDistribution").equals("PreferClose")) {
            errs.notSupported(
                    "spec.trafficDistribution", JsonReads.str(spec, "trafficDistribution"), List.of("PreferClose"));
        }
    }
}
