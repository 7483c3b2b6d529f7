/**
 * The strategy of coordination.k8s.io Leases (upstream pkg/registry/coordination): their defaulting, create and update rules,
 * validation, status subresource, table and deletion behaviour.
 */
package dev.capstan.api.registry.coordination;
