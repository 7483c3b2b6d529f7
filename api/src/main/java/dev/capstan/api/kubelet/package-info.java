/**
 * How the API server reaches node agents (upstream's kubelet client): a node's address and kubelet port from its
 * Node object, HTTPS with the agent's bearer token, and the pod-level checks (container names, assigned node) that
 * come before a log, exec, attach or port-forward is sent on.
 */
package dev.capstan.api.kubelet;
