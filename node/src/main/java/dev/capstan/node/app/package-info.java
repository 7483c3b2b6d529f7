/**
 * The capstan-node app: its configuration, the wiring of containerd, the node's status and the pod workers, and the
 * Quarkus lifecycle and health checks around them.
 */
package dev.capstan.node.app;
