package dev.capstan.netproxy.app;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Settings of the netproxy, under {@code capstan.netproxy}. */
@ConfigMapping(prefix = "capstan.netproxy")
public interface NetProxyConfig {
    /**
     * Whether the netproxy runs: false in the components' one JVM when this machine is no node (only the scheduler
     * and the controller manager work there).
     */
    @WithDefault("true")
    boolean enabled();

    /** The API server's internal gRPC address. */
    @WithDefault("127.0.0.1:6444")
    String api();

    /** The netproxy's token (user system:kube-proxy), written by the API server at its first start. */
    @WithDefault(".capstan/data/tokens/netproxy")
    String tokenFile();

    /** The Node this proxy serves; default this machine's lowercase host name, as the node agent registers it. */
    Optional<String> nodeName();

    /** The pod network's bridge, as the node agent names it. */
    @WithDefault("capstan0")
    String bridge();

    /** The Service ClusterIP range (the API server's capstan.api.service-cidr). */
    @WithDefault("10.96.0.0/16")
    String serviceCidr();

    /** The nftables table of Service traffic (family ip); one per cluster on a machine. */
    @WithDefault("capstan-proxy")
    String table();

    /** The nftables table of NetworkPolicy (family ip). */
    @WithDefault("capstan-policy")
    String policyTable();

    /** The shortest time between two syncs of the tables (upstream --iptables-min-sync-period). */
    @WithDefault("100ms")
    Duration minSyncPeriod();

    /** A full re-sync this often even when nothing changed (upstream --iptables-sync-period). */
    @WithDefault("30s")
    Duration syncPeriod();

    /** The cluster's DNS domain (upstream --cluster-domain). */
    @WithDefault("cluster.local")
    String clusterDomain();

    /**
     * The address the DNS server listens on; default the node's InternalIP, which the kube-dns Service's endpoints
     * name and pods reach through their bridge.
     */
    Optional<String> dnsAddress();

    @WithDefault("53")
    int dnsPort();

    /** Where names outside the cluster domain go ("host:port"); none here: they get SERVFAIL/REFUSED. */
    Optional<String> dnsUpstream();

    /**
     * The kube-dns Service's ClusterIP (kube-system/kube-dns), the address the node agents give pods as their
     * nameserver (their capstan.node.cluster-dns).
     */
    @WithDefault("10.96.0.10")
    String dnsServiceIp();
}
