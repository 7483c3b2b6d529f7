package dev.capstan.api.validation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.model.json.JsonReads;
import dev.capstan.model.quantity.Quantity;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Node: core validation's ValidateNode / ValidateNodeUpdate and core/v1's node defaults, as kube-apiserver 1.32 runs
 * them for {@code nodes} and {@code nodes/status}.
 *
 * <p>The strategy (pkg/registry/core/node): a create keeps everything the client sent, status included, except the
 * removed dynamic kubelet config ({@code spec.configSource}, {@code status.config}); an update keeps the stored
 * status and drops a new {@code spec.configSource}; a status update keeps the stored spec and drops a new
 * {@code status.config}. {@code status.features} belongs to the alpha SupplementalGroupsPolicy gate and is dropped
 * unless the stored node already has it. {@link #prepareForCreate}, {@link #prepareForUpdate} and
 * {@link #prepareForStatusUpdate} do exactly that. The main update validates with ValidateNode and then
 * ValidateNodeUpdate (so create-time causes repeat, as upstream's do); the status update runs ValidateNodeUpdate alone.
 */
public final class NodeValidation {
    private NodeValidation() {}

    private static final List<String> TAINT_EFFECTS = List.of("NoSchedule", "PreferNoSchedule", "NoExecute");
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** Go's json.Unmarshal error text cannot be reproduced; this stands in for it. */
    private static final String BAD_JSON = "invalid character in JSON";

    /** The node strategy's Validate: ValidateNode. */
    public static List<Cause> validateNode(ObjectNode obj) {
        Errors errs = new Errors();
        node(obj, errs);
        return errs.list();
    }

    /** The node strategy's ValidateUpdate: ValidateNode then ValidateNodeUpdate. */
    public static List<Cause> validateNodeUpdate(ObjectNode obj, ObjectNode old) {
        Errors errs = new Errors();
        node(obj, errs);
        update(obj, old, errs);
        return errs.list();
    }

    /** The node status strategy's ValidateUpdate: ValidateNodeUpdate alone. */
    public static List<Cause> validateNodeStatusUpdate(ObjectNode obj, ObjectNode old) {
        Errors errs = new Errors();
        update(obj, old, errs);
        return errs.list();
    }

    /** SetObjectDefaults_Node: allocatable defaults to capacity; both are rounded up to milli precision. */
    public static void defaultNode(ObjectNode obj) {
        ObjectNode status = JsonReads.obj(obj, "status");
        if (status == null) {
            return;
        }
        if (!JsonReads.has(status, "allocatable") && JsonReads.obj(status, "capacity") != null) {
            status.set("allocatable", status.get("capacity").deepCopy());
        }
        ResourceRules.roundUpToMilli(JsonReads.obj(status, "capacity"));
        ResourceRules.roundUpToMilli(JsonReads.obj(status, "allocatable"));
    }

    /** PrepareForCreate: the removed dynamic kubelet config and the gated node features are dropped. */
    public static void prepareForCreate(ObjectNode obj) {
        if (JsonReads.obj(obj, "spec") instanceof ObjectNode spec) {
            spec.remove("configSource");
        }
        if (JsonReads.obj(obj, "status") instanceof ObjectNode status) {
            status.remove("config");
            status.remove("features");
        }
    }

    /** PrepareForUpdate: the stored status is kept; a configSource or features the old node lacks is dropped. */
    public static void prepareForUpdate(ObjectNode obj, ObjectNode old) {
        copy(old, obj, "status");
        if (JsonReads.obj(obj, "spec") instanceof ObjectNode spec
                && !JsonReads.has(JsonReads.obj(old, "spec"), "configSource")) {
            spec.remove("configSource");
        }
        dropFeatures(obj, old);
    }

    /** The status strategy's PrepareForUpdate: the stored spec is kept; a new status.config is dropped. */
    public static void prepareForStatusUpdate(ObjectNode obj, ObjectNode old) {
        copy(old, obj, "spec");
        if (JsonReads.obj(obj, "status") instanceof ObjectNode status
                && !JsonReads.has(JsonReads.obj(old, "status"), "config")) {
            status.remove("config");
        }
        dropFeatures(obj, old);
    }

    private static void dropFeatures(ObjectNode obj, ObjectNode old) {
        if (JsonReads.obj(obj, "status") instanceof ObjectNode status
                && !JsonReads.has(JsonReads.obj(old, "status"), "features")) {
            status.remove("features");
        }
    }

    private static void copy(ObjectNode from, ObjectNode to, String field) {
        if (JsonReads.has(from, field)) {
            to.set(field, from.get(field).deepCopy());
        } else {
            to.remove(field);
        }
    }

    private static void node(ObjectNode obj, Errors errs) {
        CoreObjectMeta.create(obj, NameRules.NameRule.DNS_SUBDOMAIN, false, errs);
        JsonNode meta = JsonReads.obj(obj, "metadata");
        annotations(JsonReads.obj(meta, "annotations"), errs);
        JsonNode spec = JsonReads.obj(obj, "spec");
        // upstream reports spec taints under metadata.taints
        taints(JsonReads.items(spec, "taints"), "metadata.taints", errs);
        resources(obj, errs);
        List<String> cidrs = podCidrs(spec);
        for (int i = 0; i < cidrs.size(); i++) {
            if (!Net.isCidr(cidrs.get(i))) {
                errs.invalid(
                        Errors.index("spec.podCIDRs", i),
                        cidrs.get(i),
                        "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)");
            }
        }
        if (cidrs.size() > 1) {
            boolean dualStack = cidrs.size() == 2
                    && cidrs.stream().allMatch(Net::isCidr)
                    && isV6Cidr(cidrs.get(0)) != isV6Cidr(cidrs.get(1));
            if (cidrs.stream().allMatch(Net::isCidr) && !dualStack) {
                errs.invalid(
                        "spec.podCIDRs",
                        GoFormat.stringSlice(cidrs),
                        "may specify no more than one CIDR for each IP family");
            } else if (!cidrs.stream().allMatch(Net::isCidr)) {
                // upstream's dual-stack check fails on a bad CIDR with an internal error, then reports the family rule
                errs.list()
                        .add(new Cause(
                                "InternalError",
                                "Internal error: invalid PodCIDRs. failed to check with dual stack with error:"
                                        + firstBadCidr(cidrs),
                                "spec.podCIDRs"));
                errs.invalid(
                        "spec.podCIDRs",
                        GoFormat.stringSlice(cidrs),
                        "may specify no more than one CIDR for each IP family");
            }
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < cidrs.size(); i++) {
                if (!seen.add(cidrs.get(i))) {
                    errs.duplicate(Errors.index("spec.podCIDRs", i), cidrs.get(i));
                }
            }
        }
    }

    private static String firstBadCidr(List<String> cidrs) {
        return cidrs.stream()
                .filter(c -> !Net.isCidr(c))
                .findFirst()
                .map(c -> "invalid CIDR address: " + c)
                .orElse("");
    }

    private static boolean isV6Cidr(String cidr) {
        return cidr.substring(0, cidr.indexOf('/')).contains(":");
    }

    /** The v1 to internal conversion: podCIDR wins when it disagrees with podCIDRs[0], and fills an empty list. */
    static List<String> podCidrs(JsonNode spec) {
        String single = JsonReads.str(spec, "podCIDR");
        List<String> list = JsonReads.strings(spec, "podCIDRs");
        if (!single.isEmpty() && (list.isEmpty() || !list.get(0).equals(single))) {
            return List.of(single);
        }
        return list;
    }

    private static void update(ObjectNode obj, ObjectNode old, Errors errs) {
        CoreObjectMeta.update(obj, errs);
        JsonNode meta = JsonReads.obj(obj, "metadata");
        annotations(JsonReads.obj(meta, "annotations"), errs);
        resources(obj, errs);
        JsonNode status = JsonReads.obj(obj, "status");
        Set<String> addresses = new HashSet<>();
        List<JsonNode> addrs = JsonReads.items(status, "addresses");
        for (int i = 0; i < addrs.size(); i++) {
            String type = JsonReads.str(addrs.get(i), "type");
            String address = JsonReads.str(addrs.get(i), "address");
            if (!addresses.add(type + "\u0000" + address)) {
                errs.duplicate(
                        Errors.index("status.addresses", i),
                        new GoFormat.Literal("core.NodeAddress{Type:" + GoFormat.quote(type) + ", Address:"
                                + GoFormat.quote(address) + "}"));
            }
        }
        JsonNode spec = JsonReads.obj(obj, "spec");
        JsonNode oldSpec = JsonReads.obj(old, "spec");
        List<String> oldCidrs = podCidrs(oldSpec);
        List<String> cidrs = podCidrs(spec);
        if (!oldCidrs.isEmpty()) {
            String msg = "node updates may not change podCIDR except from \"\" to valid";
            if (oldCidrs.size() != cidrs.size()) {
                errs.forbidden("spec.podCIDRs", msg);
            } else {
                for (int i = 0; i < oldCidrs.size(); i++) {
                    if (!oldCidrs.get(i).equals(cidrs.get(i))) {
                        errs.forbidden("spec.podCIDRs", msg);
                    }
                }
            }
        }
        String oldProvider = JsonReads.str(oldSpec, "providerID");
        if (!oldProvider.isEmpty() && !oldProvider.equals(JsonReads.str(spec, "providerID"))) {
            errs.forbidden("spec.providerID", "node updates may not change providerID except from \"\" to valid");
        }
        if (JsonReads.obj(spec, "configSource") instanceof ObjectNode source) {
            configSource(source, "spec.configSource", true, errs);
        }
        if (JsonReads.obj(status, "config") instanceof ObjectNode config) {
            for (String f : List.of("assigned", "active", "lastKnownGood")) {
                if (JsonReads.obj(config, f) instanceof ObjectNode source) {
                    configSource(source, "status.config." + f, false, errs);
                }
            }
        }
        taints(JsonReads.items(spec, "taints"), "metadata.taints", errs);
        if (!JsonReads.str(spec, "externalID").equals(JsonReads.str(oldSpec, "externalID"))) {
            errs.forbidden("spec.externalID", "may not be updated");
        }
    }

    /** ValidateNodeResources: capacity and allocatable quantities, reported as status.capacity.<name>. */
    private static void resources(ObjectNode obj, Errors errs) {
        JsonNode status = JsonReads.obj(obj, "status");
        for (String list : List.of("capacity", "allocatable")) {
            for (Map.Entry<String, String> e : JsonReads.entries(status, list)) {
                String path = "status." + list + "." + e.getKey();
                Quantity q = ResourceRules.parse(e.getValue(), path, errs);
                if (q != null) {
                    ResourceRules.quantityValue(e.getKey(), e.getValue(), q, path, errs);
                }
            }
        }
    }

    /** validateNodeTaints: key, value, effect, and uniqueness by key and effect. */
    static void taints(List<JsonNode> taints, String path, Errors errs) {
        Map<String, Set<String>> keysByEffect = new HashMap<>();
        for (int i = 0; i < taints.size(); i++) {
            JsonNode t = taints.get(i);
            String ip = Errors.index(path, i);
            String key = JsonReads.str(t, "key");
            String value = JsonReads.str(t, "value");
            String effect = JsonReads.str(t, "effect");
            errs.invalidEach(Errors.child(ip, "key"), key, NameRules.qualifiedName(key));
            List<String> valueErrs = NameRules.labelValue(value);
            if (!valueErrs.isEmpty()) {
                errs.invalid(Errors.child(ip, "value"), value, String.join(";", valueErrs));
            }
            if (effect.isEmpty()) {
                errs.required(Errors.child(ip, "effect"), "");
            } else if (!TAINT_EFFECTS.contains(effect)) {
                errs.notSupported(Errors.child(ip, "effect"), effect, TAINT_EFFECTS);
            }
            Set<String> keys = keysByEffect.computeIfAbsent(effect, k -> new HashSet<>());
            if (!keys.add(key)) {
                errs.list()
                        .add(new Cause(
                                "FieldValueDuplicate",
                                "Duplicate value: " + taint(t).text()
                                        + ": taints must be unique by key and effect pair",
                                ip));
            }
        }
    }

    private static GoFormat.Literal taint(JsonNode t) {
        return new GoFormat.Literal("core.Taint{Key:" + GoFormat.quote(JsonReads.str(t, "key")) + ", Value:"
                + GoFormat.quote(JsonReads.str(t, "value")) + ", Effect:" + GoFormat.quote(JsonReads.str(t, "effect"))
                + ", TimeAdded:(*v1.Time)(" + (JsonReads.has(t, "timeAdded") ? "0xc000000000" : "nil") + ")}");
    }

    /** ValidateNodeSpecificAnnotations: the taints and preferAvoidPods annotations must parse and be valid. */
    private static void annotations(JsonNode annotations, Errors errs) {
        String path = "metadata.annotations";
        String taintsKey = "scheduler.alpha.kubernetes.io/taints";
        String raw = JsonReads.str(annotations, taintsKey);
        if (!raw.isEmpty()) {
            List<JsonNode> taints = new ArrayList<>();
            if (parseArray(raw, taints)) {
                taints(taints, Errors.child(path, taintsKey), errs);
            } else {
                errs.invalid(path, taintsKey, BAD_JSON);
            }
        }
        String avoidKey = "scheduler.alpha.kubernetes.io/preferAvoidPods";
        String avoid = JsonReads.str(annotations, avoidKey);
        if (!avoid.isEmpty()) {
            JsonNode parsed;
            try {
                parsed = MAPPER.readTree(avoid);
            } catch (JsonProcessingException e) {
                parsed = null;
            }
            if (parsed == null || !parsed.isObject()) {
                errs.invalid(Errors.child(path, "AvoidPods"), avoidKey, BAD_JSON);
                return;
            }
            List<JsonNode> entries = JsonReads.items(parsed, "preferAvoidPods");
            for (int i = 0; i < entries.size(); i++) {
                String ip = Errors.index(Errors.child(path, avoidKey), i);
                JsonNode controller = JsonReads.obj(entries.get(i), "podSignature", "podController");
                if (controller == null) {
                    errs.required(Errors.child(ip, "PodSignature"), "");
                } else if (!JsonReads.bool(controller, "controller")) {
                    errs.invalid(
                            Errors.child(ip, "PodSignature.PodController.Controller"),
                            false,
                            "must point to a controller");
                }
            }
        }
    }

    private static boolean parseArray(String raw, List<JsonNode> out) {
        try {
            JsonNode parsed = MAPPER.readTree(raw);
            if (parsed == null || !parsed.isArray()) {
                return parsed != null && parsed.isNull();
            }
            parsed.forEach(out::add);
            return true;
        } catch (JsonProcessingException e) {
            return false;
        }
    }

    /** The deprecated dynamic kubelet config reference: exactly one source; uid and resourceVersion by place. */
    private static void configSource(ObjectNode source, String path, boolean spec, Errors errs) {
        JsonNode cm = JsonReads.obj(source, "configMap");
        if (cm == null) {
            errs.invalid(
                    path,
                    new GoFormat.Literal("core.NodeConfigSource{ConfigMap:(*core.ConfigMapNodeConfigSource)(nil)}"),
                    "exactly one reference subfield must be non-nil");
            return;
        }
        String cp = Errors.child(path, "configMap");
        if (spec) {
            if (!JsonReads.str(cm, "uid").isEmpty()) {
                errs.forbidden(Errors.child(cp, "uid"), "uid must not be set in spec");
            }
            if (!JsonReads.str(cm, "resourceVersion").isEmpty()) {
                errs.forbidden(Errors.child(cp, "resourceVersion"), "resourceVersion must not be set in spec");
            }
        } else {
            if (JsonReads.str(cm, "uid").isEmpty()) {
                errs.required(Errors.child(cp, "uid"), "uid must be set in status");
            }
            if (JsonReads.str(cm, "resourceVersion").isEmpty()) {
                errs.required(Errors.child(cp, "resourceVersion"), "resourceVersion must be set in status");
            }
        }
        String ns = JsonReads.str(cm, "namespace");
        if (ns.isEmpty()) {
            errs.required(Errors.child(cp, "namespace"), "namespace must be set");
        } else {
            errs.invalidEach(Errors.child(cp, "namespace"), ns, NameRules.dns1123Label(ns));
        }
        String name = JsonReads.str(cm, "name");
        if (name.isEmpty()) {
            errs.required(Errors.child(cp, "name"), "name must be set");
        } else {
            errs.invalidEach(Errors.child(cp, "name"), name, NameRules.dns1123Subdomain(name));
        }
        String key = JsonReads.str(cm, "kubeletConfigKey");
        if (key.isEmpty()) {
            errs.required(Errors.child(cp, "kubeletConfigKey"), "kubeletConfigKey must be set");
        } else {
            errs.invalidEach(Errors.child(cp, "kubeletConfigKey"), key, NameRules.configMapKey(key));
        }
    }
}
