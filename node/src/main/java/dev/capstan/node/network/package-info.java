/**
 * The pod network of a node: the CNI configuration (bridge, host-local IPAM over the node's pod CIDR, portmap)
 * that containerd's CRI plugin reads when it sets up a sandbox.
 */
package dev.capstan.node.network;
