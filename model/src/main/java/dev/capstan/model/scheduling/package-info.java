/**
 * Scheduling predicates of component-helpers: taints against tolerations, and node selectors and node affinity
 * against a node.
 */
package dev.capstan.model.scheduling;
