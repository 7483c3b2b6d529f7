/**
 * Kubernetes request semantics on top of storage: metadata rules, generation, status and main-resource
 * separation, finalizers and graceful deletion, namespaces, lists with selectors and continue tokens.
 */
package dev.capstan.api.resources;
