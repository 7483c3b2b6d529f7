/**
 * What a kubelet writes for its own node: the conditions it reports and its Lease in kube-node-lease, shared by the
 * node agent and the node simulator so that both write the same objects.
 */
package dev.capstan.client.node;
