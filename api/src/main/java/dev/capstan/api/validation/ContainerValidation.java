package dev.capstan.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.capstan.model.json.JsonReads;
import dev.capstan.model.quantity.Quantity;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Per-container rules of core validation: validateContainerCommon and what it calls (ports, env, mounts, pull
 * policy, resources, resize policy, security context), and the lists of regular, init and ephemeral containers.
 */
final class ContainerValidation {
    private ContainerValidation() {}

    static final List<String> PROTOCOLS = List.of("SCTP", "TCP", "UDP");
    private static final List<String> PULL_POLICIES = List.of("Always", "IfNotPresent", "Never");
    private static final List<String> MESSAGE_POLICIES = List.of("File", "FallbackToLogsOnError");
    private static final List<String> RESIZE_RESOURCES = List.of("cpu", "memory");
    private static final List<String> RESIZE_POLICIES = List.of("NotRequired", "RestartContainer");
    /** What an ephemeral container may set, besides the fields every container shares (allowedEphemeralContainerFields). */
    private static final List<String> EPHEMERAL_FORBIDDEN = List.of(
            "ports",
            "resources",
            "resizePolicy",
            "restartPolicy",
            "livenessProbe",
            "readinessProbe",
            "startupProbe",
            "lifecycle");

    private static final String INIT_ONLY_RESTARTABLE =
            "may not be set for init containers without restartPolicy=Always";

    /** What the containers of one spec share: its volumes, resource claims, grace period and restart policy. */
    record Context(
            Map<String, JsonNode> volumes,
            Set<String> claimNames,
            Long gracePeriod,
            String restartPolicy,
            boolean hostUsers,
            PodOptions opts) {}

    /** validateContainers: at least one, unique names, probes and hooks, and host ports unique across them all. */
    static void containers(List<JsonNode> ctrs, String path, Context ctx, Errors errs) {
        if (ctrs.isEmpty()) {
            errs.required(path, "");
            return;
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < ctrs.size(); i++) {
            JsonNode ctr = ctrs.get(i);
            String ip = Errors.index(path, i);
            common(ctr, ip, ctx, errs);
            String name = JsonReads.str(ctr, "name");
            if (!names.add(name)) {
                errs.duplicate(Errors.child(ip, "name"), name);
            }
            ProbeValidation.container(ctr, ctx.gracePeriod(), ip, ctx.opts(), errs);
            if (JsonReads.has(ctr, "restartPolicy")) {
                errs.forbidden(Errors.child(ip, "restartPolicy"), "may not be set for non-init containers");
            }
        }
        hostPortConflicts(ctrs, path, errs);
    }

    /** validateInitContainers: names unique against the regular containers too; probes only for sidecars. */
    static void initContainers(List<JsonNode> ctrs, List<JsonNode> regular, String path, Context ctx, Errors errs) {
        Set<String> names = new HashSet<>();
        regular.forEach(c -> names.add(JsonReads.str(c, "name")));
        for (int i = 0; i < ctrs.size(); i++) {
            JsonNode ctr = ctrs.get(i);
            String ip = Errors.index(path, i);
            common(ctr, ip, ctx, errs);
            boolean restartable = false;
            if (JsonReads.has(ctr, "restartPolicy")) {
                String rp = JsonReads.str(ctr, "restartPolicy");
                if (!rp.equals("Always")) {
                    errs.notSupported(Errors.child(ip, "restartPolicy"), rp, List.of("Always"));
                }
                restartable = rp.equals("Always");
            }
            String name = JsonReads.str(ctr, "name");
            if (names.contains(name)) {
                errs.duplicate(Errors.child(ip, "name"), name);
            } else if (!name.isEmpty()) {
                names.add(name);
            }
            // init containers run one by one, so each is checked alone (and reported at index 0, as upstream does)
            hostPortConflicts(List.of(ctr), path, errs);
            if (restartable) {
                ProbeValidation.container(ctr, ctx.gracePeriod(), ip, ctx.opts(), errs);
            } else {
                for (String f : List.of("lifecycle", "livenessProbe", "readinessProbe", "startupProbe")) {
                    if (JsonReads.has(ctr, f)) {
                        errs.forbidden(Errors.child(ip, f), INIT_ONLY_RESTARTABLE);
                    }
                }
            }
            if (!ctx.opts().allowSidecarResizePolicy()
                    && !JsonReads.items(ctr, "resizePolicy").isEmpty()) {
                errs.invalid(
                        Errors.child(ip, "resizePolicy"),
                        resizePolicyLiteral(ctr),
                        "must not be set for init containers");
            }
        }
    }

    /** A []core.ContainerResizePolicy in %#v form. */
    private static GoFormat.Literal resizePolicyLiteral(JsonNode ctr) {
        StringBuilder b = new StringBuilder("[]core.ContainerResizePolicy{");
        List<JsonNode> policies = JsonReads.items(ctr, "resizePolicy");
        for (int i = 0; i < policies.size(); i++) {
            b.append(i == 0 ? "" : ", ")
                    .append("core.ContainerResizePolicy{ResourceName:")
                    .append(GoFormat.quote(JsonReads.str(policies.get(i), "resourceName")))
                    .append(", RestartPolicy:")
                    .append(GoFormat.quote(JsonReads.str(policies.get(i), "restartPolicy")))
                    .append('}');
        }
        return new GoFormat.Literal(b.append('}').toString());
    }

    /** validateEphemeralContainers: debugging containers, with no ports, resources, probes or hooks. */
    static void ephemeralContainers(JsonNode spec, String path, Context ctx, Errors errs) {
        List<JsonNode> ctrs = JsonReads.items(spec, "ephemeralContainers");
        Set<String> others = new HashSet<>();
        for (String list : List.of("containers", "initContainers")) {
            JsonReads.items(spec, list).forEach(c -> others.add(JsonReads.str(c, "name")));
        }
        Set<String> all = new HashSet<>(others);
        for (int i = 0; i < ctrs.size(); i++) {
            JsonNode ctr = ctrs.get(i);
            String ip = Errors.index(path, i);
            common(ctr, ip, ctx, errs);
            imageWhitespace(ctr, ip, errs);
            String name = JsonReads.str(ctr, "name");
            if (!all.add(name)) {
                errs.duplicate(Errors.child(ip, "name"), name);
            }
            String target = JsonReads.str(ctr, "targetContainerName");
            if (!target.isEmpty() && !others.contains(target)) {
                errs.notFound(Errors.child(ip, "targetContainerName"), target);
            }
            for (String f : EPHEMERAL_FORBIDDEN) {
                if (isSet(ctr, f)) {
                    errs.forbidden(Errors.child(ip, f), "cannot be set for an Ephemeral Container");
                }
            }
            List<JsonNode> mounts = JsonReads.items(ctr, "volumeMounts");
            for (int j = 0; j < mounts.size(); j++) {
                String mp = Errors.index(Errors.child(ip, "volumeMounts"), j);
                for (String f : List.of("subPath", "subPathExpr")) {
                    if (!JsonReads.str(mounts.get(j), f).isEmpty()) {
                        errs.forbidden(Errors.child(mp, f), "cannot be set for an Ephemeral Container");
                    }
                }
            }
        }
    }

    /** A field differs from its Go zero value; a resources object counts only when one of its lists is given. */
    private static boolean isSet(JsonNode ctr, String field) {
        if (field.equals("resources")) {
            JsonNode res = JsonReads.obj(ctr, "resources");
            return res != null
                    && (JsonReads.has(res, "limits") || JsonReads.has(res, "requests") || JsonReads.has(res, "claims"));
        }
        return JsonReads.has(ctr, field);
    }

    /** validateContainerOnlyForPod. */
    static void imageWhitespace(JsonNode ctr, String path, Errors errs) {
        String image = JsonReads.str(ctr, "image");
        if (!image.equals(image.strip())) {
            errs.invalid(Errors.child(path, "image"), image, "must not have leading or trailing whitespace");
        }
    }

    /** validateContainerCommon. */
    static void common(JsonNode ctr, String path, Context ctx, Errors errs) {
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
        EnvValidation.env(JsonReads.items(ctr, "env"), Errors.child(path, "env"), errs);
        EnvValidation.envFrom(JsonReads.items(ctr, "envFrom"), Errors.child(path, "envFrom"), errs);
        ContainerMounts.validate(ctr, ctx.volumes(), path, errs);
        String pullPolicy = JsonReads.str(ctr, "imagePullPolicy");
        if (pullPolicy.isEmpty()) {
            errs.required(Errors.child(path, "imagePullPolicy"), "");
        } else if (!PULL_POLICIES.contains(pullPolicy)) {
            errs.notSupported(Errors.child(path, "imagePullPolicy"), pullPolicy, PULL_POLICIES);
        }
        resources(JsonReads.obj(ctr, "resources"), ctx.claimNames(), Errors.child(path, "resources"), ctx.opts(), errs);
        resizePolicy(
                JsonReads.items(ctr, "resizePolicy"), Errors.child(path, "resizePolicy"), ctx.restartPolicy(), errs);
        SecurityValidation.container(ctr, ctx.hostUsers(), path, errs);
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

    /** Host ports (by protocol and host IP) must be unique across the given containers. */
    static void hostPortConflicts(List<JsonNode> ctrs, String path, Errors errs) {
        Set<String> seen = new HashSet<>();
        for (int ci = 0; ci < ctrs.size(); ci++) {
            List<JsonNode> ports = JsonReads.items(ctrs.get(ci), "ports");
            for (int pi = 0; pi < ports.size(); pi++) {
                JsonNode p = ports.get(pi);
                long hostPort = JsonReads.numOr(p, 0, "hostPort");
                if (hostPort == 0) {
                    continue;
                }
                String key = JsonReads.str(p, "protocol") + "/" + JsonReads.str(p, "hostIP") + "/" + hostPort;
                if (!seen.add(key)) {
                    errs.duplicate(Errors.index(Errors.child(Errors.index(path, ci), "ports"), pi) + ".hostPort", key);
                }
            }
        }
    }

    /** validateResizePolicy; InPlacePodVerticalScaling is alpha in 1.32, so this only sees policies kept from old. */
    private static void resizePolicy(List<JsonNode> policies, String path, String podRestartPolicy, Errors errs) {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < policies.size(); i++) {
            String resource = JsonReads.str(policies.get(i), "resourceName");
            String policy = JsonReads.str(policies.get(i), "restartPolicy");
            if (!seen.add(resource)) {
                errs.duplicate(Errors.index(path, i), resource);
            }
            if (resource.isEmpty()) {
                errs.required(path, "");
            } else if (!RESIZE_RESOURCES.contains(resource)) {
                errs.notSupported(path, resource, RESIZE_RESOURCES);
            }
            if (policy.isEmpty()) {
                errs.required(path, "");
            } else if (!RESIZE_POLICIES.contains(policy)) {
                errs.notSupported(path, policy, RESIZE_POLICIES);
            }
            if (podRestartPolicy.equals("Never") && !policy.equals("NotRequired")) {
                errs.invalid(path, policy, "must be 'NotRequired' when `restartPolicy` is 'Never'");
            }
        }
    }

    /**
     * validateResourceRequirements with the container resource name rule: names, quantities, requests no larger
     * than limits, huge page sizes, and claims that name the pod's resource claims.
     */
    static void resources(JsonNode res, Set<String> claimNames, String path, PodOptions opts, Errors errs) {
        String limPath = Errors.child(path, "limits");
        String reqPath = Errors.child(path, "requests");
        Map<String, ResourceRules.Parsed> limits = ResourceRules.list(JsonReads.obj(res, "limits"), limPath, errs);
        boolean cpuOrMemory = false;
        boolean hugePages = false;
        for (Map.Entry<String, ResourceRules.Parsed> e : limits.entrySet()) {
            String fp = Errors.key(limPath, e.getKey());
            entry(e.getKey(), e.getValue(), fp, opts, errs);
            hugePages |= ResourceRules.isHugePages(e.getKey());
            cpuOrMemory |= e.getKey().equals("cpu") || e.getKey().equals("memory");
        }
        Map<String, ResourceRules.Parsed> requests = ResourceRules.list(JsonReads.obj(res, "requests"), reqPath, errs);
        for (Map.Entry<String, ResourceRules.Parsed> e : requests.entrySet()) {
            String name = e.getKey();
            Quantity q = e.getValue().q();
            String fp = Errors.key(reqPath, name);
            ResourceRules.containerName(name, fp, errs);
            ResourceRules.quantityValue(name, e.getValue().raw(), q, fp, errs);
            ResourceRules.Parsed limit = limits.get(name);
            boolean overcommit = ResourceRules.isOvercommitAllowed(name);
            if (limit != null) {
                if (q.compareTo(limit.q()) != 0 && !overcommit) {
                    errs.invalid(reqPath, q.toString(), "must be equal to " + name + " limit of " + limit.q());
                } else if (q.compareTo(limit.q()) > 0) {
                    errs.invalid(
                            reqPath, q.toString(), "must be less than or equal to " + name + " limit of " + limit.q());
                }
            } else if (!overcommit) {
                errs.required(limPath, "Limit must be set for non overcommitable resources");
            }
            if (ResourceRules.isHugePages(name)) {
                hugePages = true;
                hugePageValue(name, q, fp, opts, errs);
            }
            cpuOrMemory |= name.equals("cpu") || name.equals("memory");
        }
        if (hugePages && !cpuOrMemory) {
            errs.forbidden(path, "HugePages require cpu or memory");
        }
        claims(JsonReads.items(res, "claims"), claimNames, Errors.child(path, "claims"), errs);
    }

    private static void entry(String name, ResourceRules.Parsed p, String path, PodOptions opts, Errors errs) {
        ResourceRules.containerName(name, path, errs);
        ResourceRules.quantityValue(name, p.raw(), p.q(), path, errs);
        if (ResourceRules.isHugePages(name)) {
            hugePageValue(name, p.q(), path, opts, errs);
        }
    }

    /** validateResourceQuantityHugePageValue: a whole number of pages of the size the name gives. */
    private static void hugePageValue(String name, Quantity q, String path, PodOptions opts, Errors errs) {
        if (opts.allowIndivisibleHugePages() || hugePagesDivisible(name, q)) {
            return;
        }
        errs.invalid(path, q.toString(), q + " is not positive integer multiple of " + name);
    }

    private static boolean hugePagesDivisible(String name, Quantity q) {
        Quantity page = Quantity.tryParse(name.substring("hugepages-".length())).orElse(null);
        if (page == null || page.sign() <= 0 || page.milliValue() % 1000 != 0) {
            return false;
        }
        return q.value() % page.value() == 0;
    }

    /** usesIndivisibleHugePagesValues of an old spec, which lets an update keep them. */
    static boolean usesIndivisibleHugePages(JsonNode spec) {
        List<JsonNode> lists = new ArrayList<>();
        for (JsonNode ctr : PodValidation.allContainers(spec)) {
            lists.add(JsonReads.obj(ctr, "resources", "limits"));
            lists.add(JsonReads.obj(ctr, "resources", "requests"));
        }
        lists.add(JsonReads.obj(spec, "overhead"));
        for (JsonNode list : lists) {
            for (Map.Entry<String, String> e : JsonReads.entries(list)) {
                if (ResourceRules.isHugePages(e.getKey())) {
                    Quantity q = Quantity.tryParse(e.getValue()).orElse(null);
                    if (q != null && !hugePagesDivisible(e.getKey(), q)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** validateResourceClaimNames: each claim once, naming one of the pod's resource claims. */
    private static void claims(List<JsonNode> claims, Set<String> podClaims, String path, Errors errs) {
        Set<String> names = new HashSet<>();
        for (int i = 0; i < claims.size(); i++) {
            String ip = Errors.index(path, i);
            String name = JsonReads.str(claims.get(i), "name");
            if (name.isEmpty()) {
                errs.required(ip, "");
                continue;
            }
            String request = JsonReads.str(claims.get(i), "request");
            if (names.contains(name)) {
                errs.duplicate(ip, name);
            } else {
                String key = name;
                if (!request.isEmpty()) {
                    errs.invalidEach(Errors.child(ip, "request"), request, NameRules.dns1123Label(request));
                    key += "/" + request;
                }
                if (names.contains(key)) {
                    errs.duplicate(ip, key);
                } else if (request.isEmpty()) {
                    for (String k : names) {
                        if (k.startsWith(name + "/")) {
                            errs.duplicate(ip, name);
                        }
                    }
                }
                names.add(key);
            }
            if (!podClaims.contains(name)) {
                String detail = "must be one of the names in pod.spec.resourceClaims"
                        + (podClaims.isEmpty()
                                ? " which is empty"
                                : ": " + String.join(", ", new TreeSet<>(podClaims)));
                errs.notFound(ip, name, detail);
            }
        }
    }
}
