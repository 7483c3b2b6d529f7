package dev.capstan.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.model.json.JsonReads;
import dev.capstan.model.json.KubeJson;
import java.net.InetAddress;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * discovery.k8s.io/v1 EndpointSlice (pkg/apis/discovery/validation). Upstream leaves conditions and zone
 * unchecked.
 *
 * <p>Strategy: {@link #prepareForCreate} sets generation 1 and drops deprecatedTopology, which v1 writes may not set;
 * {@link #prepareForUpdate} does the same when the endpoints changed (keeping a node name the old topology held) and
 * bumps the generation when anything but metadata, or the labels, changed.
 */
public final class DiscoveryValidation {
    private DiscoveryValidation() {}

    private static final List<String> ADDRESS_TYPES = List.of("FQDN", "IPv4", "IPv6");
    private static final List<String> PROTOCOLS = List.of("SCTP", "TCP", "UDP");
    private static final int MAX_TOPOLOGY_LABELS = 16;
    private static final int MAX_ADDRESSES = 100;
    private static final int MAX_PORTS = 20000;
    private static final int MAX_ENDPOINTS = 1000;
    private static final int MAX_ZONE_HINTS = 8;
    private static final String ZONE_LABEL = "topology.kubernetes.io/zone";
    private static final String HOSTNAME_LABEL = "kubernetes.io/hostname";

    /** ValidateEndpointSliceCreate. */
    public static List<Cause> validateEndpointSlice(ObjectNode obj) {
        Errors errs = new Errors();
        endpointSlice(obj, errs);
        return errs.list();
    }

    /** ValidateEndpointSliceUpdate: the create rules (metadata included) and a fixed addressType. */
    public static List<Cause> validateEndpointSliceUpdate(ObjectNode obj, ObjectNode old) {
        Errors errs = new Errors();
        endpointSlice(obj, errs);
        String type = JsonReads.str(obj, "addressType");
        if (!type.equals(JsonReads.str(old, "addressType"))) {
            errs.invalid("addressType", type, "field is immutable");
        }
        return errs.list();
    }

    private static void endpointSlice(JsonNode eps, Errors errs) {
        GroupMeta.create(GroupMeta.meta(eps), true, GroupMeta.DNS_SUBDOMAIN, errs);
        String type = JsonReads.str(eps, "addressType");
        if (type.isEmpty()) {
            errs.required("addressType", "");
        } else if (!ADDRESS_TYPES.contains(type)) {
            errs.notSupported("addressType", type, ADDRESS_TYPES);
        }
        endpoints(JsonReads.items(eps, "endpoints"), type, errs);
        ports(JsonReads.items(eps, "ports"), errs);
    }

    private static void endpoints(List<JsonNode> endpoints, String type, Errors errs) {
        if (endpoints.size() > MAX_ENDPOINTS) {
            GroupMeta.tooMany("endpoints", endpoints.size(), MAX_ENDPOINTS, errs);
            return;
        }
        for (int i = 0; i < endpoints.size(); i++) {
            JsonNode ep = endpoints.get(i);
            String path = Errors.index("endpoints", i);
            List<String> addresses = JsonReads.strings(ep, "addresses");
            if (addresses.isEmpty()) {
                errs.required(path + ".addresses", "must contain at least 1 address");
            } else if (addresses.size() > MAX_ADDRESSES) {
                GroupMeta.tooMany(path + ".addresses", addresses.size(), MAX_ADDRESSES, errs);
            }
            for (int j = 0; j < addresses.size(); j++) {
                address(addresses.get(j), type, Errors.index(path + ".addresses", j), errs);
            }
            if (JsonReads.has(ep, "nodeName")) {
                String node = JsonReads.str(ep, "nodeName");
                errs.invalidEach(path + ".nodeName", node, NameRules.NameRule.DNS_SUBDOMAIN.check(node, false));
            }
            JsonNode topology = JsonReads.obj(ep, "deprecatedTopology");
            String tp = path + ".deprecatedTopology";
            if (JsonReads.entries(topology).size() > MAX_TOPOLOGY_LABELS) {
                GroupMeta.tooMany(tp, JsonReads.entries(topology).size(), MAX_TOPOLOGY_LABELS, errs);
            }
            MetadataValidation.labels(topology, tp, errs);
            if (JsonReads.has(topology, ZONE_LABEL)) {
                GroupMeta.internal(Errors.key(tp, ZONE_LABEL), "reserved key was not removed in conversion", errs);
            }
            if (JsonReads.has(ep, "hostname")) {
                String hostname = JsonReads.str(ep, "hostname");
                errs.invalidEach(path + ".hostname", hostname, NameRules.dns1123Label(hostname));
            }
            JsonNode hints = JsonReads.obj(ep, "hints");
            if (hints != null) {
                hints(hints, path + ".hints", errs);
            }
        }
    }

    private static void address(String address, String type, String path, Errors errs) {
        switch (type) {
            case "IPv4" -> {
                if (!Net.isIpv4(address)) {
                    errs.invalid(path, address, "must be a valid IPv4 address");
                }
                endpointIp(address, path, errs);
            }
            case "IPv6" -> {
                if (!Net.isIpv6(address)) {
                    errs.invalid(path, address, "must be a valid IPv6 address");
                }
                endpointIp(address, path, errs);
            }
            case "FQDN" -> fqdn(address, path, errs);
            default -> {}
        }
    }

    /** ValidateEndpointIP: a valid IP, not unspecified, loopback or link-local. */
    private static void endpointIp(String ip, String path, Errors errs) {
        InetAddress addr = Net.parseIp(ip);
        if (addr == null) {
            errs.invalid(path, ip, "must be a valid IP address");
            return;
        }
        Errors special = new Errors();
        Net.nonSpecialIp(ip, path, special);
        errs.list().addAll(special.list());
    }

    /** IsFullyQualifiedDomainName: a trailing dot is allowed; at least two labels. */
    private static void fqdn(String name, String path, Errors errs) {
        if (name.isEmpty()) {
            errs.required(path, "");
            return;
        }
        String n = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
        List<String> msgs = NameRules.dns1123Subdomain(n);
        if (!msgs.isEmpty()) {
            errs.invalid(path, n, String.join(",", msgs));
            return;
        }
        String[] labels = n.split("\\.", -1);
        if (labels.length < 2) {
            errs.invalid(path, n, "should be a domain with at least two segments separated by dots");
            return;
        }
        for (String label : labels) {
            List<String> lm = NameRules.dns1123Label(label);
            if (!lm.isEmpty()) {
                errs.invalid(path, label, String.join(",", lm));
                return;
            }
        }
    }

    private static void hints(JsonNode hints, String path, Errors errs) {
        List<JsonNode> zones = JsonReads.items(hints, "forZones");
        String fz = path + ".forZones";
        if (zones.size() > MAX_ZONE_HINTS) {
            GroupMeta.tooMany(fz, zones.size(), MAX_ZONE_HINTS, errs);
            return;
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < zones.size(); i++) {
            String zp = Errors.index(fz, i) + ".name";
            String zone = JsonReads.str(zones.get(i), "name");
            if (!seen.add(zone)) {
                errs.duplicate(zp, zone);
            }
            errs.invalidEach(zp, zone, NameRules.labelValue(zone));
        }
    }

    private static void ports(List<JsonNode> ports, Errors errs) {
        if (ports.size() > MAX_PORTS) {
            GroupMeta.tooMany("ports", ports.size(), MAX_PORTS, errs);
            return;
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < ports.size(); i++) {
            JsonNode port = ports.get(i);
            String path = Errors.index("ports", i);
            String name = JsonReads.str(port, "name");
            if (!name.isEmpty()) {
                errs.invalidEach(path + ".name", name, NameRules.dns1123Label(name));
            }
            if (!names.add(name)) {
                errs.duplicate(path + ".name", name);
            }
            if (!JsonReads.has(port, "protocol")) {
                errs.required(path + ".protocol", "");
            } else if (!PROTOCOLS.contains(JsonReads.str(port, "protocol"))) {
                errs.notSupported(path + ".protocol", JsonReads.str(port, "protocol"), PROTOCOLS);
            }
            if (JsonReads.has(port, "appProtocol")) {
                String app = JsonReads.str(port, "appProtocol");
                errs.invalidEach(path + ".appProtocol", app, NameRules.qualifiedName(app));
            }
        }
    }

    /** discovery/v1 SetDefaults_EndpointPort: an unnamed port's name is "", its protocol TCP. */
    public static void defaultEndpointSlice(ObjectNode obj) {
        for (JsonNode p : JsonReads.items(obj, "ports")) {
            if (p instanceof ObjectNode port) {
                GroupMeta.defaultPointer(port, "name", "");
                GroupMeta.defaultPointer(port, "protocol", "TCP");
            }
        }
    }

    /** PrepareForCreate for a v1 write: generation 1, deprecatedTopology dropped. */
    public static void prepareForCreate(ObjectNode obj) {
        KubeJson.child(obj, "metadata").put("generation", 1);
        dropTopology(obj, null);
    }

    /** PrepareForUpdate for a v1 write. */
    public static void prepareForUpdate(ObjectNode obj, ObjectNode old) {
        if (!PodUpdateValidation.semanticEqual(GroupMeta.get(obj, "endpoints"), GroupMeta.get(old, "endpoints"))) {
            dropTopology(obj, old);
        }
        ObjectNode a = obj.deepCopy();
        ObjectNode b = old.deepCopy();
        a.remove("metadata");
        b.remove("metadata");
        JsonNode labels = GroupMeta.get(GroupMeta.meta(obj), "labels");
        JsonNode oldLabels = GroupMeta.get(GroupMeta.meta(old), "labels");
        long generation = JsonReads.numOr(GroupMeta.meta(old), 0, "generation");
        if (!PodUpdateValidation.semanticEqual(a, b) || !PodUpdateValidation.semanticEqual(labels, oldLabels)) {
            generation++;
        }
        GroupMeta.putInt(KubeJson.child(obj, "metadata"), "generation", generation);
    }

    /** dropTopologyOnV1: a node name only the old topology held moves into nodeName before the field goes. */
    private static void dropTopology(ObjectNode obj, JsonNode old) {
        Set<String> oldNodes = new HashSet<>();
        for (JsonNode ep : JsonReads.items(old, "endpoints")) {
            JsonNode topology = JsonReads.obj(ep, "deprecatedTopology");
            if (JsonReads.has(topology, HOSTNAME_LABEL)) {
                oldNodes.add(JsonReads.str(topology, HOSTNAME_LABEL));
            }
        }
        for (JsonNode e : JsonReads.items(obj, "endpoints")) {
            if (!(e instanceof ObjectNode ep)) {
                continue;
            }
            JsonNode topology = JsonReads.obj(ep, "deprecatedTopology");
            String node = JsonReads.str(topology, HOSTNAME_LABEL);
            if (!JsonReads.has(ep, "nodeName")
                    && JsonReads.has(topology, HOSTNAME_LABEL)
                    && oldNodes.contains(node)
                    && NameRules.NameRule.DNS_SUBDOMAIN.check(node, false).isEmpty()) {
                ep.put("nodeName", node);
            }
            ep.remove("deprecatedTopology");
        }
    }
}
