package dev.capstan.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.capstan.model.json.JsonReads;
import dev.capstan.model.quantity.Quantity;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Per-container rules of core validation (validateContainerCommon and what it calls). */
final class ContainerValidation {
    private ContainerValidation() {}

    static final List<String> PROTOCOLS = List.of("SCTP", "TCP", "UDP");
    private static final List<String> PULL_POLICIES = List.of("Always", "IfNotPresent", "Never");
    private static final List<String> MESSAGE_POLICIES = List.of("File", "FallbackToLogsOnError");
    private static final Set<String> STANDARD_CONTAINER_RESOURCES = Set.of("cpu", "memory", "ephemeral-storage");
    private static final Set<String> STANDARD_RESOURCES = Set.of(
            "cpu",
            "memory",
            "ephemeral-storage",
            "requests.cpu",
            "requests.memory",
            "requests.ephemeral-storage",
            "limits.cpu",
            "limits.memory",
            "limits.ephemeral-storage",
            "pods",
            "resourcequotas",
            "services",
            "replicationcontrollers",
            "secrets",
            "configmaps",
            "persistentvolumeclaims",
            "storage",
            "requests.storage",
            "services.nodeports",
            "services.loadbalancers");

    /** Rules shared by regular and init containers; volumes are the names the pod declares. */
    static void common(JsonNode ctr, Set<String> volumes, String path, Errors errs) {
        String name = JsonReads.str(ctr, "name");
        if (name.isEmpty()) {
            errs.required(Errors.child(path, "name"), "");
        } else {
            errs.invalidEach(Errors.child(path, "name"), name, NameRules.dns1123Label(name));
        }
        if (JsonReads.str(ctr, "image").isEmpty()) {
            errs.required(Errors.child(path, "image"), "");
        }
        String messagePolicy = JsonReads.str(ctr, "terminationMessagePolicy");
        if (messagePolicy.isEmpty()) {
            errs.required(Errors.child(path, "terminationMessagePolicy"), "");
        } else if (!MESSAGE_POLICIES.contains(messagePolicy)) {
            errs.notSupported(Errors.child(path, "terminationMessagePolicy"), messagePolicy, MESSAGE_POLICIES);
        }
        ports(JsonReads.items(ctr, "ports"), Errors.child(path, "ports"), errs);
        env(JsonReads.items(ctr, "env"), Errors.child(path, "env"), errs);
        volumeMounts(JsonReads.items(ctr, "volumeMounts"), volumes, Errors.child(path, "volumeMounts"), errs);
        String pullPolicy = JsonReads.str(ctr, "imagePullPolicy");
        if (pullPolicy.isEmpty()) {
            errs.required(Errors.child(path, "imagePullPolicy"), "");
        } else if (!PULL_POLICIES.contains(pullPolicy)) {
            errs.notSupported(Errors.child(path, "imagePullPolicy"), pullPolicy, PULL_POLICIES);
        }
        resources(JsonReads.obj(ctr, "resources"), Errors.child(path, "resources"), errs);
    }

    /** Probe and lifecycle checks that apply to regular (and restartable init) containers only. */
    static void probes(JsonNode ctr, String path, Errors errs) {
        for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
            JsonNode p = JsonReads.obj(ctr, probe);
            if (p == null) {
                continue;
            }
            String pp = Errors.child(path, probe);
            handler(p, pp, errs);
            for (String f : List.of(
                    "initialDelaySeconds", "timeoutSeconds", "periodSeconds", "successThreshold", "failureThreshold")) {
                errs.nonNegative(Errors.child(pp, f), JsonReads.num(p, f));
            }
            Long grace = JsonReads.num(p, "terminationGracePeriodSeconds");
            if (grace != null && grace <= 0) {
                errs.invalid(Errors.child(pp, "terminationGracePeriodSeconds"), grace, "must be greater than 0");
            }
            long success = JsonReads.numOr(p, 0, "successThreshold");
            if (!probe.equals("readinessProbe") && success != 1) {
                errs.invalid(Errors.child(pp, "successThreshold"), success, "must be 1");
            }
            if (probe.equals("readinessProbe") && grace != null) {
                errs.invalid(
                        Errors.child(pp, "terminationGracePeriodSeconds"),
                        grace,
                        "must not be set for " + "readinessProbes");
            }
        }
    }

    private static void handler(JsonNode probe, String path, Errors errs) {
        int count = 0;
        for (String kind : List.of("exec", "httpGet", "tcpSocket", "grpc")) {
            JsonNode h = JsonReads.obj(probe, kind);
            if (h == null) {
                continue;
            }
            String hp = Errors.child(path, kind);
            if (count++ > 0) {
                errs.forbidden(hp, "may not specify more than 1 handler type");
                continue;
            }
            switch (kind) {
                case "exec" -> {
                    if (JsonReads.items(h, "command").isEmpty()) {
                        errs.required(Errors.child(hp, "command"), "");
                    }
                }
                case "httpGet" -> {
                    if (JsonReads.str(h, "path").isEmpty()) {
                        errs.required(Errors.child(hp, "path"), "");
                    }
                    portNumOrName(h.get("port"), Errors.child(hp, "port"), errs);
                    String scheme = JsonReads.str(h, "scheme");
                    if (!scheme.equals("HTTP") && !scheme.equals("HTTPS")) {
                        errs.notSupported(Errors.child(hp, "scheme"), scheme, List.of("HTTP", "HTTPS"));
                    }
                }
                case "tcpSocket" -> portNumOrName(h.get("port"), Errors.child(hp, "port"), errs);
                default ->
                    errs.invalidEach(
                            Errors.child(hp, "port"),
                            JsonReads.numOr(h, 0, "port"),
                            NameRules.portNum(JsonReads.numOr(h, 0, "port")));
            }
        }
        if (count == 0) {
            errs.required(path, "must specify a handler type");
        }
    }

    /** ValidatePortNumOrName: an int port in 1-65535 or an IANA_SVC_NAME. */
    static void portNumOrName(JsonNode port, String path, Errors errs) {
        if (port != null && port.isTextual()) {
            errs.invalidEach(path, port.textValue(), NameRules.portName(port.textValue()));
        } else {
            long p = port == null || port.isNull() ? 0 : port.asLong();
            errs.invalidEach(path, p, NameRules.portNum(p));
        }
    }

    static void ports(List<JsonNode> ports, String path, Errors errs) {
        Set<String> names = new HashSet<>();
        for (int i = 0; i < ports.size(); i++) {
            JsonNode port = ports.get(i);
            String ip = Errors.index(path, i);
            String name = JsonReads.str(port, "name");
            if (!name.isEmpty()) {
                List<String> msgs = NameRules.portName(name);
                if (!msgs.isEmpty()) {
                    errs.invalidEach(Errors.child(ip, "name"), name, msgs);
                } else if (!names.add(name)) {
                    errs.duplicate(Errors.child(ip, "name"), name);
                }
            }
            long containerPort = JsonReads.numOr(port, 0, "containerPort");
            if (containerPort == 0) {
                errs.required(Errors.child(ip, "containerPort"), "");
            } else {
                errs.invalidEach(Errors.child(ip, "containerPort"), containerPort, NameRules.portNum(containerPort));
            }
            long hostPort = JsonReads.numOr(port, 0, "hostPort");
            if (hostPort != 0) {
                errs.invalidEach(Errors.child(ip, "hostPort"), hostPort, NameRules.portNum(hostPort));
            }
            String protocol = JsonReads.str(port, "protocol");
            if (protocol.isEmpty()) {
                errs.required(Errors.child(ip, "protocol"), "");
            } else if (!PROTOCOLS.contains(protocol)) {
                errs.notSupported(Errors.child(ip, "protocol"), protocol, PROTOCOLS);
            }
        }
    }

    static void env(List<JsonNode> vars, String path, Errors errs) {
        for (int i = 0; i < vars.size(); i++) {
            JsonNode ev = vars.get(i);
            String ip = Errors.index(path, i);
            String name = JsonReads.str(ev, "name");
            if (name.isEmpty()) {
                errs.required(Errors.child(ip, "name"), "");
            } else {
                errs.invalidEach(Errors.child(ip, "name"), name, NameRules.envVarName(name));
            }
            JsonNode from = JsonReads.obj(ev, "valueFrom");
            if (from == null) {
                continue;
            }
            long sources = List.of("fieldRef", "resourceFieldRef", "configMapKeyRef", "secretKeyRef").stream()
                    .filter(s -> JsonReads.has(from, s))
                    .count();
            String fp = Errors.child(ip, "valueFrom");
            if (sources == 0) {
                errs.invalid(
                        fp,
                        "",
                        "must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or "
                                + "`secretKeyRef`");
            } else if (!JsonReads.str(ev, "value").isEmpty()) {
                errs.invalid(fp, "", "may not be specified when `value` is not empty");
            } else if (sources > 1) {
                errs.invalid(fp, "", "may not have more than one field specified at a time");
            }
        }
    }

    private static void volumeMounts(List<JsonNode> mounts, Set<String> volumes, String path, Errors errs) {
        Set<String> mountPoints = new HashSet<>();
        for (int i = 0; i < mounts.size(); i++) {
            JsonNode m = mounts.get(i);
            String ip = Errors.index(path, i);
            String name = JsonReads.str(m, "name");
            if (name.isEmpty()) {
                errs.required(Errors.child(ip, "name"), "");
            }
            if (!volumes.contains(name)) {
                errs.notFound(Errors.child(ip, "name"), name);
            }
            String mountPath = JsonReads.str(m, "mountPath");
            if (mountPath.isEmpty()) {
                errs.required(Errors.child(ip, "mountPath"), "");
            }
            if (!mountPoints.add(mountPath)) {
                errs.invalid(Errors.child(ip, "mountPath"), mountPath, "must be unique");
            }
        }
    }

    /** Resource names, non-negative quantities and requests no larger than limits. */
    static void resources(JsonNode res, String path, Errors errs) {
        String limPath = Errors.child(path, "limits");
        String reqPath = Errors.child(path, "requests");
        Map<String, Quantity> limits = quantities(JsonReads.obj(res, "limits"), limPath, errs);
        Map<String, Quantity> requests = quantities(JsonReads.obj(res, "requests"), reqPath, errs);
        for (Map.Entry<String, Quantity> e : requests.entrySet()) {
            String name = e.getKey();
            Quantity limit = limits.get(name);
            boolean overcommit = isOvercommitAllowed(name);
            if (limit != null) {
                if (e.getValue().compareTo(limit) != 0 && !overcommit) {
                    errs.invalid(reqPath, e.getValue().toString(), "must be equal to " + name + " limit of " + limit);
                } else if (e.getValue().compareTo(limit) > 0) {
                    errs.invalid(
                            reqPath,
                            e.getValue().toString(),
                            "must be less than or equal to " + name + " limit of " + limit);
                }
            } else if (!overcommit) {
                errs.required(limPath, "Limit must be set for non overcommitable resources");
            }
        }
        boolean hugePages = limits.keySet().stream().anyMatch(ContainerValidation::isHugePages)
                || requests.keySet().stream().anyMatch(ContainerValidation::isHugePages);
        boolean cpuOrMemory = limits.containsKey("cpu")
                || limits.containsKey("memory")
                || requests.containsKey("cpu")
                || requests.containsKey("memory");
        if (hugePages && !cpuOrMemory) {
            errs.forbidden(path, "HugePages require cpu or memory");
        }
    }

    private static Map<String, Quantity> quantities(JsonNode list, String path, Errors errs) {
        Map<String, Quantity> out = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : JsonReads.entries(list)) {
            String fp = Errors.key(path, e.getKey());
            resourceName(e.getKey(), fp, errs);
            Quantity q;
            try {
                q = Quantity.parse(e.getValue());
            } catch (IllegalArgumentException ex) {
                // upstream rejects this while decoding the request, before validation
                errs.invalid(fp, e.getValue(), ex.getMessage());
                continue;
            }
            if (q.sign() < 0) {
                errs.invalid(fp, q.toString(), NameRules.IS_NEGATIVE);
            }
            if (isExtended(e.getKey()) && q.amount().stripTrailingZeros().scale() > 0) {
                errs.invalid(fp, q.toString(), "must be an integer");
            }
            out.put(e.getKey(), q);
        }
        return out;
    }

    private static void resourceName(String name, String path, Errors errs) {
        List<String> msgs = NameRules.qualifiedName(name);
        if (!msgs.isEmpty()) {
            errs.invalidEach(path, name, msgs);
        } else if (!name.contains("/")) {
            if (!STANDARD_RESOURCES.contains(name) && !isHugePages(name) && !name.startsWith("requests.hugepages-")) {
                errs.invalid(path, name, "must be a standard resource type or fully qualified");
            }
        }
        if (!name.contains("/")) {
            if (!STANDARD_CONTAINER_RESOURCES.contains(name) && !isHugePages(name)) {
                errs.invalid(path, name, "must be a standard resource for containers");
            }
        } else if (!isNative(name) && !isExtended(name)) {
            errs.invalid(path, name, "doesn't follow extended resource name standard");
        }
    }

    private static boolean isHugePages(String name) {
        return name.startsWith("hugepages-");
    }

    private static boolean isNative(String name) {
        return !name.contains("/") || name.contains("kubernetes.io/");
    }

    private static boolean isExtended(String name) {
        return !isNative(name)
                && !name.startsWith("requests.")
                && NameRules.qualifiedName("requests." + name).isEmpty();
    }

    private static boolean isOvercommitAllowed(String name) {
        return isNative(name) && !isHugePages(name);
    }
}
