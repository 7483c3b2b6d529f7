package dev.capstan.node.app;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Settings of the node agent, under {@code capstan.node}. */
@ConfigMapping(prefix = "capstan.node")
public interface NodeAgentConfig {
    /**
     * Whether the agent runs: false in the components' one JVM when this machine is no node (only the scheduler and
     * the controller manager work there).
     */
    @WithDefault("true")
    boolean enabled();

    /** The API server's internal gRPC address. */
    @WithDefault("127.0.0.1:6444")
    String api();

    /** The node's token, written by the API server at its first start. */
    @WithDefault(".capstan/data/tokens/node")
    String tokenFile();

    /**
     * The file holding the bearer token the API server presents to the agent's HTTPS endpoint (logs); {@code ./capstan}
     * writes it before it starts the agent.
     */
    @WithDefault(".capstan/data/tokens/kubelet-client")
    String apiClientTokenFile();

    /** The agent's HTTPS port (upstream kubelet --port), published in the Node's status.daemonEndpoints. */
    @WithDefault("10250")
    int kubeletPort();

    /** The addresses the HTTPS endpoint listens on; default 127.0.0.1 and the node's InternalIP. */
    Optional<List<String>> kubeletAddresses();

    /** The Node's name; default this machine's lowercase host name, as the API server expects for the node token. */
    Optional<String> nodeName();

    /** Where the agent keeps its containerd, pod logs and CNI state. */
    @WithDefault(".capstan/node")
    String stateDir();

    /** containerd's socket: "own" starts (or adopts) a containerd under the state directory; else a socket path. */
    @WithDefault("own")
    String containerd();

    /** The pod network's bridge (at most 15 characters). */
    @WithDefault("capstan0")
    String bridge();

    /** Cluster DNS servers for dnsPolicy ClusterFirst (upstream --cluster-dns); none: the host's resolv.conf. */
    Optional<List<String>> clusterDns();

    @WithDefault("cluster.local")
    String clusterDomain();

    /** cpu and memory held back from pods (system-reserved, kube-reserved and the hard eviction threshold). */
    @WithDefault("0")
    String reservedCpu();

    @WithDefault("100Mi")
    String reservedMemory();

    /**
     * How often a pod with configMap, secret or projected volumes is synced again, which brings its files up to date
     * with their sources (upstream --sync-frequency).
     */
    @WithDefault("1m")
    Duration syncFrequency();

    /** How often the Lease is renewed (upstream 10 s). */
    @WithDefault("10s")
    Duration leaseRenewInterval();

    /** How often an unchanged status is written as a heartbeat (upstream --node-status-report-frequency). */
    @WithDefault("5m")
    Duration statusReportInterval();

    /**
     * On a graceful stop, stop and remove every pod's containers and sandbox, the pod network and (when it is our own)
     * containerd: {@code ./capstan down} sets it. Off, a stopped agent leaves its pods running, as a kubelet does.
     */
    @WithDefault("false")
    boolean removePodsOnStop();

    /**
     * Whether containers may run privileged. Off, a pod asking for it waits in CreateContainerConfigError saying so;
     * upstream leaves this to admission (PodSecurity), which Capstan does not have yet.
     */
    @WithDefault("false")
    boolean allowPrivileged();
}
