/**
 * Service traffic in nftables, in the shape of kube-proxy's nftables mode: a pure renderer of Services and
 * EndpointSlices into one table, its atomic and incremental applier, LoadBalancer status and health-check ports.
 */
package dev.capstan.netproxy.proxy;
