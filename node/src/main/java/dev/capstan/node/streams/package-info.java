/**
 * The kubelet's streaming endpoints (exec, attach, port-forward) on the agent: the client's WebSocket protocols
 * ({@code v5}/{@code v4.channel.k8s.io}, SPDY tunnelled in WebSocket) relayed to containerd's CRI stream server.
 */
package dev.capstan.node.streams;
