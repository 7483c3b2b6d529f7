/**
 * Simulated nodes for exercising the control plane at scale (KWOK's role): Nodes, their Leases and heartbeats, and
 * the pods bound to them brought to Running and Ready as a kubelet reports them, with nothing actually run.
 */
package dev.capstan.simulator;
