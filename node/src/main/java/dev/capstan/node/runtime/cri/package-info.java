/**
 * {@link dev.capstan.node.runtime.ContainerRuntime} over CRI v1 (containerd's CRI plugin) on a unix socket,
 * with a deadline on every call; the CRI protos stay inside this package.
 */
package dev.capstan.node.runtime.cri;
