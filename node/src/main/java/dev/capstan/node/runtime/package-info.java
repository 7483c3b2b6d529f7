/**
 * What the pod workers need from a container runtime, in CRI's terms but with Capstan's own small records:
 * {@link dev.capstan.node.runtime.ContainerRuntime}, implemented over CRI v1 by {@code runtime.cri}.
 */
package dev.capstan.node.runtime;
