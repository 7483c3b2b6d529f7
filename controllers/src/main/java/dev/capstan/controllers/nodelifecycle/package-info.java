/**
 * Node lifecycle (upstream pkg/controller/nodelifecycle with the taint eviction of pkg/controller/tainteviction):
 * marks Nodes whose Lease and heartbeats stop Unknown, taints them, and deletes the pods that do not tolerate it.
 */
package dev.capstan.controllers.nodelifecycle;
