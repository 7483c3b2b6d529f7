/**
 * Leader election on a coordination.k8s.io/v1 Lease (client-go's tools/leaderelection): one replica of a component
 * acts at a time, the others stand by and take over when the leader stops renewing or releases the Lease.
 */
package dev.capstan.client.leader;
