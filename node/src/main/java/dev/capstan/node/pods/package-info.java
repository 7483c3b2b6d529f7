/**
 * The pods bound to this node: one worker per pod UID (upstream's pod_workers.go), the sync that turns a pod spec into
 * a sandbox and containers on the container runtime, and the pod status the kubelet writes back.
 */
package dev.capstan.node.pods;
