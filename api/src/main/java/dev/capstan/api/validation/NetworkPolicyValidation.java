package dev.capstan.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.model.json.JsonReads;
import dev.capstan.model.json.KubeJson;
import java.math.BigInteger;
import java.net.InetAddress;
import java.util.List;
import java.util.stream.Collectors;

/**
 * networking.k8s.io/v1 NetworkPolicy (pkg/apis/networking/validation). It has no status in 1.32.
 *
 * <p>Strategy: {@link #prepareForCreate} sets generation 1; {@link #prepareForUpdate} bumps it when the spec changed.
 */
public final class NetworkPolicyValidation {
    private NetworkPolicyValidation() {}

    private static final List<String> PROTOCOLS = List.of("TCP", "UDP", "SCTP");
    private static final List<String> POLICY_TYPES = List.of("Ingress", "Egress");
    private static final String CIDR_MSG = "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)";

    /** ValidateNetworkPolicy. */
    public static List<Cause> validateNetworkPolicy(ObjectNode obj) {
        Errors errs = new Errors();
        GroupMeta.create(GroupMeta.meta(obj), true, GroupMeta.DNS_SUBDOMAIN, errs);
        spec(JsonReads.obj(obj, "spec"), false, errs);
        return errs.list();
    }

    /**
     * The strategy's update validation: the create rules and then ValidateNetworkPolicyUpdate, which checks the spec
     * again (so spec errors appear twice, as upstream reports them). Selector values that are not label values stay
     * accepted when the stored policy's pod selector was already invalid.
     */
    public static List<Cause> validateNetworkPolicyUpdate(ObjectNode obj, ObjectNode old) {
        Errors oldErrs = new Errors();
        Selectors.validate(JsonReads.obj(old, "spec", "podSelector"), false, "", oldErrs);
        boolean allow = !oldErrs.isEmpty();
        Errors errs = new Errors();
        GroupMeta.create(GroupMeta.meta(obj), true, GroupMeta.DNS_SUBDOMAIN, errs);
        spec(JsonReads.obj(obj, "spec"), allow, errs);
        GroupMeta.update(GroupMeta.meta(obj), errs);
        spec(JsonReads.obj(obj, "spec"), allow, errs);
        return errs.list();
    }

    private static void spec(JsonNode spec, boolean allow, Errors errs) {
        Selectors.validate(JsonReads.obj(spec, "podSelector"), allow, "spec.podSelector", errs);
        for (String dir : List.of("ingress", "egress")) {
            String peers = dir.equals("ingress") ? "from" : "to";
            List<JsonNode> rules = JsonReads.items(spec, dir);
            for (int i = 0; i < rules.size(); i++) {
                String rp = Errors.index("spec." + dir, i);
                List<JsonNode> ports = JsonReads.items(rules.get(i), "ports");
                for (int j = 0; j < ports.size(); j++) {
                    port(ports.get(j), Errors.index(rp + ".ports", j), errs);
                }
                List<JsonNode> list = JsonReads.items(rules.get(i), peers);
                for (int j = 0; j < list.size(); j++) {
                    peer(list.get(j), Errors.index(rp + "." + peers, j), allow, errs);
                }
            }
        }
        List<String> types = JsonReads.strings(spec, "policyTypes");
        if (types.size() > POLICY_TYPES.size()) {
            errs.invalid(
                    "spec.policyTypes",
                    new GoFormat.Literal(types.stream()
                            .map(GoFormat::quote)
                            .collect(Collectors.joining(", ", "[]networking.PolicyType{", "}"))),
                    "may not specify more than two policyTypes");
            return;
        }
        for (int i = 0; i < types.size(); i++) {
            if (!POLICY_TYPES.contains(types.get(i))) {
                errs.notSupported(Errors.index("spec.policyTypes", i), types.get(i), POLICY_TYPES);
            }
        }
    }

    /** ValidateNetworkPolicyPort. */
    private static void port(JsonNode port, String path, Errors errs) {
        if (JsonReads.has(port, "protocol") && !PROTOCOLS.contains(JsonReads.str(port, "protocol"))) {
            errs.notSupported(path + ".protocol", JsonReads.str(port, "protocol"), PROTOCOLS);
        }
        Long endPort = JsonReads.num(port, "endPort");
        JsonNode p = port == null ? null : port.get("port");
        if (p != null && !p.isNull()) {
            if (!p.isTextual()) {
                long n = p.asLong();
                errs.invalidEach(path + ".port", n, NameRules.portNum(n));
                if (endPort != null) {
                    if (endPort < n) {
                        errs.invalid(path + ".endPort", n, "must be greater than or equal to `port`");
                    }
                    errs.invalidEach(path + ".endPort", endPort, NameRules.portNum(endPort));
                }
            } else {
                if (endPort != null) {
                    errs.invalid(path + ".endPort", endPort, "may not be specified when `port` is non-numeric");
                }
                errs.invalidEach(path + ".port", p.textValue(), NameRules.portName(p.textValue()));
            }
        } else if (endPort != null) {
            errs.invalid(path + ".endPort", endPort, "may not be specified when `port` is not specified");
        }
    }

    /** ValidateNetworkPolicyPeer: exactly one kind of peer, except that the two selectors may combine. */
    private static void peer(JsonNode peer, String path, boolean allow, Errors errs) {
        int peers = 0;
        if (JsonReads.has(peer, "podSelector")) {
            peers++;
            Selectors.validate(peer.get("podSelector"), allow, path + ".podSelector", errs);
        }
        if (JsonReads.has(peer, "namespaceSelector")) {
            peers++;
            Selectors.validate(peer.get("namespaceSelector"), allow, path + ".namespaceSelector", errs);
        }
        boolean ipBlock = JsonReads.has(peer, "ipBlock");
        if (ipBlock) {
            peers++;
            ipBlock(JsonReads.obj(peer, "ipBlock"), path + ".ipBlock", errs);
        }
        if (peers == 0) {
            errs.required(path, "must specify a peer");
        } else if (peers > 1 && ipBlock) {
            errs.forbidden(path, "may not specify both ipBlock and another peer");
        }
    }

    /** ValidateIPBlock: a valid cidr and excepts that are strict subsets of it. */
    private static void ipBlock(JsonNode block, String path, Errors errs) {
        String cidr = JsonReads.str(block, "cidr");
        if (cidr.isEmpty()) {
            errs.required(path + ".cidr", "");
            return;
        }
        Cidr outer = Cidr.parse(cidr);
        if (outer == null) {
            errs.invalid(path + ".cidr", cidr, CIDR_MSG);
            return;
        }
        List<String> excepts = JsonReads.strings(block, "except");
        for (int i = 0; i < excepts.size(); i++) {
            String ep = Errors.index(path + ".except", i);
            Cidr inner = Cidr.parse(excepts.get(i));
            if (inner == null) {
                errs.invalid(ep, excepts.get(i), CIDR_MSG);
            } else if (!outer.contains(inner.network()) || outer.prefix() >= inner.prefix()) {
                errs.invalid(ep, excepts.get(i), "must be a strict subset of `cidr`");
            }
        }
    }

    /** A parsed CIDR: its masked network address, as Go's ParseCIDR returns it, and its prefix length. */
    record Cidr(byte[] network, int prefix) {
        static Cidr parse(String s) {
            if (!Net.isCidr(s)) {
                return null;
            }
            int slash = s.indexOf('/');
            InetAddress ip = Net.parseIp(s.substring(0, slash));
            byte[] bytes = ip.getAddress();
            int prefix = Integer.parseInt(s.substring(slash + 1));
            if (bytes.length == 4 && s.substring(0, slash).contains(":")) {
                // an IPv4-mapped IPv6 prefix counts in the 128-bit space
                prefix -= 96;
                if (prefix < 0) {
                    return null;
                }
            }
            return new Cidr(mask(bytes, prefix), prefix);
        }

        private static byte[] mask(byte[] ip, int prefix) {
            byte[] out = ip.clone();
            for (int i = 0; i < out.length; i++) {
                int bits = Math.max(0, Math.min(8, prefix - 8 * i));
                out[i] = (byte) (out[i] & (0xff << (8 - bits)));
            }
            return out;
        }

        boolean contains(byte[] ip) {
            if (ip.length != network.length) {
                return false;
            }
            return new BigInteger(1, mask(ip, prefix)).equals(new BigInteger(1, network));
        }
    }

    /** networking/v1 defaults: policyTypes from the rules present, and TCP for ports without a protocol. */
    public static void defaultNetworkPolicy(ObjectNode obj) {
        ObjectNode spec = KubeJson.child(obj, "spec");
        if (JsonReads.items(spec, "policyTypes").isEmpty()) {
            var types = spec.putArray("policyTypes").add("Ingress");
            if (!JsonReads.items(spec, "egress").isEmpty()) {
                types.add("Egress");
            }
        }
        for (String dir : List.of("ingress", "egress")) {
            for (JsonNode rule : JsonReads.items(spec, dir)) {
                for (JsonNode p : JsonReads.items(rule, "ports")) {
                    if (p instanceof ObjectNode port) {
                        GroupMeta.defaultPointer(port, "protocol", "TCP");
                    }
                }
            }
        }
    }

    /** PrepareForCreate: generation 1. */
    public static void prepareForCreate(ObjectNode obj) {
        KubeJson.child(obj, "metadata").put("generation", 1);
    }

    /** PrepareForUpdate: a spec change bumps the generation. */
    public static void prepareForUpdate(ObjectNode obj, ObjectNode old) {
        bumpGenerationOnSpecChange(obj, old);
    }

    static void bumpGenerationOnSpecChange(ObjectNode obj, ObjectNode old) {
        long generation = JsonReads.numOr(GroupMeta.meta(old), 0, "generation");
        if (!PodUpdateValidation.semanticEqual(GroupMeta.get(obj, "spec"), GroupMeta.get(old, "spec"))) {
            generation++;
        }
        GroupMeta.putInt(KubeJson.child(obj, "metadata"), "generation", generation);
    }
}
