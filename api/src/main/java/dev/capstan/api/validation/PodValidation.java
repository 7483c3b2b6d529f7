package dev.capstan.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.capstan.model.json.JsonReads;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Pod spec rules (ValidatePodSpec), pod template rules and pod create validation of core validation. */
final class PodValidation {
    private PodValidation() {}

    static final List<String> RESTART_POLICIES = List.of("Always", "OnFailure", "Never");
    private static final List<String> DNS_POLICIES =
            List.of("ClusterFirstWithHostNet", "ClusterFirst", "Default", "None");
    private static final long MAX_INT32 = Integer.MAX_VALUE;
    /** The JSON names of volume sources, in the order upstream counts them; the image source is gated off. */
    private static final List<String> VOLUME_SOURCES = List.of(
            "emptyDir",
            "hostPath",
            "gitRepo",
            "gcePersistentDisk",
            "awsElasticBlockStore",
            "secret",
            "nfs",
            "iscsi",
            "glusterfs",
            "flocker",
            "persistentVolumeClaim",
            "rbd",
            "cinder",
            "cephfs",
            "quobyte",
            "downwardAPI",
            "fc",
            "flexVolume",
            "configMap",
            "azureFile",
            "vsphereVolume",
            "photonPersistentDisk",
            "portworxVolume",
            "azureDisk",
            "storageos",
            "projected",
            "scaleIO",
            "csi",
            "ephemeral");

    /** ValidatePodCreate (and the metadata-and-spec part shared with updates). */
    static void validatePod(JsonNode pod, boolean create, Errors errs) {
        JsonNode spec = JsonReads.obj(pod, "spec");
        MetadataValidation.validateCreate(
                JsonReads.obj(pod, "metadata"), NameRules.NameRule.DNS_SUBDOMAIN, "metadata", errs);
        spec(spec, "spec", true, errs);
        for (String list : List.of("containers", "initContainers")) {
            List<JsonNode> ctrs = JsonReads.items(spec, list);
            for (int i = 0; i < ctrs.size(); i++) {
                String image = JsonReads.str(ctrs.get(i), "image");
                if (!image.equals(image.strip())) {
                    errs.invalid(
                            Errors.child(Errors.index("spec." + list, i), "image"),
                            image,
                            "must not have leading or trailing whitespace");
                }
            }
        }
        if (create) {
            if (!JsonReads.items(spec, "ephemeralContainers").isEmpty()) {
                errs.forbidden("spec.ephemeralContainers", "cannot be set on create");
            }
            if (!JsonReads.str(spec, "nodeName").isEmpty()
                    && !JsonReads.items(spec, "schedulingGates").isEmpty()) {
                errs.forbidden("spec.nodeName", "cannot be set until all schedulingGates have been cleared");
            }
        }
    }

    /** ValidatePodTemplateSpec: note upstream reports template labels under {@code <path>.labels}. */
    static void template(JsonNode template, String path, Errors errs) {
        JsonNode meta = JsonReads.obj(template, "metadata");
        MetadataValidation.labels(JsonReads.obj(meta, "labels"), Errors.child(path, "labels"), errs);
        MetadataValidation.annotations(JsonReads.obj(meta, "annotations"), Errors.child(path, "annotations"), errs);
        JsonNode spec = JsonReads.obj(template, "spec");
        spec(spec, Errors.child(path, "spec"), false, errs);
        if (!JsonReads.items(spec, "ephemeralContainers").isEmpty()) {
            errs.forbidden(
                    Errors.child(path, "spec.ephemeralContainers"),
                    "ephemeral containers not allowed in pod " + "template");
        }
    }

    /** ValidatePodSpec; isPod distinguishes a Pod from a spec embedded in a workload (hostPort rule). */
    static void spec(JsonNode spec, String path, boolean isPod, Errors errs) {
        if (!JsonReads.has(spec, "terminationGracePeriodSeconds")) {
            errs.required(Errors.child(path, "terminationGracePeriodSeconds"), "");
        }
        Set<String> volumes = volumes(JsonReads.items(spec, "volumes"), Errors.child(path, "volumes"), errs);
        containers(spec, volumes, path, errs);
        initContainers(spec, volumes, path, errs);
        hostNetworkPorts(spec, path, isPod, errs);
        String restartPolicy = JsonReads.str(spec, "restartPolicy");
        enumField(restartPolicy, RESTART_POLICIES, Errors.child(path, "restartPolicy"), errs);
        String dnsPolicy = JsonReads.str(spec, "dnsPolicy");
        enumField(dnsPolicy, DNS_POLICIES, Errors.child(path, "dnsPolicy"), errs);
        MetadataValidation.labels(JsonReads.obj(spec, "nodeSelector"), Errors.child(path, "nodeSelector"), errs);
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
        subdomainField(spec, "priorityClassName", path, errs);
        if (JsonReads.has(spec, "runtimeClassName")) {
            String rc = JsonReads.str(spec, "runtimeClassName");
            errs.invalidEach(Errors.child(path, "runtimeClassName"), rc, NameRules.dns1123Subdomain(rc));
        }
        if (JsonReads.has(spec, "preemptionPolicy")) {
            enumField(
                    JsonReads.str(spec, "preemptionPolicy"),
                    List.of("PreemptLowerPriority", "Never"),
                    Errors.child(path, "preemptionPolicy"),
                    errs);
        }
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

    private static Set<String> volumes(List<JsonNode> vols, String path, Errors errs) {
        Set<String> names = new HashSet<>();
        for (int i = 0; i < vols.size(); i++) {
            JsonNode vol = vols.get(i);
            String ip = Errors.index(path, i);
            String name = JsonReads.str(vol, "name");
            Errors el = new Errors();
            int sources = 0;
            for (String source : VOLUME_SOURCES) {
                if (JsonReads.has(vol, source)) {
                    if (sources++ > 0) {
                        el.forbidden(Errors.child(ip, source), "may not specify more than 1 volume type");
                    } else {
                        volumeSource(source, vol.get(source), Errors.child(ip, source), el);
                    }
                }
            }
            if (sources == 0) {
                el.required(ip, "must specify a volume type");
            }
            if (name.isEmpty()) {
                el.required(Errors.child(ip, "name"), "");
            } else {
                el.invalidEach(Errors.child(ip, "name"), name, NameRules.dns1123Label(name));
            }
            if (names.contains(name)) {
                el.duplicate(Errors.child(ip, "name"), name);
            }
            if (el.isEmpty()) {
                names.add(name);
            } else {
                errs.list().addAll(el.list());
            }
        }
        return names;
    }

    /** The required reference of the common volume sources. */
    private static void volumeSource(String source, JsonNode v, String path, Errors errs) {
        String required = switch (source) {
            case "secret" -> "secretName";
            case "configMap" -> "name";
            case "persistentVolumeClaim" -> "claimName";
            case "hostPath" -> "path";
            default -> null;
        };
        if (required != null && JsonReads.str(v, required).isEmpty()) {
            errs.required(Errors.child(path, required), "");
        }
    }

    private static void containers(JsonNode spec, Set<String> volumes, String path, Errors errs) {
        String cp = Errors.child(path, "containers");
        List<JsonNode> ctrs = JsonReads.items(spec, "containers");
        if (ctrs.isEmpty()) {
            errs.required(cp, "");
            return;
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < ctrs.size(); i++) {
            JsonNode ctr = ctrs.get(i);
            String ip = Errors.index(cp, i);
            ContainerValidation.common(ctr, volumes, ip, errs);
            String name = JsonReads.str(ctr, "name");
            if (!names.add(name)) {
                errs.duplicate(Errors.child(ip, "name"), name);
            }
            ContainerValidation.probes(ctr, ip, errs);
            if (JsonReads.has(ctr, "restartPolicy")) {
                errs.forbidden(Errors.child(ip, "restartPolicy"), "may not be set for non-init containers");
            }
        }
        hostPortConflicts(ctrs, cp, errs);
    }

    /** Init container names must also be unique against the regular containers. */
    private static void initContainers(JsonNode spec, Set<String> volumes, String path, Errors errs) {
        String cp = Errors.child(path, "initContainers");
        Set<String> names = new HashSet<>();
        JsonReads.items(spec, "containers").forEach(c -> names.add(JsonReads.str(c, "name")));
        List<JsonNode> ctrs = JsonReads.items(spec, "initContainers");
        for (int i = 0; i < ctrs.size(); i++) {
            JsonNode ctr = ctrs.get(i);
            String ip = Errors.index(cp, i);
            ContainerValidation.common(ctr, volumes, ip, errs);
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
            hostPortConflicts(List.of(ctr), cp, errs);
            if (restartable) {
                ContainerValidation.probes(ctr, ip, errs);
            } else {
                for (String f : List.of("lifecycle", "livenessProbe", "readinessProbe", "startupProbe")) {
                    if (JsonReads.has(ctr, f)) {
                        errs.forbidden(
                                Errors.child(ip, f),
                                "may not be set for init containers without " + "restartPolicy=Always");
                    }
                }
            }
        }
    }

    /** Upstream checks each init container alone, so their conflicts are reported at index 0; kept as is. */
    private static void hostPortConflicts(List<JsonNode> ctrs, String path, Errors errs) {
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
                        "must provide at least one DNS nameserver when " + "`dnsPolicy` is None");
                return;
            }
        }
        if (cfg != null) {
            List<String> ns = JsonReads.strings(cfg, "nameservers");
            if (ns.size() > 3) {
                errs.invalid(
                        Errors.child(path, "nameservers"),
                        GoFormat.stringSlice(ns),
                        "must not have more than 3 " + "nameservers");
            }
            List<String> searches = JsonReads.strings(cfg, "searches");
            for (int i = 0; i < searches.size(); i++) {
                String s = searches.get(i).endsWith(".")
                        ? searches.get(i).substring(0, searches.get(i).length() - 1)
                        : searches.get(i);
                errs.invalidEach(Errors.index(Errors.child(path, "searches"), i), s, NameRules.dns1123Subdomain(s));
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
}
