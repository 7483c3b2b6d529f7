/**
 * The kubelet's resource metrics: CPU and memory of the node, its pods and their containers, gathered from CRI and
 * /proc and served as Prometheus text at {@code /metrics/resource} for the API server's metrics.k8s.io API.
 */
package dev.capstan.node.stats;
