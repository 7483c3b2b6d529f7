/**
 * The file-system side of pod volumes: upstream's AtomicWriter for projected files, tmpfs mounts and their clean-up,
 * and hostPath type checks. What goes into a volume is decided by the pod sync.
 */
package dev.capstan.node.volumes;
