package dev.capstan.api.table;

import static dev.capstan.api.table.Descriptions.ENDPOINT_SLICE_ADDRESS_TYPE;
import static dev.capstan.api.table.Descriptions.ENDPOINT_SLICE_ENDPOINTS;
import static dev.capstan.api.table.Descriptions.ENDPOINT_SLICE_PORTS;
import static dev.capstan.api.table.Descriptions.NETWORK_POLICY_SPEC_POD_SELECTOR;

import com.fasterxml.jackson.databind.JsonNode;
import dev.capstan.model.json.JsonReads;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** networking.k8s.io Ingress and NetworkPolicy, discovery.k8s.io EndpointSlice. */
public final class NetworkingPrinters {
    private static final int MAX_LISTED = 3;

    private NetworkingPrinters() {}

    /** The table of Ingresses. */
    public static final KindTable INGRESS = new KindTable(
            List.of(
                    Columns.name(),
                    Columns.string(
                            "Class",
                            "The name of the IngressClass resource that should be used for additional"
                                    + " configuration"),
                    Columns.string("Hosts", "Hosts that incoming requests are matched against before the ingress rule"),
                    Columns.string("Address", "Address is a list containing ingress points for the load-balancer"),
                    Columns.string("Ports", "Ports of TLS configurations that open"),
                    Columns.age()),
            NetworkingPrinters::ingress);

    /** The table of NetworkPolicys. */
    public static final KindTable NETWORK_POLICY = new KindTable(
            List.of(Columns.name(), Columns.string("Pod-Selector", NETWORK_POLICY_SPEC_POD_SELECTOR), Columns.age()),
            (o, now) -> List.of(
                    Nodes.name(o),
                    Labels.formatLabelSelector(JsonReads.at(o, "spec", "podSelector")),
                    Nodes.age(o, now)));

    /** The table of EndpointSlices. */
    public static final KindTable ENDPOINT_SLICE = new KindTable(
            List.of(
                    Columns.name(),
                    Columns.string("AddressType", ENDPOINT_SLICE_ADDRESS_TYPE),
                    Columns.string("Ports", ENDPOINT_SLICE_PORTS),
                    Columns.string("Endpoints", ENDPOINT_SLICE_ENDPOINTS),
                    Columns.age()),
            NetworkingPrinters::endpointSlice);

    static List<Object> ingress(JsonNode ingress, Instant now) {
        JsonNode spec = JsonReads.at(ingress, "spec");
        return List.of(
                Nodes.name(ingress),
                JsonReads.has(spec, "ingressClassName") ? JsonReads.str(spec, "ingressClassName") : "<none>",
                hosts(JsonReads.items(spec, "rules")),
                CorePrinters.loadBalancerIngress(JsonReads.at(ingress, "status", "loadBalancer")),
                JsonReads.size(spec, "tls") > 0 ? "80, 443" : "80",
                Nodes.age(ingress, now));
    }

    /** Up to three rule hosts; "*" when no rule names a host. The overflow counts host-less rules too. */
    private static String hosts(List<JsonNode> rules) {
        List<String> list = new ArrayList<>();
        boolean more = false;
        for (JsonNode rule : rules) {
            if (list.size() == MAX_LISTED) {
                more = true;
            }
            String host = JsonReads.str(rule, "host");
            if (!more && !host.isEmpty()) {
                list.add(host);
            }
        }
        if (list.isEmpty()) {
            return "*";
        }
        String joined = String.join(",", list);
        return more ? joined + " + " + (rules.size() - MAX_LISTED) + " more..." : joined;
    }

    static List<Object> endpointSlice(JsonNode slice, Instant now) {
        List<String> ports = new ArrayList<>();
        for (JsonNode port : JsonReads.items(slice, "ports")) {
            if (JsonReads.has(port, "port")) {
                ports.add(Long.toString(JsonReads.numOr(port, 0, "port")));
            } else if (JsonReads.has(port, "name")) {
                ports.add(JsonReads.str(port, "name"));
            } else {
                ports.add("*");
            }
        }
        List<String> addresses = new ArrayList<>();
        for (JsonNode endpoint : JsonReads.items(slice, "endpoints")) {
            JsonReads.items(endpoint, "addresses").forEach(a -> addresses.add(a.asText()));
        }
        return List.of(
                Nodes.name(slice),
                JsonReads.str(slice, "addressType"),
                listWithMore(ports),
                listWithMore(addresses),
                Nodes.age(slice, now));
    }

    /** Upstream's listWithMoreString: up to three items, "&lt;unset&gt;" when there are none. */
    private static String listWithMore(List<String> items) {
        String joined = String.join(",", items.subList(0, Math.min(items.size(), MAX_LISTED)));
        if (items.size() > MAX_LISTED) {
            return joined + " + " + (items.size() - MAX_LISTED) + " more...";
        }
        return joined.isEmpty() ? "<unset>" : joined;
    }
}
