/**
 * The node's own objects: its registration with the machine's capacity and identity, the conditions and heartbeat
 * of its status, its Lease, and the pod network once the node has its pod CIDR.
 */
package dev.capstan.node.nodestatus;
