/**
 * The capstan-netproxy app, one per machine, as kube-proxy plus a cluster DNS server: Service traffic (ClusterIP,
 * NodePort, LoadBalancer) steered by an nftables table rendered from Services and EndpointSlices, NetworkPolicy in
 * nftables on the pod bridge, and DNS answers for Services and pods from the same informers.
 */
package dev.capstan.netproxy;
