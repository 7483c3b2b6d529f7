package dev.capstan.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.capstan.model.json.JsonReads;
import dev.capstan.model.json.KubeJson;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Pods and pod specs of core validation: ValidatePodCreate, validatePodMetadataAndSpec, ValidatePodTemplateSpec and
 * ValidatePodSpec. The gated-off fields of 1.32 (pod-level resources, image volumes, user namespaces, ...) are dropped
 * by {@link PodFieldGates} before validation and so are not checked here.
 */
final class PodValidation {
    private PodValidation() {}

    static final List<String> RESTART_POLICIES = List.of("Always", "OnFailure", "Never");
    private static final List<String> DNS_POLICIES =
            List.of("ClusterFirstWithHostNet", "ClusterFirst", "Default", "None");
    private static final List<String> PREEMPTION_POLICIES = List.of("PreemptLowerPriority", "Never");
    private static final long MAX_INT32 = Integer.MAX_VALUE;
    private static final int MAX_NAMESERVERS = 3;
    private static final int MAX_SEARCH_PATHS = 32;
    private static final int MAX_SEARCH_CHARS = 2048;

    /** ValidatePodCreate. */
    static void validatePodCreate(JsonNode pod, Errors errs) {
        PodOptions opts = PodOptions.create(true);
        metadataAndSpec(pod, opts, errs);
        JsonNode spec = JsonReads.obj(pod, "spec");
        if (!JsonReads.items(spec, "ephemeralContainers").isEmpty()) {
            errs.forbidden("spec.ephemeralContainers", "cannot be set on create");
        }
        if (!JsonReads.str(spec, "nodeName").isEmpty()
                && !JsonReads.items(spec, "schedulingGates").isEmpty()) {
            errs.forbidden("spec.nodeName", "cannot be set until all schedulingGates have been cleared");
        }
        PodAnnotations.matchFields(JsonReads.obj(pod, "metadata", "annotations"), spec, "spec", errs);
    }

    /** validatePodMetadataAndSpec, shared by creates and updates. */
    static void metadataAndSpec(JsonNode pod, PodOptions opts, Errors errs) {
        CoreObjectMeta.create(pod, NameRules.NameRule.DNS_SUBDOMAIN, true, errs);
        JsonNode meta = JsonReads.obj(pod, "metadata");
        JsonNode spec = JsonReads.obj(pod, "spec");
        PodAnnotations.validate(JsonReads.obj(meta, "annotations"), spec, "metadata.annotations", opts, errs);
        spec(spec, JsonReads.str(meta, "name"), "spec", opts, errs);
        if (JsonReads.str(spec, "serviceAccountName").isEmpty()) {
            List<JsonNode> vols = JsonReads.items(spec, "volumes");
            for (int vi = 0; vi < vols.size(); vi++) {
                List<JsonNode> sources = JsonReads.items(vols.get(vi), "projected", "sources");
                for (int si = 0; si < sources.size(); si++) {
                    if (JsonReads.has(sources.get(si), "serviceAccountToken")) {
                        errs.forbidden(
                                "spec.volumes[" + vi + "].projected.sources[" + si + "].serviceAccountToken",
                                "must not be specified when serviceAccountName is not set");
                    }
                }
            }
        }
        for (String list : List.of("containers", "initContainers")) {
            List<JsonNode> ctrs = JsonReads.items(spec, list);
            for (int i = 0; i < ctrs.size(); i++) {
                ContainerValidation.imageWhitespace(ctrs.get(i), Errors.index("spec." + list, i), errs);
            }
        }
    }

    /** ValidatePodTemplateSpec: note upstream reports template labels under {@code <path>.labels}. */
    static void template(JsonNode template, String path, PodOptions opts, Errors errs) {
        JsonNode meta = JsonReads.obj(template, "metadata");
        JsonNode spec = JsonReads.obj(template, "spec");
        JsonNode annotations = JsonReads.obj(meta, "annotations");
        MetadataValidation.labels(JsonReads.obj(meta, "labels"), Errors.child(path, "labels"), errs);
        MetadataValidation.annotations(annotations, Errors.child(path, "annotations"), errs);
        PodAnnotations.validate(annotations, spec, Errors.child(path, "annotations"), opts, errs);
        String specPath = Errors.child(path, "spec");
        spec(spec, "", specPath, opts, errs);
        PodAnnotations.matchFields(annotations, spec, specPath, errs);
        if (!JsonReads.items(spec, "ephemeralContainers").isEmpty()) {
            errs.forbidden(
                    Errors.child(specPath, "ephemeralContainers"), "ephemeral containers not allowed in pod template");
        }
    }

    /** ValidatePodSpec; podName is the pod's own name (empty for templates), which ephemeral volume claims take. */
    static void spec(JsonNode spec, String podName, String path, PodOptions opts, Errors errs) {
        Long grace = JsonReads.num(spec, "terminationGracePeriodSeconds");
        if (grace == null) {
            errs.required(Errors.child(path, "terminationGracePeriodSeconds"), "");
        }
        boolean hostUsers = !JsonReads.has(spec, "hostUsers") || JsonReads.bool(spec, "hostUsers");
        Map<String, JsonNode> volumes = PodVolumes.validate(
                JsonReads.items(spec, "volumes"), podName, Errors.child(path, "volumes"), opts, errs);
        Set<String> claimNames = resourceClaims(spec, Errors.child(path, "resourceClaims"), errs);
        String restartPolicy = JsonReads.str(spec, "restartPolicy");
        ContainerValidation.Context ctx =
                new ContainerValidation.Context(volumes, claimNames, grace, restartPolicy, hostUsers, opts);
        List<JsonNode> containers = JsonReads.items(spec, "containers");
        ContainerValidation.containers(containers, Errors.child(path, "containers"), ctx, errs);
        ContainerValidation.initContainers(
                JsonReads.items(spec, "initContainers"), containers, Errors.child(path, "initContainers"), ctx, errs);
        ContainerValidation.ephemeralContainers(spec, Errors.child(path, "ephemeralContainers"), ctx, errs);
        hostNetworkPorts(spec, path, opts.resourceIsPod(), errs);
        enumField(restartPolicy, RESTART_POLICIES, Errors.child(path, "restartPolicy"), errs);
        String dnsPolicy = JsonReads.str(spec, "dnsPolicy");
        enumField(dnsPolicy, DNS_POLICIES, Errors.child(path, "dnsPolicy"), errs);
        MetadataValidation.labels(JsonReads.obj(spec, "nodeSelector"), Errors.child(path, "nodeSelector"), errs);
        SecurityValidation.pod(spec, path, opts, errs);
        imagePullSecrets(JsonReads.items(spec, "imagePullSecrets"), Errors.child(path, "imagePullSecrets"), errs);
        AffinityValidation.affinity(spec, path, opts, errs);
        dnsConfig(spec, dnsPolicy, Errors.child(path, "dnsConfig"), errs);
        List<JsonNode> gates = JsonReads.items(spec, "readinessGates");
        for (int i = 0; i < gates.size(); i++) {
            String t = JsonReads.str(gates.get(i), "conditionType");
            errs.invalidEach(
                    Errors.index(Errors.child(path, "readinessGates"), i) + ".conditionType",
                    t,
                    NameRules.qualifiedName(t));
        }
        schedulingGates(JsonReads.items(spec, "schedulingGates"), Errors.child(path, "schedulingGates"), errs);
        AffinityValidation.topologySpread(spec, path, opts, errs);
        SecurityValidation.windowsHostProcess(spec, path, errs);
        SecurityValidation.hostUsers(spec, path, errs);
        subdomainField(spec, "serviceAccountName", path, errs);
        subdomainField(spec, "nodeName", path, errs);
        Long deadline = JsonReads.num(spec, "activeDeadlineSeconds");
        if (deadline != null && (deadline < 1 || deadline > MAX_INT32)) {
            errs.invalid(Errors.child(path, "activeDeadlineSeconds"), deadline, NameRules.rangeError(1, MAX_INT32));
        }
        for (String f : List.of("hostname", "subdomain")) {
            String v = JsonReads.str(spec, f);
            if (!v.isEmpty()) {
                errs.invalidEach(Errors.child(path, f), v, NameRules.dns1123Label(v));
            }
        }
        TolerationValidation.validate(JsonReads.items(spec, "tolerations"), Errors.child(path, "tolerations"), errs);
        hostAliases(JsonReads.items(spec, "hostAliases"), Errors.child(path, "hostAliases"), errs);
        subdomainField(spec, "priorityClassName", path, errs);
        if (JsonReads.has(spec, "runtimeClassName")) {
            String rc = JsonReads.str(spec, "runtimeClassName");
            errs.invalidEach(Errors.child(path, "runtimeClassName"), rc, NameRules.dns1123Subdomain(rc));
        }
        if (JsonReads.has(spec, "preemptionPolicy")) {
            enumField(
                    JsonReads.str(spec, "preemptionPolicy"),
                    PREEMPTION_POLICIES,
                    Errors.child(path, "preemptionPolicy"),
                    errs);
        }
        if (JsonReads.obj(spec, "overhead") instanceof JsonNode overhead) {
            // the overhead is checked as a container's limits, so its errors carry ".limits"
            JsonNode asLimits = overhead.deepCopy();
            ContainerValidation.resources(
                    KubeJson.object().set("limits", asLimits), Set.of(), Errors.child(path, "overhead"), opts, errs);
        }
        SecurityValidation.os(spec, path, errs);
    }

    static void enumField(String value, List<String> supported, String path, Errors errs) {
        if (value.isEmpty()) {
            errs.required(path, "");
        } else if (!supported.contains(value)) {
            errs.notSupported(path, value, supported);
        }
    }

    private static void subdomainField(JsonNode spec, String field, String path, Errors errs) {
        String v = JsonReads.str(spec, field);
        if (!v.isEmpty()) {
            errs.invalidEach(Errors.child(path, field), v, NameRules.dns1123Subdomain(v));
        }
    }

    /** validatePodResourceClaims; returns every non-empty claim name, which container claims may refer to. */
    private static Set<String> resourceClaims(JsonNode spec, String path, Errors errs) {
        Set<String> all = new HashSet<>();
        Set<String> seen = new HashSet<>();
        List<JsonNode> claims = JsonReads.items(spec, "resourceClaims");
        for (JsonNode claim : claims) {
            if (!JsonReads.str(claim, "name").isEmpty()) {
                all.add(JsonReads.str(claim, "name"));
            }
        }
        for (int i = 0; i < claims.size(); i++) {
            JsonNode claim = claims.get(i);
            String ip = Errors.index(path, i);
            String name = JsonReads.str(claim, "name");
            if (name.isEmpty()) {
                errs.required(Errors.child(ip, "name"), "");
            } else if (!seen.add(name)) {
                errs.duplicate(Errors.child(ip, "name"), name);
            } else {
                errs.invalidEach(Errors.child(ip, "name"), name, NameRules.dns1123Label(name));
            }
            boolean byName = JsonReads.has(claim, "resourceClaimName");
            boolean byTemplate = JsonReads.has(claim, "resourceClaimTemplateName");
            if (byName && byTemplate) {
                errs.invalid(
                        ip,
                        claimLiteral(claim),
                        "at most one of `resourceClaimName` or `resourceClaimTemplateName` may be specified");
            }
            if (!byName && !byTemplate) {
                errs.invalid(
                        ip,
                        claimLiteral(claim),
                        "must specify one of: `resourceClaimName`, `resourceClaimTemplateName`");
            }
            for (String f : List.of("resourceClaimName", "resourceClaimTemplateName")) {
                if (JsonReads.has(claim, f)) {
                    String v = JsonReads.str(claim, f);
                    errs.invalidEach(Errors.child(ip, f), v, NameRules.dns1123Subdomain(v));
                }
            }
        }
        return all;
    }

    private static GoFormat.Literal claimLiteral(JsonNode claim) {
        return new GoFormat.Literal("core.PodResourceClaim{Name:" + GoFormat.quote(JsonReads.str(claim, "name"))
                + ", ResourceClaimName:(*string)("
                + (JsonReads.has(claim, "resourceClaimName") ? "0xc000000000" : "nil")
                + "), ResourceClaimTemplateName:(*string)("
                + (JsonReads.has(claim, "resourceClaimTemplateName") ? "0xc000000000" : "nil") + ")}");
    }

    /** validatePodHostNetworkDeps: with the host's network a port is the host's port. */
    private static void hostNetworkPorts(JsonNode spec, String path, boolean isPod, Errors errs) {
        if (!JsonReads.bool(spec, "hostNetwork")) {
            return;
        }
        List<JsonNode> ctrs = JsonReads.items(spec, "containers");
        for (int i = 0; i < ctrs.size(); i++) {
            List<JsonNode> ports = JsonReads.items(ctrs.get(i), "ports");
            for (int j = 0; j < ports.size(); j++) {
                long hp = JsonReads.numOr(ports.get(j), 0, "hostPort");
                long cp = JsonReads.numOr(ports.get(j), 0, "containerPort");
                if ((isPod || hp != 0) && hp != cp) {
                    errs.invalid(
                            Errors.index(Errors.child(Errors.index(path + ".containers", i), "ports"), j) + ".hostPort",
                            hp,
                            "must match `containerPort` when `hostNetwork` is true");
                }
            }
        }
    }

    /** validateImagePullSecrets: only a name may be set. */
    private static void imagePullSecrets(List<JsonNode> secrets, String path, Errors errs) {
        for (int i = 0; i < secrets.size(); i++) {
            JsonNode ref = secrets.get(i);
            boolean other = ref.isObject()
                    && ref.properties().stream()
                            .anyMatch(e ->
                                    !e.getKey().equals("name") && !e.getValue().isNull());
            if (other) {
                errs.invalid(
                        Errors.index(path, i),
                        new GoFormat.Literal(
                                "core.LocalObjectReference{Name:" + GoFormat.quote(JsonReads.str(ref, "name")) + "}"),
                        "only name may be set");
            }
        }
    }

    /** ValidateHostAliases. */
    private static void hostAliases(List<JsonNode> aliases, String path, Errors errs) {
        for (int i = 0; i < aliases.size(); i++) {
            String ip = Errors.index(path, i);
            String addr = JsonReads.str(aliases.get(i), "ip");
            if (Net.parseIp(addr) == null) {
                errs.invalid(
                        Errors.child(ip, "ip"), addr, "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)");
            }
            List<String> names = JsonReads.strings(aliases.get(i), "hostnames");
            for (int j = 0; j < names.size(); j++) {
                errs.invalidEach(
                        Errors.index(Errors.child(ip, "hostnames"), j),
                        names.get(j),
                        NameRules.dns1123Subdomain(names.get(j)));
            }
        }
    }

    /** validatePodDNSConfig; RelaxedDNSSearchValidation is alpha in 1.32, so searches are strict subdomains. */
    private static void dnsConfig(JsonNode spec, String dnsPolicy, String path, Errors errs) {
        JsonNode cfg = JsonReads.obj(spec, "dnsConfig");
        if (dnsPolicy.equals("None")) {
            if (cfg == null) {
                errs.required(path, "must provide `dnsConfig` when `dnsPolicy` is None");
                return;
            }
            if (JsonReads.items(cfg, "nameservers").isEmpty()) {
                errs.required(
                        Errors.child(path, "nameservers"),
                        "must provide at least one DNS nameserver when `dnsPolicy` is None");
                return;
            }
        }
        if (cfg == null) {
            return;
        }
        List<String> ns = JsonReads.strings(cfg, "nameservers");
        if (ns.size() > MAX_NAMESERVERS) {
            errs.invalid(
                    Errors.child(path, "nameservers"),
                    GoFormat.stringSlice(ns),
                    "must not have more than " + MAX_NAMESERVERS + " nameservers");
        }
        for (int i = 0; i < ns.size(); i++) {
            if (Net.parseIp(ns.get(i)) == null) {
                errs.invalid(
                        Errors.index(Errors.child(path, "nameservers"), i),
                        ns.get(i),
                        "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)");
            }
        }
        List<String> searches = JsonReads.strings(cfg, "searches");
        if (searches.size() > MAX_SEARCH_PATHS) {
            errs.invalid(
                    Errors.child(path, "searches"),
                    GoFormat.stringSlice(searches),
                    "must not have more than " + MAX_SEARCH_PATHS + " search paths");
        }
        if (NameRules.len(String.join(" ", searches)) > MAX_SEARCH_CHARS) {
            errs.invalid(
                    Errors.child(path, "searches"),
                    GoFormat.stringSlice(searches),
                    "must not have more than " + MAX_SEARCH_CHARS
                            + " characters (including spaces) in the search list");
        }
        for (int i = 0; i < searches.size(); i++) {
            String s = searches.get(i).endsWith(".")
                    ? searches.get(i).substring(0, searches.get(i).length() - 1)
                    : searches.get(i);
            errs.invalidEach(Errors.index(Errors.child(path, "searches"), i), s, NameRules.dns1123Subdomain(s));
        }
        List<JsonNode> options = JsonReads.items(cfg, "options");
        for (int i = 0; i < options.size(); i++) {
            if (JsonReads.str(options.get(i), "name").isEmpty()) {
                errs.required(Errors.index(Errors.child(path, "options"), i), "must not be empty");
            }
        }
    }

    private static void schedulingGates(List<JsonNode> gates, String path, Errors errs) {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < gates.size(); i++) {
            String name = JsonReads.str(gates.get(i), "name");
            errs.invalidEach(Errors.index(path, i), name, NameRules.qualifiedName(name));
            if (!seen.add(name)) {
                errs.duplicate(Errors.index(path, i), name);
            }
        }
    }

    /** Every container of a spec, init containers first, then regular and ephemeral ones. */
    static List<JsonNode> allContainers(JsonNode spec) {
        List<JsonNode> out = new ArrayList<>();
        for (String list : List.of("initContainers", "containers", "ephemeralContainers")) {
            out.addAll(JsonReads.items(spec, list));
        }
        return out;
    }

    /** podshelper.VisitContainersWithPath: each container with its path, in the order of {@link #allContainers}. */
    static List<Map.Entry<String, JsonNode>> containersWithPaths(JsonNode spec, String specPath) {
        List<Map.Entry<String, JsonNode>> out = new ArrayList<>();
        for (String list : List.of("initContainers", "containers", "ephemeralContainers")) {
            List<JsonNode> ctrs = JsonReads.items(spec, list);
            for (int i = 0; i < ctrs.size(); i++) {
                out.add(new AbstractMap.SimpleImmutableEntry<>(
                        Errors.index(Errors.child(specPath, list), i), ctrs.get(i)));
            }
        }
        return out;
    }
}
