package dev.capstan.api.table;

import static dev.capstan.api.table.Descriptions.CONFIG_MAP_DATA;
import static dev.capstan.api.table.Descriptions.ENDPOINTS_SUBSETS;
import static dev.capstan.api.table.Descriptions.NODE_INFO_CONTAINER_RUNTIME_VERSION;
import static dev.capstan.api.table.Descriptions.NODE_INFO_KERNEL_VERSION;
import static dev.capstan.api.table.Descriptions.NODE_INFO_KUBELET_VERSION;
import static dev.capstan.api.table.Descriptions.NODE_INFO_OS_IMAGE;
import static dev.capstan.api.table.Descriptions.NODE_STATUS_ADDRESSES;
import static dev.capstan.api.table.Descriptions.SECRET_DATA;
import static dev.capstan.api.table.Descriptions.SECRET_TYPE;
import static dev.capstan.api.table.Descriptions.SERVICE_ACCOUNT_SECRETS;
import static dev.capstan.api.table.Descriptions.SERVICE_SPEC_CLUSTER_IP;
import static dev.capstan.api.table.Descriptions.SERVICE_SPEC_EXTERNAL_IPS;
import static dev.capstan.api.table.Descriptions.SERVICE_SPEC_PORTS;
import static dev.capstan.api.table.Descriptions.SERVICE_SPEC_SELECTOR;
import static dev.capstan.api.table.Descriptions.SERVICE_SPEC_TYPE;

import com.fasterxml.jackson.databind.JsonNode;
import dev.capstan.model.json.JsonReads;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Core-group printers other than pods, events and storage. Where the API server defaults a field the printer reads
 * (service type, port protocol, secret type, namespace phase), an absent field prints as its default.
 */
public final class CorePrinters {
    private static final String NODE_ROLE_PREFIX = "node-role.kubernetes.io/";
    private static final String NODE_ROLE_LABEL = "kubernetes.io/role";

    private CorePrinters() {}

    /** The table of Services. */
    public static final KindTable SERVICE = new KindTable(
            List.of(
                    Columns.name(),
                    Columns.string("Type", SERVICE_SPEC_TYPE),
                    Columns.string("Cluster-IP", SERVICE_SPEC_CLUSTER_IP),
                    Columns.string("External-IP", SERVICE_SPEC_EXTERNAL_IPS),
                    Columns.string("Port(s)", SERVICE_SPEC_PORTS),
                    Columns.age(),
                    Columns.wide("Selector", SERVICE_SPEC_SELECTOR)),
            CorePrinters::service);

    /** The table of Endpointses. */
    public static final KindTable ENDPOINTS = new KindTable(
            List.of(Columns.name(), Columns.string("Endpoints", ENDPOINTS_SUBSETS), Columns.age()),
            (o, now) -> List.of(Nodes.name(o), endpoints(o), Nodes.age(o, now)));

    /** The table of ConfigMaps. */
    public static final KindTable CONFIG_MAP = new KindTable(
            List.of(Columns.name(), Columns.string("Data", CONFIG_MAP_DATA), Columns.age()),
            (o, now) -> List.of(
                    Nodes.name(o),
                    (long) (JsonReads.size(o, "data") + JsonReads.size(o, "binaryData")),
                    Nodes.age(o, now)));

    /** The table of Secrets. */
    public static final KindTable SECRET = new KindTable(
            List.of(
                    Columns.name(),
                    Columns.string("Type", SECRET_TYPE),
                    Columns.string("Data", SECRET_DATA),
                    Columns.age()),
            (o, now) -> List.of(
                    Nodes.name(o), JsonReads.strOr(o, "Opaque", "type"), secretDataCount(o), Nodes.age(o, now)));

    /** The table of ServiceAccounts. */
    public static final KindTable SERVICE_ACCOUNT = new KindTable(
            List.of(Columns.name(), Columns.string("Secrets", SERVICE_ACCOUNT_SECRETS), Columns.age()),
            (o, now) -> List.of(Nodes.name(o), (long) JsonReads.size(o, "secrets"), Nodes.age(o, now)));

    /** The table of Namespaces. */
    public static final KindTable NAMESPACE = new KindTable(
            List.of(Columns.name(), Columns.string("Status", "The status of the namespace"), Columns.age()),
            (o, now) -> List.of(Nodes.name(o), JsonReads.strOr(o, "Active", "status", "phase"), Nodes.age(o, now)));

    /** The table of Nodes. */
    public static final KindTable NODE = new KindTable(
            List.of(
                    Columns.name(),
                    Columns.string("Status", "The status of the node"),
                    Columns.string("Roles", "The roles of the node"),
                    Columns.age(),
                    Columns.string("Version", NODE_INFO_KUBELET_VERSION),
                    Columns.wide("Internal-IP", NODE_STATUS_ADDRESSES),
                    Columns.wide("External-IP", NODE_STATUS_ADDRESSES),
                    Columns.wide("OS-Image", NODE_INFO_OS_IMAGE),
                    Columns.wide("Kernel-Version", NODE_INFO_KERNEL_VERSION),
                    Columns.wide("Container-Runtime", NODE_INFO_CONTAINER_RUNTIME_VERSION)),
            CorePrinters::node);

    /** The table of ResourceQuotas. */
    public static final KindTable RESOURCE_QUOTA = new KindTable(
            List.of(
                    Columns.name(),
                    Columns.string(
                            "Request",
                            "Request represents a minimum amount of cpu/memory that a container may consume."),
                    Columns.string(
                            "Limit",
                            "Limits control the maximum amount of cpu/memory that a container may use independent"
                                    + " of contention on the node."),
                    Columns.age()),
            CorePrinters::resourceQuota);

    /** The table of LimitRanges. */
    public static final KindTable LIMIT_RANGE =
            new KindTable(DefaultTable.TABLE.columns(), DefaultTable.TABLE.printer());

    static List<Object> service(JsonNode svc, Instant now) {
        JsonNode spec = JsonReads.at(svc, "spec");
        String type = JsonReads.strOr(spec, "ClusterIP", "type");
        // Upstream prints clusterIPs[0], which the API server fills from clusterIP; fall back to it when absent.
        String clusterIp = JsonReads.size(spec, "clusterIPs") > 0
                ? JsonReads.str(JsonReads.items(spec, "clusterIPs").get(0))
                : JsonReads.strOr(spec, "<none>", "clusterIP");
        List<String> ports = new ArrayList<>();
        for (JsonNode port : JsonReads.items(spec, "ports")) {
            String protocol = JsonReads.strOr(port, "TCP", "protocol");
            long nodePort = JsonReads.numOr(port, 0, "nodePort");
            ports.add(JsonReads.numOr(port, 0, "port") + (nodePort > 0 ? ":" + nodePort : "") + "/" + protocol);
        }
        return List.of(
                Nodes.name(svc),
                type,
                clusterIp,
                externalIp(svc, type),
                ports.isEmpty() ? "<none>" : String.join(",", ports),
                Nodes.age(svc, now),
                Labels.formatLabels(JsonReads.stringMap(spec, "selector")));
    }

    private static String externalIp(JsonNode svc, String type) {
        List<String> externalIps = new ArrayList<>();
        JsonReads.items(svc, "spec", "externalIPs").forEach(ip -> externalIps.add(ip.asText()));
        return switch (type) {
            case "ClusterIP", "NodePort" -> externalIps.isEmpty() ? "<none>" : String.join(",", externalIps);
            case "LoadBalancer" -> {
                String lbIps = loadBalancerIngress(JsonReads.at(svc, "status", "loadBalancer"));
                if (!externalIps.isEmpty()) {
                    List<String> results = new ArrayList<>();
                    if (!lbIps.isEmpty()) {
                        results.addAll(List.of(lbIps.split(",")));
                    }
                    results.addAll(externalIps);
                    yield String.join(",", results);
                }
                yield lbIps.isEmpty() ? "<pending>" : lbIps;
            }
            case "ExternalName" -> JsonReads.str(svc, "spec", "externalName");
            default -> "<unknown>";
        };
    }

    /**
     * Sorted, de-duplicated ingress IPs (or hostnames) of a load balancer status. Server-side tables are always
     * generated wide, so upstream's 16-character clipping never applies.
     */
    static String loadBalancerIngress(JsonNode loadBalancerStatus) {
        Set<String> result = new TreeSet<>();
        for (JsonNode ingress : JsonReads.items(loadBalancerStatus, "ingress")) {
            String ip = JsonReads.str(ingress, "ip");
            String hostname = JsonReads.str(ingress, "hostname");
            if (!ip.isEmpty()) {
                result.add(ip);
            } else if (!hostname.isEmpty()) {
                result.add(hostname);
            }
        }
        return String.join(",", result);
    }

    /** Upstream's formatEndpoints: up to three address:port pairs, then "+ N more...". */
    static String endpoints(JsonNode endpoints) {
        List<JsonNode> subsets = JsonReads.items(endpoints, "subsets");
        if (subsets.isEmpty()) {
            return "<none>";
        }
        int max = 3;
        List<String> list = new ArrayList<>();
        boolean more = false;
        int count = 0;
        for (JsonNode subset : subsets) {
            List<JsonNode> addresses = JsonReads.items(subset, "addresses");
            List<JsonNode> ports = JsonReads.items(subset, "ports");
            // Headless services may have no ports: list bare addresses.
            List<Long> portNumbers = new ArrayList<>();
            ports.forEach(p -> portNumbers.add(JsonReads.numOr(p, 0, "port")));
            if (portNumbers.isEmpty()) {
                portNumbers.add(null);
            }
            for (Long port : portNumbers) {
                count += addresses.size();
                for (JsonNode address : addresses) {
                    if (list.size() == max) {
                        more = true;
                        break;
                    }
                    String ip = JsonReads.str(address, "ip");
                    list.add(port == null ? ip : joinHostPort(ip, port));
                }
            }
        }
        String joined = String.join(",", list);
        return more ? joined + " + " + (count - max) + " more..." : joined;
    }

    private static String joinHostPort(String host, long port) {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    /** The v1 conversion merges stringData into data, so both count. */
    private static long secretDataCount(JsonNode secret) {
        Set<String> keys = new HashSet<>();
        JsonReads.stringMap(secret, "data").keySet().forEach(keys::add);
        JsonReads.stringMap(secret, "stringData").keySet().forEach(keys::add);
        return keys.size();
    }

    static List<Object> node(JsonNode node, Instant now) {
        JsonNode status = JsonReads.at(node, "status");
        // Only the Ready condition matters; a later duplicate wins, as in upstream's condition map.
        Map<String, String> conditions = new HashMap<>();
        JsonReads.items(status, "conditions")
                .forEach(c -> conditions.put(JsonReads.str(c, "type"), JsonReads.str(c, "status")));
        List<String> states = new ArrayList<>();
        if (conditions.containsKey("Ready")) {
            states.add(conditions.get("Ready").equals("True") ? "Ready" : "NotReady");
        } else {
            states.add("Unknown");
        }
        if (JsonReads.bool(node, "spec", "unschedulable")) {
            states.add("SchedulingDisabled");
        }
        Set<String> roles = new TreeSet<>();
        JsonReads.stringMap(node, "metadata", "labels").forEach((key, value) -> {
            if (key.startsWith(NODE_ROLE_PREFIX) && key.length() > NODE_ROLE_PREFIX.length()) {
                roles.add(key.substring(NODE_ROLE_PREFIX.length()));
            } else if (key.equals(NODE_ROLE_LABEL) && !value.isEmpty()) {
                roles.add(value);
            }
        });
        JsonNode info = JsonReads.at(status, "nodeInfo");
        return List.of(
                Nodes.name(node),
                String.join(",", states),
                roles.isEmpty() ? "<none>" : String.join(",", roles),
                Nodes.age(node, now),
                JsonReads.str(info, "kubeletVersion"),
                nodeAddress(status, "InternalIP"),
                nodeAddress(status, "ExternalIP"),
                JsonReads.strOr(info, "<unknown>", "osImage"),
                JsonReads.strOr(info, "<unknown>", "kernelVersion"),
                JsonReads.strOr(info, "<unknown>", "containerRuntimeVersion"));
    }

    private static String nodeAddress(JsonNode status, String type) {
        return JsonReads.items(status, "addresses").stream()
                .filter(a -> JsonReads.str(a, "type").equals(type))
                .map(a -> JsonReads.str(a, "address"))
                .findFirst()
                .orElse("<none>");
    }

    /** "resource: used/hard" per hard limit, sorted by name; limits.* resources go to the Limit column. */
    static List<Object> resourceQuota(JsonNode quota, Instant now) {
        List<String> requests = new ArrayList<>();
        List<String> limits = new ArrayList<>();
        Map<String, String> hard = new TreeMap<>(JsonReads.stringMap(quota, "status", "hard"));
        hard.forEach((resource, quantity) -> {
            String used = Nodes.quantity(quota, "status", "used", resource);
            String[] pieces = resource.split("\\.", -1);
            List<String> target = pieces.length > 1 && pieces[0].equals("limits") ? limits : requests;
            target.add(resource + ": " + used + "/" + Nodes.quantity(quantity));
        });
        return List.of(
                Nodes.name(quota), String.join(", ", requests), String.join(", ", limits), Nodes.age(quota, now));
    }
}
