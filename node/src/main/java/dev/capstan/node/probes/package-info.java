/**
 * Container probes as upstream's kubelet/prober runs them: liveness, readiness and startup workers on one scheduler,
 * their results per container ID, and the exec, httpGet, tcpSocket and grpc actions.
 */
package dev.capstan.node.probes;
