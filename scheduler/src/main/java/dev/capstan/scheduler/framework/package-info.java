/**
 * The scheduling framework as upstream's pkg/scheduler/framework: plugin interfaces with their contracts, the
 * per-cycle state, NodeInfo/PodInfo with pre-computed requests and affinity terms, the snapshot, and the runner.
 */
package dev.capstan.scheduler.framework;
