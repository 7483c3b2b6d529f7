package dev.capstan.netproxy.proxy;

import java.util.List;

/**
 * The chains that do not depend on Services, upstream's base and helper chains: filter hooks just before DNAT
 * (priority -110) reject or drop traffic to ports without endpoints; nat prerouting and output dispatch through
 * the {@code services} chain's verdict maps; postrouting masquerades what was marked. Each list: name, then lines.
 */
final class FixedChains {
    private FixedChains() {}

    static List<List<String>> chains(ProxySettings s) {
        String mark = NftScripts.MASQ_MARK;
        return List.of(
                List.of(
                        "filter-input",
                        "type filter hook input priority -110; policy accept;",
                        "ct state new jump nodeport-endpoints-check",
                        "ct state new jump service-endpoints-check",
                        // route_localnet (for NodePorts on 127.0.0.1) would let other hosts reach loopback
                        // services: drop what arrives for 127/8 from outside (upstream's CVE-2020-8558 rule)
                        "iifname != \"lo\" ip daddr 127.0.0.0/8 ct status & dnat == 0 drop"),
                List.of(
                        "filter-forward",
                        "type filter hook forward priority -110; policy accept;",
                        "ct state new jump service-endpoints-check",
                        "ct state new jump cluster-ips-check"),
                List.of(
                        "filter-output",
                        "type filter hook output priority -110; policy accept;",
                        "ct state new jump service-endpoints-check"),
                List.of(
                        "filter-output-post-dnat",
                        "type filter hook output priority -90; policy accept;",
                        "ct state new jump cluster-ips-check"),
                List.of("nat-prerouting", "type nat hook prerouting priority dstnat; policy accept;", "jump services"),
                // nft 1.0.6 refuses the name dstnat on the output hook
                List.of("nat-output", "type nat hook output priority -100; policy accept;", "jump services"),
                List.of(
                        "nat-postrouting",
                        "type nat hook postrouting priority srcnat; policy accept;",
                        "jump masquerading"),
                List.of("mark-for-masquerade", "mark set mark or " + mark),
                List.of(
                        "masquerading",
                        "mark and " + mark + " == 0 return",
                        "mark set mark xor " + mark,
                        "masquerade fully-random"),
                List.of(
                        "services",
                        "ip daddr . meta l4proto . th dport vmap @service-ips",
                        // NodePorts on every local address, 127.0.0.1 included (needs route_localnet=1)
                        "fib daddr type local meta l4proto . th dport vmap @service-nodeports"),
                List.of("service-endpoints-check", "ip daddr . meta l4proto . th dport vmap @no-endpoint-services"),
                List.of(
                        "nodeport-endpoints-check",
                        "fib daddr type local meta l4proto . th dport vmap @no-endpoint-nodeports"),
                List.of(
                        "cluster-ips-check",
                        "ip daddr @cluster-ips reject comment \"no Service port at this ClusterIP\"",
                        "ip daddr " + s.serviceCidr() + " drop comment \"unallocated ClusterIP\""),
                List.of("reject-chain", "reject"));
    }
}
