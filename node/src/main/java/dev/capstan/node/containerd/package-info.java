/**
 * The node agent's own containerd: its configuration (CRI plugin, CNI, stream server) and its process,
 * started with a root, state and socket of its own and stopped by its PID.
 */
package dev.capstan.node.containerd;
