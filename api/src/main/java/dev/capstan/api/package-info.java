/**
 * The Kubernetes-compatible API server: REST paths and semantics, watches, discovery and the admin's
 * authentication. It is the only component that touches the store.
 */
package dev.capstan.api;
