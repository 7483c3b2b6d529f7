package dev.capstan.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.model.json.JsonReads;
import java.net.InetAddress;
import java.util.List;

/**
 * Endpoints: core validation's ValidateEndpointsCreate / ValidateEndpointsUpdate and the v1 default port protocol.
 *
 * <p>The strategy (pkg/registry/core/endpoint) resets nothing. After validation its Canonicalize repacks the subsets
 * (RepackSubsets: addresses grouped by identical port sets, sorted); that storage normalisation is not done here.
 */
public final class EndpointsValidation {
    private EndpointsValidation() {}

    /** ValidateEndpointsCreate. */
    public static List<Cause> validateEndpoints(ObjectNode obj) {
        Errors errs = new Errors();
        endpoints(obj, errs);
        return errs.list();
    }

    /** ValidateEndpointsUpdate: metadata update checks, then the whole create validation again. */
    public static List<Cause> validateEndpointsUpdate(ObjectNode obj, ObjectNode old) {
        Errors errs = new Errors();
        CoreObjectMeta.update(obj, errs);
        endpoints(obj, errs);
        return errs.list();
    }

    /** SetDefaults_Endpoints: a port without a protocol is TCP. */
    public static void defaultEndpoints(ObjectNode obj) {
        for (JsonNode subset : JsonReads.items(obj, "subsets")) {
            for (JsonNode port : JsonReads.items(subset, "ports")) {
                PodDefaults.putIfAbsent((ObjectNode) port, "protocol", "TCP");
            }
        }
    }

    private static void endpoints(ObjectNode obj, Errors errs) {
        CoreObjectMeta.create(obj, NameRules.NameRule.DNS_SUBDOMAIN, true, errs);
        List<JsonNode> subsets = JsonReads.items(obj, "subsets");
        for (int i = 0; i < subsets.size(); i++) {
            JsonNode ss = subsets.get(i);
            String ip = Errors.index("subsets", i);
            List<JsonNode> ready = JsonReads.items(ss, "addresses");
            List<JsonNode> notReady = JsonReads.items(ss, "notReadyAddresses");
            if (ready.isEmpty() && notReady.isEmpty()) {
                errs.required(ip, "must specify `addresses` or `notReadyAddresses`");
            }
            for (int a = 0; a < ready.size(); a++) {
                address(ready.get(a), Errors.index(Errors.child(ip, "addresses"), a), errs);
            }
            for (int a = 0; a < notReady.size(); a++) {
                address(notReady.get(a), Errors.index(Errors.child(ip, "notReadyAddresses"), a), errs);
            }
            List<JsonNode> ports = JsonReads.items(ss, "ports");
            for (int p = 0; p < ports.size(); p++) {
                port(ports.get(p), ports.size() > 1, Errors.index(Errors.child(ip, "ports"), p), errs);
            }
        }
    }

    private static void address(JsonNode address, String path, Errors errs) {
        String ip = JsonReads.str(address, "ip");
        String ipPath = Errors.child(path, "ip");
        if (Net.parseIp(ip) == null) {
            errs.invalid(ipPath, ip, "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)");
        }
        String hostname = JsonReads.str(address, "hostname");
        if (!hostname.isEmpty()) {
            errs.invalidEach(Errors.child(path, "hostname"), hostname, NameRules.dns1123Label(hostname));
        }
        if (JsonReads.has(address, "nodeName")) {
            String node = JsonReads.str(address, "nodeName");
            errs.invalidEach(Errors.child(path, "nodeName"), node, NameRules.dns1123Subdomain(node));
        }
        nonSpecialIp(ip, ipPath, errs);
    }

    /**
     * ValidateNonSpecialIP as Endpoints use it: unlike {@link Net#nonSpecialIp} its invalid-IP message has no example,
     * and it follows the separate IsValidIP check, so a bad IP is reported twice.
     */
    static void nonSpecialIp(String ip, String path, Errors errs) {
        InetAddress addr = Net.parseIp(ip);
        if (addr == null) {
            errs.invalid(path, ip, "must be a valid IP address");
            return;
        }
        Errors special = new Errors();
        Net.nonSpecialIp(ip, path, special);
        errs.list().addAll(special.list());
    }

    private static void port(JsonNode port, boolean requireName, String path, Errors errs) {
        String name = JsonReads.str(port, "name");
        if (requireName && name.isEmpty()) {
            errs.required(Errors.child(path, "name"), "");
        } else if (!name.isEmpty()) {
            errs.invalidEach(Errors.child(path, "name"), name, NameRules.dns1123Label(name));
        }
        long number = JsonReads.numOr(port, 0, "port");
        errs.invalidEach(Errors.child(path, "port"), number, NameRules.portNum(number));
        PodValidation.enumField(
                JsonReads.str(port, "protocol"), ContainerValidation.PROTOCOLS, Errors.child(path, "protocol"), errs);
        if (JsonReads.has(port, "appProtocol")) {
            String ap = JsonReads.str(port, "appProtocol");
            errs.invalidEach(Errors.child(path, "appProtocol"), ap, NameRules.qualifiedName(ap));
        }
    }
}
