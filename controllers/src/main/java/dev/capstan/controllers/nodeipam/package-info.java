/**
 * Pod CIDR allocation (upstream pkg/controller/nodeipam, range allocator): gives each Node one subnet of the cluster
 * CIDR in spec.podCIDR/podCIDRs, once, and takes it back when the Node is deleted.
 */
package dev.capstan.controllers.nodeipam;
