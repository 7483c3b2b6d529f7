/**
 * The ReplicaSet controller (upstream pkg/controller/replicaset): keeps spec.replicas active pods from the template,
 * adopting and releasing pods by selector, creating in slow-start batches and deleting by rank, and reports status.
 */
package dev.capstan.controllers.replicaset;
