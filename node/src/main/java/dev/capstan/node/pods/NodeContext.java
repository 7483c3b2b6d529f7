package dev.capstan.node.pods;

import java.nio.file.Path;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * What the pod sync needs to know of its node.
 *
 * @param hostIp the node's InternalIP (status.hostIP)
 * @param podLogRoot where each pod's log directory is made (upstream /var/log/pods)
 * @param clusterDns the cluster DNS servers for dnsPolicy ClusterFirst; empty: the host's resolv.conf, as upstream
 *     falls back to "Default" without --cluster-dns
 * @param networkReady whether the pod network (the CNI configuration) is in place
 * @param allowPrivileged whether containers may run privileged
 */
public record NodeContext(
        String nodeName,
        String hostIp,
        ContainerSpecs.Allocatable allocatable,
        Path podLogRoot,
        List<String> clusterDns,
        String clusterDomain,
        BooleanSupplier networkReady,
        boolean allowPrivileged) {

    public NodeContext {
        clusterDns = List.copyOf(clusterDns);
    }

    /** The allocatable cpu (millicores) and memory (bytes) that resourceFieldRef reports without a limit. */
    public static ContainerSpecs.Allocatable allocatable(long milliCpu, long memoryBytes) {
        return new ContainerSpecs.Allocatable(milliCpu, memoryBytes);
    }
}
