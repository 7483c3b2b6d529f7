package dev.capstan.netproxy.proxy;

import java.util.Objects;

/**
 * What the renderer needs besides the API objects.
 *
 * @param table the nftables table (family ip)
 * @param bridge the pod bridge; tells pod traffic from other traffic when the pod CIDR is unknown
 * @param serviceCidr the ClusterIP range: traffic to an unallocated address in it is dropped
 * @param podCidr this node's pod CIDR (upstream's detect-local-mode NodeCIDR), or null when unknown
 */
public record ProxySettings(String table, String bridge, String serviceCidr, String podCidr) {
    public ProxySettings {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(bridge, "bridge");
        Objects.requireNonNull(serviceCidr, "serviceCidr");
        if (!table.matches("[A-Za-z_][A-Za-z0-9_.-]*")) {
            throw new IllegalArgumentException("capstan.netproxy.table must be a valid nftables name: " + table);
        }
    }

    /** The match for traffic that comes from a pod of this node (upstream's IfLocalNFT). */
    String ifLocal() {
        return podCidr != null ? "ip saddr " + podCidr : "iifname \"" + bridge + "\"";
    }

    /** The match for traffic that does not come from a pod of this node (upstream's IfNotLocalNFT). */
    String ifNotLocal() {
        return podCidr != null ? "ip saddr != " + podCidr : "iifname != \"" + bridge + "\"";
    }
}
